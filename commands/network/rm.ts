import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { seconds } from '../container/create-flags';

export default class NetworkRmCommand extends TspodCommand {
  static override paths = [['network', 'rm'], ['network', 'remove']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({ description: 'Remove networks', details: 'A network with member containers is refused unless --force, which removes them too.', examples: [['One', '$0 network rm app']] });
  force = Option.Boolean('-f,--force', false, { description: 'remove the containers on it too' });
  time = Option.String('-t,--time', { description: 'seconds to wait for those containers to stop (default 0)' });
  names = Option.Rest({ required: 1 });

  async execute(): Promise<number> {
    const reports = await this.engine.networks.remove(this.names, { force: this.force, timeout: this.time === undefined ? undefined : seconds(this.time, '--time') });
    return this.printRemovals(reports, this.force, (r) => r.name);
  }
}
