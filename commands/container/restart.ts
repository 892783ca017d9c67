import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { seconds } from './create-flags';
import { cidfileFlag, filterFlag, latestFlag } from './select-flags';

export default class ContainerRestartCommand extends TspodCommand {
  static override paths = [['restart'], ['container', 'restart']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Restart one or more containers',
    details: 'Stops a running container (stop signal, then SIGKILL after the timeout) and starts it again; a stopped one is started.',
    examples: [['Restart at once', '$0 restart -t 0 web']],
  });
  time = Option.String('-t,--time', { description: 'seconds to wait before killing the container (default: its stop timeout)' });
  all = Option.Boolean('-a,--all', false, { description: 'restart all containers' });
  running = Option.Boolean('--running', false, { description: 'with --all, only the running ones' });
  cidfile = cidfileFlag();
  latest = latestFlag();
  filter = filterFlag();
  names = Option.Rest();

  async execute(): Promise<number> {
    const reports = await this.engine.containers.restart(this.names, { all: this.all, running: this.running, cidFiles: this.cidfile, latest: this.latest, filters: this.filter, timeout: this.time === undefined ? undefined : seconds(this.time, '--time') });
    // As Podman's: the name or ID as given (the ID for --all).
    return this.printReports(reports, (r) => r.name || r.id);
  }
}
