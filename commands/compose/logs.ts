import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeIo } from './lifecycle-flags';
import { InvalidArgumentError } from '../../src/errors';

export default class ComposeLogsCommand extends ComposeCommand {
  static override paths = [['compose', 'logs']];
  static override usage = Command.Usage({
    description: 'View output from containers',
    details: "Each line starts with its container's name (`web-1 | ...`). Here -f is --follow, as in Docker Compose: give the compose file with --file (or -f before the verb).",
    examples: [['Follow the web service', '$0 compose logs -f web'], ['The last 5 lines of each', '$0 compose logs --tail 5']],
  });
  // Docker Compose's logs takes -f for --follow: the file is --file here.
  override files = Option.Array('--file', [], { description: 'compose configuration files ("-" for stdin)' });
  follow = Option.Boolean('-f,--follow', false, { description: 'follow log output' });
  tail = Option.String('-n,--tail', { description: 'number of lines to show from the end of the logs for each container ("all" or a number)' });
  timestamps = Option.Boolean('-t,--timestamps', false, { description: 'show timestamps' });
  since = Option.String('--since', { description: 'show logs since timestamp (2013-01-02T13:23:37Z) or relative (42m)' });
  until = Option.String('--until', { description: 'show logs before a timestamp or relative time' });
  noLogPrefix = Option.Boolean('--no-log-prefix', false, { description: "don't print a prefix in logs" });
  noColor = Option.Boolean('--no-color', false, { description: 'produce monochrome output' });
  index = Option.String('--index', { description: 'index of the container if the service has multiple replicas' });
  services = Option.Rest();

  async execute(): Promise<number> {
    if (this.index !== undefined && !/^[1-9]\d*$/.test(this.index)) throw new InvalidArgumentError(`invalid --index "${this.index}": give a container number, 1 or more`);
    await this.engine.compose.logs(
      this.project,
      { services: this.services, follow: this.follow, tail: this.tail, timestamps: this.timestamps, since: this.since, until: this.until, noLogPrefix: this.noLogPrefix, noColor: this.noColor, index: this.index === undefined ? undefined : Number(this.index) },
      composeIo(this.context),
    );
    return 0;
  }
}
