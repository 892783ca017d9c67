import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { executeInspect } from '../format/inspect-printer';

export default class PodInspectCommand extends TspodCommand {
  static override paths = [['pod', 'inspect']];
  static override usage = Command.Usage({
    description: 'Display the configuration of pods',
    details: "A JSON array of Podman 5's pod documents (State from the containers', InfraConfig from the infra container's network settings, Containers by ID), or each document through a Go template.",
    examples: [
      ['The whole document', '$0 pod inspect web'],
      ['State and number of containers', "$0 pod inspect --format '{{.State}} {{.NumContainers}}' web"],
    ],
  });
  format = Option.String('-f,--format', { description: 'json (default) or a Go template' });
  latest = Option.Boolean('-l,--latest', false, { description: 'the latest pod created' });
  names = Option.Rest();

  async execute(): Promise<number> {
    return executeInspect(this, this.names, { type: 'pod', size: false, latest: this.latest, format: this.format });
  }
}
