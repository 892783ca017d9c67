import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ImagePruneCommand extends TspodCommand {
  static override paths = [['image', 'prune']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Remove dangling images (with -a, every image no container uses)',
    examples: [['Without asking', '$0 image prune -f'], ['Everything', '$0 image prune -a -f']],
  });
  all = Option.Boolean('-a,--all', false, { description: 'remove all unused images, not only dangling ones' });
  force = Option.Boolean('-f,--force', false, { description: 'do not ask for confirmation' });
  filter = Option.Array('--filter', [], { description: 'only images matching these filters' });
  buildCache = Option.Boolean('--build-cache', false, { description: "also remove tspod build's cache (as builder prune does, with the same --all and --filter)" });

  async execute(): Promise<number> {
    if (!this.force) {
      this.context.stdout.write(`WARNING! This command removes all ${this.all ? 'images without at least one container associated with them' : 'dangling images'}.\nAre you sure you want to continue? [y/N] `);
      const answer = await new Promise<string>((resolve) => {
        let text = '';
        process.stdin.on('data', (d) => {
          text += d;
          if (text.includes('\n')) resolve(text);
        });
        process.stdin.on('end', () => resolve(text));
      });
      process.stdin.pause();
      if (!/^y(es)?$/i.test(answer.trim())) return 0;
    }
    const code = this.printReports(this.engine.images.pruneImages({ all: this.all, filters: this.filter }), (r) => (r.deleted ? r.id!.slice(7) : null));
    if (!this.buildCache) return code;
    // The cache's removed entries, listed as the pruned images are.
    const cache = await this.engine.builds.prune({ all: this.all, filters: this.filter });
    for (const id of cache.removed) this.write(`${id.replace(/^sha256:/, '')}\n`);
    return code;
  }
}
