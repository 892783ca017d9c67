import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ContainerRenameCommand extends TspodCommand {
  static override paths = [['rename'], ['container', 'rename']];
  static override usage = Command.Usage({
    description: 'Rename a container',
    details: 'Works on running containers too; they keep running under the new name.',
    examples: [['Rename', '$0 rename web frontend']],
  });
  name = Option.String();
  newName = Option.String();

  async execute(): Promise<number> {
    this.engine.containers.rename(this.name, this.newName);
    return 0;
  }
}
