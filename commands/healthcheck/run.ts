import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class HealthcheckRunCommand extends TspodCommand {
  static override paths = [['healthcheck', 'run']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: "Run a container's healthcheck now",
    details: 'Exit 0 when the container is healthy; otherwise its status (unhealthy, or starting while failures do not count yet) is printed and the exit code is 1. The result is recorded as the monitor records its own checks.',
    examples: [['In a script', '$0 healthcheck run web && echo up']],
  });
  name = Option.String();

  async execute(): Promise<number> {
    const status = await this.engine.health.run(this.name);
    if (status === 'healthy') return 0;
    this.write(`${status}\n`);
    return 1;
  }
}
