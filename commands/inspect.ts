import { Command, Option } from 'clipanion';
import { TspodCommand } from './tspod-command';
import { executeInspect } from './format/inspect-printer';

export default class InspectCommand extends TspodCommand {
  static override paths = [['inspect']];
  static override usage = Command.Usage({
    description: 'Display the configuration of containers, images, volumes or networks',
    details: 'Each name is looked up as a container, then an image, a volume and a network, unless --type says which. The output is a JSON array of Podman 5-shaped documents, or each document through a Go template.',
    examples: [
      ['Its state', "$0 inspect --format '{{.State.Status}} {{.State.ExitCode}}' web"],
      ['A volume or a network by name', '$0 inspect data app'],
      ['Writable layer size', "$0 inspect --size --format '{{.SizeRw}}' web"],
    ],
  });
  format = Option.String('-f,--format', { description: 'json (default) or a Go template' });
  size = Option.Boolean('-s,--size', false, { description: 'display the total file sizes (containers)' });
  type = Option.String('-t,--type', 'all', { description: 'container, image, volume, network, pod or all' });
  latest = Option.Boolean('-l,--latest', false, { description: 'the latest created container' });
  names = Option.Rest();

  async execute(): Promise<number> {
    return executeInspect(this, this.names, { type: this.type, size: this.size, latest: this.latest, format: this.format });
  }
}
