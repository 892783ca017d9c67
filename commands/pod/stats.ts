import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { isJsonFormat } from '../../src/go-template';
import type { PodStatsRow } from '../../libpod/entities';

const NONE: PodStatsRow = { Pod: '--', CID: '--', Name: '--', CPU: '--', MemUsage: '--', MemUsageBytes: '--', Mem: '--', NetIO: '--', BlockIO: '--', PIDS: '--' };

export default class PodStatsCommand extends TspodCommand {
  static override paths = [['pod', 'stats']];
  static override usage = Command.Usage({
    description: "Display the resource use of pods' containers",
    details: `
      A row per running container of each pod (every pod when none is named), read from /proc as "tspod stats" reads them: Podman refuses pod stats for rootless pods on hosts without cgroups v2, tspod reports them. Without --no-stream the report repeats every second until interrupted, as Podman's.
    `,
    examples: [['Once, for every pod', '$0 pod stats --no-stream'], ['Names and memory', "$0 pod stats --no-stream --format '{{.Name}} {{.MemUsage}}' web"]],
  });
  all = Option.Boolean('-a,--all', false, { description: 'every pod' });
  latest = Option.Boolean('-l,--latest', false, { description: 'the latest pod created' });
  noStream = Option.Boolean('--no-stream', false, { description: 'report once and exit' });
  noReset = Option.Boolean('--no-reset', false, { description: 'do not clear the terminal between reports' });
  format = Option.String('--format', { description: 'json, or a Go template such as {{.Name}} {{.CPU}}' });
  pods = Option.Rest();

  private render(rows: PodStatsRow[]): void {
    if (this.format !== undefined && isJsonFormat(this.format)) {
      // Podman's encoder indents pod stats' JSON by five spaces.
      this.write(`${JSON.stringify(rows, null, 5)}\n`);
      return;
    }
    // Podman's table shows a row of "--" when nothing runs; a template of the user's, nothing.
    if (this.format !== undefined && rows.length === 0) return;
    this.printList(this.format === undefined && rows.length === 0 ? [NONE] : rows, {
      format: this.format,
      headings: { CPU: 'CPU %', MemUsage: 'MEM USAGE/ LIMIT', MemUsageBytes: 'MEM USAGE/ LIMIT', Mem: 'MEM %', NetIO: 'NET IO', BlockIO: 'BLOCK IO' },
      columns: [
        ['POD', (r) => r.Pod],
        ['CID', (r) => r.CID],
        ['NAME', (r) => r.Name],
        ['CPU %', (r) => r.CPU],
        ['MEM USAGE/ LIMIT', (r) => r.MemUsage],
        ['MEM %', (r) => r.Mem],
        ['NET IO', (r) => r.NetIO],
        ['BLOCK IO', (r) => r.BlockIO],
        ['PIDS', (r) => r.PIDS],
      ],
    });
  }

  async execute(): Promise<number> {
    const clear = !this.noStream && !this.noReset && process.stdout.isTTY;
    await this.engine.pods.stats(this.pods, { all: this.all, latest: this.latest, stream: !this.noStream, intervalMs: 1000 }, (rows) => {
      if (clear) this.write('\x1b[2J\x1b[H');
      this.render(rows);
    });
    return 0;
  }
}
