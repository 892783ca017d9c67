import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { refusedOption } from '../refused-option';

export class NetworkConnectCommand extends TspodCommand {
  static override paths = [['network', 'connect']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({ description: 'Connect a stopped container to a network', details: 'It is on the network from its next start; one on slirp4netns, pasta or none moves onto user-defined networks.', examples: [['With an alias', '$0 network connect --alias db app postgres']] });
  alias = Option.Array('--alias', [], { description: 'another name on this network' });
  ip = Option.String('--ip', { description: 'a fixed address on this network' });
  mac = Option.String('--mac-address', { description: 'a fixed MAC address' });
  ip6 = refusedOption('network connect', '--ip6');
  network = Option.String();
  container = Option.String();

  async execute(): Promise<number> {
    await this.engine.networks.connect(this.network, this.container, { aliases: this.alias, ip: this.ip, mac: this.mac });
    return 0;
  }
}

export class NetworkDisconnectCommand extends TspodCommand {
  static override paths = [['network', 'disconnect']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({ description: 'Disconnect a stopped container from a network', examples: [['Leave', '$0 network disconnect app postgres']] });
  force = Option.Boolean('-f,--force', false, { description: 'accepted for compatibility' });
  network = Option.String();
  container = Option.String();

  async execute(): Promise<number> {
    await this.engine.networks.disconnect(this.network, this.container);
    return 0;
  }
}
