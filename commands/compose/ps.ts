import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeTarget } from './compose-target';
import { formatPorts } from '../format/ps-row';
import { ago, formatTable } from '../../src/human-units';
import { InvalidArgumentError } from '../../src/errors';
import type { Engine } from '../../libpod/engine';

type Row = ReturnType<Engine['compose']['ps']>[number];

/** Docker's COMMAND cell: quoted, cut at 20 characters with an ellipsis. */
function commandCell(args: string[], noTrunc: boolean): string {
  const text = args.join(' ');
  return `"${noTrunc || text.length <= 20 ? text : `${text.slice(0, 19)}…`}"`;
}

/** One container as Docker Compose's ps --format json prints it (one object per line since Compose 2.21). */
function jsonOf(r: Row): Record<string, unknown> {
  const s = r.summary;
  return {
    Command: `"${s.args.join(' ')}"`,
    CreatedAt: `${new Date(s.createdAt).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`,
    ExitCode: s.exitCode,
    Health: /\((healthy|unhealthy|starting)\)/.exec(s.status)?.[1] ?? '',
    ID: s.id,
    Image: s.image,
    Labels: Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(','),
    Name: s.name,
    Names: s.name,
    Ports: formatPorts(s.ports),
    Project: r.project,
    Publishers: s.ports.map((p) => ({ URL: p.hostIp || '0.0.0.0', TargetPort: p.containerPort, PublishedPort: p.hostPort, Protocol: p.protocol })),
    RunningFor: ago(s.createdAt),
    Service: r.service,
    State: r.state,
    Status: s.status,
  };
}

export default class ComposePsCommand extends ComposeCommand {
  static override paths = [['compose', 'ps']];
  static override needsUserNamespace = false;
  static override usage = Command.Usage({
    description: 'List containers',
    details: 'The running containers of the project (with -a, stopped ones and those of "compose run" too), sorted by name.',
    examples: [['Every container', '$0 compose ps -a'], ['As JSON lines', '$0 compose ps --format json'], ['Exited ones', '$0 compose ps --status exited']],
  });
  all = Option.Boolean('-a,--all', false, { description: 'show stopped containers too (and those made by the run command)' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'only display IDs' });
  services = Option.Boolean('--services', false, { description: 'display services' });
  status = Option.Array('--status', [], { description: 'filter by status: paused, restarting, removing, running, dead, created, exited' });
  filter = Option.Array('--filter', [], { description: 'filter by a property (status=S)' });
  format = Option.String('--format', 'table', { description: 'table or json' });
  noTrunc = Option.Boolean('--no-trunc', false, { description: "don't truncate output" });
  names = Option.Rest({ name: 'service' });

  async execute(): Promise<number> {
    if (this.format !== 'table' && this.format !== 'json') throw new InvalidArgumentError(`invalid --format "${this.format}": use table or json`);
    const rows = this.engine.compose.ps(composeTarget(this), { all: this.all, services: this.names, status: this.status, filters: this.filter });
    const lines = (list: string[]) => list.map((l) => `${l}\n`).join('');
    if (this.quiet) this.write(lines(rows.map((r) => r.summary.id)));
    else if (this.services) this.write(lines([...new Set(rows.map((r) => r.service))]));
    else if (this.format === 'json') this.write(lines(rows.map((r) => JSON.stringify(jsonOf(r)))));
    else {
      const now = Date.now();
      const cells = rows.map((r) => [r.summary.name, r.summary.image, commandCell(r.summary.args, this.noTrunc), r.service, ago(r.summary.createdAt, now), r.summary.status, formatPorts(r.summary.ports)]);
      this.write(formatTable(['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'], cells));
    }
    return 0;
  }
}
