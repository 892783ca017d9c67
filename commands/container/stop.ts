import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { seconds } from './create-flags';
import { cidfileFlag, filterFlag, latestFlag } from './select-flags';

export default class ContainerStopCommand extends TspodCommand {
  static override paths = [['stop'], ['container', 'stop']];
  static override usage = Command.Usage({
    description: 'Stop one or more running containers',
    details: "Sends the container's stop signal (SIGTERM unless set), then SIGKILL after the timeout. Several containers stop in parallel.",
    examples: [['Stop at once', '$0 stop -t 0 web'], ['Stop everything', '$0 stop -a']],
  });
  all = Option.Boolean('-a,--all', false, { description: 'stop all running containers' });
  time = Option.String('-t,--time', { description: 'seconds to wait before killing the container (default: its stop timeout, 10)' });
  ignore = Option.Boolean('-i,--ignore', false, { description: 'ignore containers that do not exist' });
  cidfile = cidfileFlag();
  latest = latestFlag();
  filter = filterFlag();
  names = Option.Rest();

  async execute(): Promise<number> {
    const reports = await this.engine.containers.stop(this.names, { all: this.all, timeout: this.time === undefined ? undefined : seconds(this.time, '--time'), ignore: this.ignore, cidFiles: this.cidfile, latest: this.latest, filters: this.filter });
    return this.printReports(reports, (r) => r.name || r.id);
  }
}
