import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeTarget } from './compose-target';
import { parseTimeSpec } from '../../src/time-spec';

export default class ComposeEventsCommand extends ComposeCommand {
  static override paths = [['compose', 'events']];
  static override needsUserNamespace = false;
  static override usage = Command.Usage({
    description: 'Receive real time events from containers',
    details: "The project's container events from now on (or --since), until interrupted (or --until): `TIME container ACTION ID (image=..., name=...)`, or with --json one object per line.",
    examples: [['Follow them', '$0 compose events'], ['As JSON, for one service', '$0 compose events --json web']],
  });
  json = Option.Boolean('--json', false, { description: 'output events as a stream of json objects' });
  since = Option.String('--since', { description: 'show events since this time (RFC 3339, Unix time, or a duration such as 10m)' });
  until = Option.String('--until', { description: 'stop at this time' });
  services = Option.Rest({ name: 'service' });

  async execute(): Promise<number> {
    const opts = { json: this.json, since: this.since ? parseTimeSpec(this.since) : undefined, until: this.until ? parseTimeSpec(this.until) : undefined };
    await this.engine.compose.events(composeTarget(this), this.services, opts, (line) => this.write(line));
    return 0;
  }
}
