import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ContainerExistsCommand extends TspodCommand {
  static override paths = [['container', 'exists']];
  static override usage = Command.Usage({
    description: 'Check if a container exists (exit 0 if it does, 1 if not)',
    examples: [['In a script', '$0 container exists web || tspod run -d --name web busybox sleep 1d']],
  });
  // Podman's external containers are other tools' (Buildah's working containers) in the same
  // storage; tspod's storage holds only its own, so the answer is the same with or without it.
  external = Option.Boolean('--external', false, { description: "count other tools' containers in the storage too (tspod's storage holds only its own)" });
  name = Option.String();

  async execute(): Promise<number> {
    return this.engine.containers.exists(this.name) ? 0 : 1;
  }
}
