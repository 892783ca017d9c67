import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { goHumanSize } from '../../src/human-units';
import type { BuildPruneReport } from '../../libpod/entities';

/** Docker's report of a build cache prune: the objects removed (IDs without sha256:, as image prune prints them), then the space freed. */
export function buildPruneText(report: BuildPruneReport): string {
  const list = report.removed.length ? `Deleted build cache objects:\n${report.removed.map((id) => `${id.replace(/^sha256:/, '')}\n`).join('')}\n` : '';
  return `${list}Total reclaimed space: ${goHumanSize(report.reclaimedBytes)}\n`;
}

export default class BuilderPruneCommand extends TspodCommand {
  static override paths = [['builder', 'prune']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Remove build cache',
    details: "Removes the intermediate images `tspod build` keeps as its cache (--layers): those no image needs, or with --all every one. Prints Docker's report: the objects removed and the space freed.",
    examples: [['Without asking', '$0 builder prune -f'], ['All of the cache', '$0 builder prune -a -f']],
  });
  all = Option.Boolean('-a,--all', false, { description: 'remove all of the build cache, not only what no image needs' });
  force = Option.Boolean('-f,--force', false, { description: 'do not ask for confirmation' });
  filter = Option.Array('--filter', [], { description: 'only cache entries matching these filters (e.g. until=24h)' });

  async execute(): Promise<number> {
    if (!this.force) {
      this.write(`WARNING! This will remove all ${this.all ? '' : 'dangling '}build cache. Are you sure you want to continue? [y/N] `);
      if (!/^y(es)?$/i.test((await this.readLine()).trim())) return 0;
    }
    this.write(buildPruneText(await this.engine.builds.prune({ all: this.all, filters: this.filter })));
    return 0;
  }
}
