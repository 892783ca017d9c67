import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { executeInspect } from '../format/inspect-printer';

export default class ContainerInspectCommand extends TspodCommand {
  static override paths = [['container', 'inspect']];
  static override usage = Command.Usage({
    description: 'Display the configuration and state of containers',
    examples: [
      ['Its state', "$0 container inspect --format '{{.State.Status}} {{.State.ExitCode}}' web"],
      ['Its address on each network', "$0 container inspect --format '{{json .NetworkSettings.Networks}}' web"],
      ['The latest created', "$0 container inspect -l --format '{{.Id}} {{.Config.Labels}}'"],
    ],
  });
  format = Option.String('-f,--format', { description: 'json (default) or a Go template' });
  size = Option.Boolean('-s,--size', false, { description: 'display the total file sizes' });
  latest = Option.Boolean('-l,--latest', false, { description: 'the latest created container' });
  names = Option.Rest();

  async execute(): Promise<number> {
    return executeInspect(this, this.names, { type: 'container', size: this.size, latest: this.latest, format: this.format });
  }
}
