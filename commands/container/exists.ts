import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ContainerExistsCommand extends TspodCommand {
  static override paths = [['container', 'exists']];
  static override usage = Command.Usage({
    description: 'Check if a container exists (exit 0 if it does, 1 if not)',
    examples: [['In a script', '$0 container exists web || tspod run -d --name web busybox sleep 1d']],
  });
  name = Option.String();

  async execute(): Promise<number> {
    return this.engine.containers.exists(this.name) ? 0 : 1;
  }
}
