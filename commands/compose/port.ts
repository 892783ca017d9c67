import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeTarget, parseIndex } from './compose-target';
import { InvalidArgumentError } from '../../src/errors';

export default class ComposePortCommand extends ComposeCommand {
  static override paths = [['compose', 'port']];
  static override needsUserNamespace = false;
  static override usage = Command.Usage({
    description: 'Print the public port for a port binding',
    examples: [['Where web\'s port 80 is published', '$0 compose port web 80'], ['A UDP port', '$0 compose port --protocol udp dns 53']],
  });
  protocol = Option.String('--protocol', 'tcp', { description: 'tcp or udp' });
  index = Option.String('--index', { description: 'the container number, when the service has several' });
  service = Option.String();
  privatePort = Option.String();

  async execute(): Promise<number> {
    if (!/^\d+$/.test(this.privatePort) || Number(this.privatePort) < 1 || Number(this.privatePort) > 65535) throw new InvalidArgumentError(`invalid port "${this.privatePort}": give the container's port, 1 to 65535`);
    const address = this.engine.compose.port(composeTarget(this), this.service, Number(this.privatePort), { protocol: this.protocol, index: parseIndex(this.index) });
    this.write(`${address}\n`);
    return 0;
  }
}
