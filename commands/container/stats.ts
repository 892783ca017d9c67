import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';

export default class ContainerStatsCommand extends TspodCommand {
  static override paths = [['stats'], ['container', 'stats']];
  static override usage = Command.Usage({
    description: 'Display the resource use of running containers',
    details: `
      Read from /proc, because a rootless container has no cgroup of its own to read on this kind of host: CPU time of its processes, memory as the sum of their proportional set sizes (the limit is the host's memory), block I/O they caused, network bytes through its interfaces other than lo, and their tasks. CPU % is the average since the start in the first report, then over each interval. Without --no-stream the report repeats every --interval seconds until interrupted.
    `,
    examples: [['Once, for every running container', '$0 stats --no-stream'], ['Names and memory', "$0 stats --no-stream --format '{{.Name}} {{.MemUsage}}'"]],
  });
  all = Option.Boolean('-a,--all', false, { description: 'Show all containers (stopped ones with no figures)' });
  noStream = Option.Boolean('--no-stream', false, { description: 'Report once and exit' });
  noReset = Option.Boolean('--no-reset', false, { description: 'Do not clear the terminal between reports' });
  interval = Option.String('-i,--interval', '5', { description: 'Seconds between reports' });
  format = Option.String('--format', { description: 'json, or a Go template such as {{.Name}} {{.CPUPerc}}' });
  names = Option.Rest();

  async execute(): Promise<number> {
    if (!/^\d+(\.\d+)?$/.test(this.interval) || Number(this.interval) <= 0) throw new InvalidArgumentError(`invalid --interval "${this.interval}": give a number of seconds above 0`);
    const clear = !this.noStream && !this.noReset && process.stdout.isTTY;
    await this.engine.containers.stats(this.names, { all: this.all, stream: !this.noStream, intervalMs: Number(this.interval) * 1000 }, (rows) => {
      if (clear) this.write('\x1b[2J\x1b[H');
      this.printList(rows, {
        format: this.format,
        // Podman's JSON field names.
        json: () => rows.map((r) => ({ id: r.ID, name: r.Name, cpu_time: r.CPUTime, cpu_percent: r.CPUPerc, avg_cpu: r.AVGCPU, mem_usage: r.MemUsage, mem_percent: r.MemPerc, net_io: r.NetIO, block_io: r.BlockIO, pids: r.PIDs })),
        columns: [
          ['ID', (r) => r.ID],
          ['NAME', (r) => r.Name],
          ['CPU %', (r) => r.CPUPerc],
          ['MEM USAGE / LIMIT', (r) => r.MemUsage],
          ['MEM %', (r) => r.MemPerc],
          ['NET IO', (r) => r.NetIO],
          ['BLOCK IO', (r) => r.BlockIO],
          ['PIDS', (r) => r.PIDs],
          ['CPU TIME', (r) => r.CPUTime],
          ['AVG CPU %', (r) => r.AVGCPU],
        ],
      });
    });
    return 0;
  }
}
