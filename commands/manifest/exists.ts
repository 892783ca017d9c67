import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ManifestExistsCommand extends TspodCommand {
  static override paths = [['manifest', 'exists']];
  static override usage = Command.Usage({
    description: 'Check if a manifest list exists in local storage (exit 0 if it does, 1 if not)',
    examples: [['In a script', '$0 manifest exists localhost/app || $0 manifest create localhost/app']],
  });
  name = Option.String();

  async execute(): Promise<number> {
    return this.engine.images.manifestExists(this.name) ? 0 : 1;
  }
}
