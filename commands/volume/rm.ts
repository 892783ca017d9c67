import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { seconds } from '../container/create-flags';

export default class VolumeRmCommand extends TspodCommand {
  static override paths = [['volume', 'rm'], ['volume', 'remove']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({ description: 'Remove volumes and their data', details: 'A volume that containers use is refused unless --force, which removes those containers too.', examples: [['One', '$0 volume rm data']] });
  force = Option.Boolean('-f,--force', false, { description: 'remove the containers that use it too' });
  all = Option.Boolean('-a,--all', false, { description: 'every volume' });
  time = Option.String('-t,--time', { description: 'seconds to wait for those containers to stop (default 0)' });
  names = Option.Rest();

  async execute(): Promise<number> {
    const reports = await this.engine.volumes.remove(this.names, { force: this.force, all: this.all, timeout: this.time === undefined ? undefined : seconds(this.time, '--time') });
    return this.printRemovals(reports, this.force, (r) => r.name);
  }
}
