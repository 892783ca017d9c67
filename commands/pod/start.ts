import { Command } from 'clipanion';
import { PodVerbCommand } from './select';

export default class PodStartCommand extends PodVerbCommand {
  static override paths = [['pod', 'start']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Start one or more pods',
    details: 'The infra container starts first, then the init containers (--init-ctr), then the others in the order they were created. Prints the pod IDs.',
    examples: [['Start a pod', '$0 pod start web'], ['Start every pod', '$0 pod start -a']],
  });

  async execute(): Promise<number> {
    return this.printPods(await this.engine.pods.start(this.selection()));
  }
}
