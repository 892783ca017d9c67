import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class NetworkUpdateCommand extends TspodCommand {
  static override paths = [['network', 'update']];
  static override usage = Command.Usage({
    description: "Change a network's name servers",
    details: "The servers its containers' resolv.conf names (network create --dns). Containers started from now on get them; running ones at their next start.",
    examples: [['Add one, drop another', '$0 network update --dns-add 10.0.0.53 --dns-drop 1.1.1.1 app']],
  });
  dnsAdd = Option.Array('--dns-add', [], { description: 'name server to add (repeatable, or comma-separated)' });
  dnsDrop = Option.Array('--dns-drop', [], { description: 'name server to drop (repeatable, or comma-separated)' });
  name = Option.String();

  async execute(): Promise<number> {
    const split = (list: string[]) => list.flatMap((d) => d.split(',')).filter(Boolean);
    this.engine.networks.update(this.name, { dnsAdd: split(this.dnsAdd), dnsDrop: split(this.dnsDrop) });
    this.write(`${this.name}\n`);
    return 0;
  }
}
