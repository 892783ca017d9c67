import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ImageMountCommand extends TspodCommand {
  static override paths = [['image', 'mount']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: "Mount an image's root filesystem read-only and print where",
    details: 'The mount lives in your user namespace: look at it with `tspod unshare`. Each mount is counted; `tspod image unmount` undoes one. With no names, lists the mounted images.',
    examples: [['Look inside an image', 'tspod unshare ls $(tspod image mount mybase)']],
  });
  names = Option.Rest();

  async execute(): Promise<number> {
    const reports = await this.engine.images.mountImages(this.names);
    if (this.names.length === 0) return this.printReports(reports, (r) => `${r.id.slice(7, 19)} ${r.name} ${r.path}`);
    return this.printReports(reports, (r) => r.path!);
  }
}
