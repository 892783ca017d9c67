import { Command, Option } from 'clipanion';
import { TspodCommand } from './tspod-command';
import { compileFormat, isJsonFormat } from '../src/go-template';
import { parseTimeSpec } from '../src/time-spec';
import { eventJson, eventJsonLine, formatEvent } from './format/event-line';

export default class EventsCommand extends TspodCommand {
  static override paths = [['events'], ['system', 'events']];
  static override usage = Command.Usage({
    description: 'Show events: what tspod commands did to containers, images, volumes and networks',
    details:
      'Without --since or --until, prints the events that happen from now on. There is no daemon: each command records its events, and an exit is recorded by the first command that notices it (this one too, while it follows). Follows new events until interrupted unless --stream=false, or until the --until time.',
    examples: [
      ['What happened in the last minute', '$0 events --since 1m --stream=false'],
      ['Follow one container', '$0 events --filter container=web'],
    ],
  });
  since = Option.String('--since', { description: 'show events since a time (RFC 3339, Unix time, or a duration such as 10m)' });
  until = Option.String('--until', { description: 'show events up to a time, then stop' });
  filter = Option.Array('-f,--filter', [], { description: 'container=, event=, image=, label=, pod=, volume=, type=' });
  format = Option.String('--format', { description: 'json (one object per line), or a Go template such as {{.Status}} {{.Name}}' });
  stream = Option.Boolean('--stream', true, { description: 'follow new events (default true)' });
  noTrunc = Option.Boolean('--no-trunc', true, { description: 'do not truncate IDs (default true)' });

  async execute(): Promise<number> {
    const json = this.format !== undefined && isJsonFormat(this.format);
    const template = this.format && !json ? compileFormat(this.format, 'events') : null;
    await this.engine.containers.events(
      { since: this.since ? parseTimeSpec(this.since) : undefined, until: this.until ? parseTimeSpec(this.until) : undefined, filters: this.filter, stream: this.stream },
      (e) => this.write(template ? template.renderAll([eventJson(e)]) : `${json ? eventJsonLine(e) : formatEvent(e, this.noTrunc)}\n`),
    );
    return 0;
  }
}
