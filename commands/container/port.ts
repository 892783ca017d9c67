import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';

export default class ContainerPortCommand extends TspodCommand {
  static override paths = [['port'], ['container', 'port']];
  static override usage = Command.Usage({
    description: "List a container's published ports",
    details: 'Each line is CONTAINER_PORT/PROTOCOL -> HOST_IP:HOST_PORT; with a port, only the host addresses it is published on.',
    examples: [['All of them', '$0 port web'], ['Where port 80 is', '$0 port web 80/tcp'], ['Every container', '$0 port --all']],
  });
  all = Option.Boolean('-a,--all', false, { description: 'List the ports of every running container' });
  latest = Option.Boolean('-l,--latest', false, { description: 'The latest container created' });
  args = Option.Rest({ required: 0 });

  async execute(): Promise<number> {
    const [name, port] = this.all || this.latest ? [undefined, this.args[0]] : this.args;
    if (!name && !this.all && !this.latest) throw new InvalidArgumentError('give a container name or ID, or --all');
    let filter: { port: number; protocol: string } | undefined;
    if (port !== undefined) {
      const m = /^(\d+)(?:\/(tcp|udp))?$/.exec(port);
      if (!m) throw new InvalidArgumentError(`invalid port "${port}": use PORT or PORT/tcp|udp, e.g. 80/tcp`);
      filter = { port: Number(m[1]), protocol: m[2] ?? 'tcp' };
    }
    const rows = this.engine.containers.ports(name, { all: this.all, latest: this.latest });
    let out = '';
    for (const r of rows) {
      const shown = r.ports.filter((p) => !filter || (p.containerPort === filter.port && p.protocol === filter.protocol));
      if (filter && rows.length === 1 && shown.length === 0) throw new InvalidArgumentError(`${filter.port}/${filter.protocol} is not published by ${r.name}`);
      for (const p of shown) {
        const host = `${p.hostIp || '0.0.0.0'}:${p.hostPort}`;
        out += filter ? `${host}\n` : `${this.all ? `${r.id.slice(0, 12)}\t` : ''}${p.containerPort}/${p.protocol} -> ${host}\n`;
      }
    }
    this.write(out);
    return 0;
  }
}
