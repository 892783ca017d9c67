import { Command, Option } from 'clipanion';
import { PodVerbCommand } from './select';
import { seconds } from '../container/create-flags';

export default class PodRestartCommand extends PodVerbCommand {
  static override paths = [['pod', 'restart']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Restart one or more pods',
    details: 'Stops the pod (its containers, then the infra container) and starts it again. Prints the pod IDs.',
    examples: [['Restart a pod', '$0 pod restart web']],
  });
  time = Option.String('-t,--time', { description: 'seconds to wait for each container to stop before SIGKILL' });

  async execute(): Promise<number> {
    return this.printPods(await this.engine.pods.restart(this.selection(), this.time === undefined ? undefined : seconds(this.time, '--time')));
  }
}
