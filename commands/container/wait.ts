import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ContainerWaitCommand extends TspodCommand {
  static override paths = [['wait'], ['container', 'wait']];
  static override usage = Command.Usage({
    description: 'Wait for containers to exit and print their exit codes',
    examples: [['Wait for a job', '$0 wait job']],
  });
  ignore = Option.Boolean('--ignore', false, { description: 'ignore containers that do not exist (their exit code is -1)' });
  names = Option.Rest({ required: 1 });

  async execute(): Promise<number> {
    const reports = await this.engine.containers.wait(this.names, { ignore: this.ignore });
    return this.printReports(reports, (r) => String(r.exitCode));
  }
}
