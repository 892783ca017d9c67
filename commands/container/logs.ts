import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';
import { parseTimeSpec } from '../../src/time-spec';
import { latestFlag } from './select-flags';

export default class ContainerLogsCommand extends TspodCommand {
  static override paths = [['logs'], ['container', 'logs']];
  static override usage = Command.Usage({
    description: "Show containers' output",
    details: "Read from each container's log file (k8s-file format), so the output of stopped containers is there too. With several containers each line starts with the container's short ID (its name with --names).",
    examples: [['Follow', '$0 logs -f web'], ['The last 10 lines of the last 5 minutes', '$0 logs --tail 10 --since 5m web'], ['Two at once, by name', '$0 logs --names web db']],
  });
  follow = Option.Boolean('-f,--follow', false, { description: 'keep printing new output until the containers stop' });
  tail = Option.String('--tail', { description: 'number of lines from the end to show (-1: all)' });
  since = Option.String('--since', { description: 'show output since a time (RFC 3339, Unix time, or a duration such as 10m)' });
  until = Option.String('--until', { description: 'show output up to a time' });
  timestamps = Option.Boolean('-t,--timestamps', false, { description: 'prefix each line with its time' });
  names = Option.Boolean('-n,--names', false, { description: 'with several containers, start lines with the name instead of the ID' });
  color = Option.Boolean('--color', false, { description: 'give each container its own color' });
  latest = latestFlag();
  containers = Option.Rest();

  async execute(): Promise<number> {
    if (this.tail !== undefined && !/^-?\d+$/.test(this.tail)) throw new InvalidArgumentError(`invalid --tail "${this.tail}": give a number of lines`);
    const tail = this.tail === undefined || Number(this.tail) < 0 ? undefined : Number(this.tail);
    await this.engine.containers.logs(
      this.containers,
      {
        follow: this.follow,
        tail,
        since: this.since ? parseTimeSpec(this.since) : undefined,
        until: this.until ? parseTimeSpec(this.until) : undefined,
        timestamps: this.timestamps,
        latest: this.latest,
        names: this.names,
        colors: this.color,
      },
      process.stdout,
      process.stderr,
    );
    return 0;
  }
}
