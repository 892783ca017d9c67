import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';
import { parseTimeSpec } from '../../src/time-spec';

export default class PodLogsCommand extends TspodCommand {
  static override paths = [['pod', 'logs']];
  static override usage = Command.Usage({
    description: "Show the output of a pod's containers",
    details: "Each container's log in turn (followed side by side with -f), every line after the container's short ID, or its name with --names, as logs shows several containers. The infra container counts as one of them but logs nothing.",
    examples: [['All of them', '$0 pod logs web'], ['One container, followed', '$0 pod logs -f -c web-app web'], ['The last 10 lines of each, by name', '$0 pod logs --tail 10 --names web']],
  });
  container = Option.String('-c,--container', { description: "only this container's log (a name or ID of the pod's)" });
  follow = Option.Boolean('-f,--follow', false, { description: 'keep printing new output until the containers stop' });
  since = Option.String('--since', { description: 'show output since a time (RFC 3339, Unix time, or a duration such as 10m)' });
  until = Option.String('--until', { description: 'show output up to a time' });
  tail = Option.String('--tail', { description: 'number of lines from the end of each log to show (-1: all)' });
  timestamps = Option.Boolean('-t,--timestamps', false, { description: 'prefix each line with its time' });
  names = Option.Boolean('-n,--names', false, { description: "start lines with the container's name instead of its ID" });
  color = Option.Boolean('--color', false, { description: 'give each container its own color' });
  latest = Option.Boolean('-l,--latest', false, { description: 'the latest pod created' });
  pods = Option.Rest();

  async execute(): Promise<number> {
    if (this.pods.length > 1) throw new InvalidArgumentError('requires exactly 1 arg: give one pod');
    if (this.latest && this.pods.length > 0) throw new InvalidArgumentError('--latest and pods cannot be used together');
    if (!this.latest && this.pods.length === 0) throw new InvalidArgumentError('specify at least one pod name or ID to log, or --latest');
    if (this.tail !== undefined && !/^-?\d+$/.test(this.tail)) throw new InvalidArgumentError(`invalid --tail "${this.tail}": give a number of lines`);
    const tail = this.tail === undefined || Number(this.tail) < 0 ? undefined : Number(this.tail);
    const opts = {
      follow: this.follow,
      tail,
      since: this.since ? parseTimeSpec(this.since) : undefined,
      until: this.until ? parseTimeSpec(this.until) : undefined,
      timestamps: this.timestamps,
      container: this.container,
      names: this.names,
      colors: this.color,
    };
    await this.engine.pods.logs(this.pods[0], opts, process.stdout, process.stderr);
    return 0;
  }
}
