import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

/** How a container's monitor reports a change of its health (the health_status event): not for users. */
export default class HealthcheckEventCommand extends TspodCommand {
  static override paths = [['healthcheck', 'event']];
  static override usage = Command.Usage({ category: 'hidden', description: "Record a health_status event (run by the container's monitor)" });
  id = Option.String();
  status = Option.String();

  async execute(): Promise<number> {
    this.engine.health.event(this.id, this.status);
    return 0;
  }
}
