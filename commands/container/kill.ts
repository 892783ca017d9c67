import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { cidfileFlag, latestFlag } from './select-flags';

export default class ContainerKillCommand extends TspodCommand {
  static override paths = [['kill'], ['container', 'kill']];
  static override usage = Command.Usage({
    description: 'Kill one or more running containers with a signal',
    examples: [['Stop a container at once', '$0 kill web'], ['Ask it to reload', '$0 kill -s HUP web']],
  });
  signal = Option.String('-s,--signal', 'KILL', { description: 'signal to send (name or number)' });
  all = Option.Boolean('-a,--all', false, { description: 'signal all running containers' });
  cidfile = cidfileFlag();
  latest = latestFlag();
  names = Option.Rest();

  async execute(): Promise<number> {
    const reports = await this.engine.containers.kill(this.names, { signal: this.signal, all: this.all, cidFiles: this.cidfile, latest: this.latest });
    return this.printReports(reports, (r) => r.name || r.id);
  }
}
