import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { parseGoDuration } from '../../src/time-spec';
import { latestFlag } from './select-flags';

export default class ContainerWaitCommand extends TspodCommand {
  static override paths = [['wait'], ['container', 'wait']];
  static override usage = Command.Usage({
    description: 'Wait for containers to exit (or reach another state) and print their exit codes',
    details: 'Codes are printed in the order the containers were given; -1 for conditions other than stopped and exited.',
    examples: [['Wait for a job', '$0 wait job'], ['Until it runs', '$0 wait --condition running web']],
  });
  condition = Option.Array('--condition', [], { description: 'state to wait for, repeatable: stopped (default), exited, running, created, configured, stopping, paused, removing' });
  interval = Option.String('-i,--interval', '50ms', { description: 'how often to look (a duration; a bare number is milliseconds; default 50ms)' });
  ignore = Option.Boolean('--ignore', false, { description: 'a container that does not exist prints -1 instead of an error' });
  exitFirstMatch = Option.Boolean('--exit-first-match', false, { description: 'return when the first container meets a condition' });
  latest = latestFlag();
  names = Option.Rest();

  async execute(): Promise<number> {
    const intervalMs = parseGoDuration(this.interval, '--interval');
    const reports = await this.engine.containers.wait(this.names, { conditions: this.condition, intervalMs, ignore: this.ignore, exitFirstMatch: this.exitFirstMatch, latest: this.latest });
    return this.printReports(reports, (r) => String(r.exitCode));
  }
}
