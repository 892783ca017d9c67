import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ManifestRmCommand extends TspodCommand {
  static override paths = [['manifest', 'rm']];
  static override usage = Command.Usage({
    description: 'Remove manifest lists or image indexes from local storage',
    details: 'The images in a list stay.',
    examples: [['Remove a list', '$0 manifest rm localhost/app']],
  });
  ignore = Option.Boolean('-i,--ignore', false, { description: 'no error for a list that does not exist' });
  names = Option.Rest({ required: 1 });

  async execute(): Promise<number> {
    const reports = await this.engine.images.manifestRm(this.names, this.ignore);
    return this.printReports(reports, (r) => (r.deleted ? [...r.untagged.map((u) => `Untagged: ${u}`), `Deleted: ${r.deleted}`].join('\n') : null));
  }
}
