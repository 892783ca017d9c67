import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { executeInspect, renderInspect } from '../format/inspect-printer';
import { InvalidArgumentError } from '../../src/errors';

export default class VolumeInspectCommand extends TspodCommand {
  static override paths = [['volume', 'inspect']];
  static override usage = Command.Usage({ description: 'Show volumes in detail (JSON)', examples: [['Where it is', "$0 volume inspect --format '{{.Mountpoint}}' data"]] });
  format = Option.String('-f,--format', { description: 'json (default) or a Go template, e.g. {{.Mountpoint}}' });
  all = Option.Boolean('-a,--all', false, { description: 'every volume' });
  names = Option.Rest();

  async execute(): Promise<number> {
    if (this.all === (this.names.length > 0)) throw new InvalidArgumentError('provide one or more volume names or use --all');
    const names = this.all ? this.engine.volumes.list().map((v) => v.name) : this.names;
    if (names.length === 0) {
      this.write(renderInspect([], this.format, 'volume').stdout); // --all when there are none: []
      return 0;
    }
    return executeInspect(this, names, { type: 'volume', size: false, latest: false, format: this.format });
  }
}
