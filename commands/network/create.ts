import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { refusedOption } from '../refused-option';

export default class NetworkCreateCommand extends TspodCommand {
  static override paths = [['network', 'create']];
  static override usage = Command.Usage({
    description: 'Create a network that containers join by name',
    details: 'A bridge network: its containers reach each other by name and --network-alias, other networks cannot reach them, and --internal ones have no way out. The subnet is the first free 10.89.N.0/24 unless --subnet says otherwise.',
    examples: [['A network', '$0 network create app'], ['With a subnet, no way out', '$0 network create --subnet 10.90.0.0/24 --internal backend']],
  });
  subnet = Option.String('--subnet', { description: 'IPv4 subnet, e.g. 10.90.0.0/24' });
  gateway = Option.String('--gateway', { description: 'gateway address inside the subnet (default: its first)' });
  internal = Option.Boolean('--internal', false, { description: 'no route out of the network' });
  label = Option.Array('--label', [], { description: 'KEY=VALUE label' });
  driver = Option.String('-d,--driver', { description: 'bridge (the only driver)' });
  ignore = Option.Boolean('--ignore', false, { description: 'no error when the network exists' });
  ipamDriver = Option.String('--ipam-driver', { description: 'host-local (tspod hands out the addresses itself)' });
  interfaceName = Option.String('--interface-name', { description: 'name of the bridge (default tspodN)' });
  ipRange = Option.String('--ip-range', { description: 'give containers addresses from this range only: a subnet or START-END' });
  route = Option.Array('--route', [], { description: 'static route for its containers: DESTINATION/BITS,GATEWAY[,METRIC]' });
  disableDns = Option.Boolean('--disable-dns', false, { description: 'do not tell its containers each other\'s names' });
  dns = Option.Array('--dns', [], { description: 'name server for its containers (unless they have their own --dns)' });
  opt = Option.Array('-o,--opt', [], { description: 'driver option: mtu=N, isolate=true' });
  ipv6 = refusedOption('network create', '--ipv6');
  name = Option.String({ required: false });

  async execute(): Promise<number> {
    const n = this.engine.networks.create(this.name, {
      subnet: this.subnet,
      gateway: this.gateway,
      internal: this.internal,
      labels: this.label,
      driver: this.driver,
      ignore: this.ignore,
      ipamDriver: this.ipamDriver,
      interfaceName: this.interfaceName,
      ipRange: this.ipRange,
      routes: this.route,
      disableDns: this.disableDns,
      dns: this.dns.flatMap((d) => d.split(',')),
      options: this.opt,
    });
    this.write(`${n.name}\n`);
    return 0;
  }
}
