import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';
import { parseTimeSpec } from '../../src/time-spec';

export default class NetworkLsCommand extends TspodCommand {
  static override paths = [['network', 'ls'], ['network', 'list']];
  static override usage = Command.Usage({ description: 'List networks', examples: [['All', '$0 network ls'], ['Names only', '$0 network ls -q']] });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'names only' });
  noTrunc = Option.Boolean('--no-trunc', false, { description: 'full IDs' });
  format = Option.String('--format', { description: 'json, or a Go template such as {{.Name}} {{.Subnets}}' });
  filter = Option.Array('-f,--filter', [], { description: 'name=, id=, label=' });
  noHeading = Option.Boolean('-n,--noheading', false, { description: 'do not print the column headings' });

  async execute(): Promise<number> {
    let nets = this.engine.networks.list();
    const hasLabel = (n: (typeof nets)[number], value: string) => (value.includes('=') ? n.config.labels[value.split('=')[0]] === value.slice(value.indexOf('=') + 1) : value in n.config.labels);
    for (const f of this.filter) {
      const [key, ...rest] = f.split('=');
      const value = rest.join('=');
      if (key === 'name') nets = nets.filter((n) => new RegExp(value).test(n.name));
      else if (key === 'id') nets = nets.filter((n) => n.id.startsWith(value));
      else if (key === 'label') nets = nets.filter((n) => hasLabel(n, value));
      else if (key === 'label!') nets = nets.filter((n) => !hasLabel(n, value));
      else if (key === 'driver') nets = nets.filter((n) => n.config.driver === value);
      else if (key === 'until') {
        const t = parseTimeSpec(value);
        nets = nets.filter((n) => n.createdAt < t);
      } else if (key === 'dangling') {
        const unused = new Set(this.engine.networks.unused().map((n) => n.name));
        nets = nets.filter((n) => unused.has(n.name) === (value === 'true'));
      } else throw new InvalidArgumentError(`invalid filter "${key}": use name, id, label, label!, driver, until or dangling`);
    }
    const rows = nets.map((n) => ({ ID: this.noTrunc ? n.id : n.id.slice(0, 12), Name: n.name, Driver: n.config.driver, Subnets: n.config.subnet, Gateway: n.config.gateway, Internal: n.config.internal, Labels: n.config.labels }));
    return this.printList(rows, {
      format: this.format,
      noHeading: this.noHeading,
      quiet: this.quiet ? (r) => r.Name : undefined,
      // Podman's JSON for networks (netavark's field names).
      json: () => nets.map((n) => ({ name: n.name, id: n.id, driver: n.config.driver, network_interface: n.config.bridge, created: new Date(n.createdAt).toISOString(), subnets: [{ subnet: n.config.subnet, gateway: n.config.gateway }], internal: n.config.internal, dns_enabled: !n.config.dnsDisabled, labels: n.config.labels })),
      columns: [
        ['NETWORK ID', (r) => r.ID],
        ['NAME', (r) => r.Name],
        ['DRIVER', (r) => r.Driver],
      ],
    });
  }
}
