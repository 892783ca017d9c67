import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ContainerCpCommand extends TspodCommand {
  static override paths = [['cp'], ['container', 'cp']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Copy files between a container and the host',
    details: `
      One of SRC and DEST is CONTAINER:PATH; the container may be running or stopped. Paths are as the container sees them: its volumes, bind mounts and tmpfs, and its generated /etc/hostname, /etc/hosts and /etc/resolv.conf. A stopped container's tmpfs and generated files cannot be written (its next start replaces them). Symlinks are copied as they are. A directory goes inside an existing directory, or becomes DEST if DEST does not exist; "SRC/." copies only its contents. "-" is a tar stream: from stdin, unpacked into a container directory, or to stdout, packed from a container path.

      Files copied into a container belong to the container's user (its --user or the image's USER); --archive=false keeps the owners they had (the host user is root inside). Files copied out belong to you. Modes and symlinks are kept.
    `,
    examples: [
      ['Into a container', '$0 cp ./site.conf web:/etc/nginx/conf.d/'],
      ['Out of it', '$0 cp web:/var/log/nginx ./logs'],
      ['A tar stream out', '$0 cp web:/etc - > etc.tar'],
    ],
  });
  archive = Option.Boolean('-a,--archive', true, { description: "Copied files belong to the container's user (default true)" });
  followLink = Option.Boolean('-L,--follow-link', false, { description: 'Follow a symlink given as SRC' });
  overwrite = Option.Boolean('--overwrite', false, { description: 'Accepted for compatibility: existing files are always replaced' });
  src = Option.String();
  dest = Option.String();

  override namespaceContainer(): string | undefined {
    return this.engine.containers.copyContainerName(this.src, this.dest);
  }

  async execute(): Promise<number> {
    await this.engine.containers.copy(this.src, this.dest, { archive: this.archive, followLink: this.followLink });
    return 0;
  }
}
