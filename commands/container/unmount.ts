import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ContainerUnmountCommand extends TspodCommand {
  static override paths = [['unmount'], ['umount'], ['container', 'unmount'], ['container', 'umount']];
  static override usage = Command.Usage({
    description: "Unmount working container's root filesystem",
    details: 'Undoes one `tspod mount` of each container (with --force, all of them); the root filesystem is unmounted when no mount is left and the container is not running. Inside `tspod unshare`, as mount. Prints the ID of each container it unmounted.',
    examples: [['Undo one mount', "$0 unshare tspod unmount myctr"], ['Unmount everything', '$0 unshare tspod unmount --all']],
  });
  all = Option.Boolean('-a,--all', false, { description: 'Unmount all of the currently mounted containers' });
  force = Option.Boolean('-f,--force', false, { description: 'Force the complete unmount of the specified mounted containers' });
  latest = Option.Boolean('-l,--latest', false, { description: 'Act on the latest container tspod is aware of' });
  names = Option.Rest();

  async execute(): Promise<number> {
    this.engine.containers.requireUnshare(`tspod ${this.path.join(' ')}`);
    return this.printReports(await this.engine.containers.unmount(this.names, { all: this.all, force: this.force, latest: this.latest }), (r) => r.id);
  }
}
