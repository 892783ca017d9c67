import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeTarget, parseIndex } from './compose-target';

export default class ComposeCpCommand extends ComposeCommand {
  static override paths = [['compose', 'cp']];
  static override usage = Command.Usage({
    description: 'Copy files/folders between a service container and the local filesystem',
    details: 'One side is SERVICE:PATH. Into a service: every one of its containers unless --index; out of it: its first container (or --index). "-" is a tar stream, as with "tspod cp".',
    examples: [['Out of a service', '$0 compose cp web:/etc/hostname ./hostname'], ['Into it', '$0 compose cp ./site.conf web:/etc/httpd.conf']],
  });
  index = Option.String('--index', { description: 'the container number, when the service has several' });
  all = Option.Boolean('--all', false, { description: 'include containers made by the run command' });
  archive = Option.Boolean('-a,--archive', false, { description: 'archive mode: keep the files\' owners (uid:gid)' });
  followLink = Option.Boolean('-L,--follow-link', false, { description: 'follow a symbolic link given as the source' });
  src = Option.String();
  dest = Option.String();

  override namespaceContainer(): string | undefined {
    try {
      return this.engine.compose.copyContainer(composeTarget(this), this.src, this.dest, { index: parseIndex(this.index), all: this.all });
    } catch {
      return undefined; // reported by execute, inside
    }
  }

  async execute(): Promise<number> {
    // tspod cp's --archive (default true) gives copied files the container user's ownership; Docker's -a keeps the host's IDs.
    await this.engine.compose.copy(composeTarget(this), this.src, this.dest, { index: parseIndex(this.index), all: this.all, archive: !this.archive, followLink: this.followLink });
    return 0;
  }
}
