import { Command, Option } from 'clipanion';
import { PodVerbCommand } from './select';
import { seconds } from '../container/create-flags';

export default class PodStopCommand extends PodVerbCommand {
  static override paths = [['pod', 'stop']];
  static override usage = Command.Usage({
    description: 'Stop one or more pods',
    details: "The pod's containers are stopped first, then its infra container. Prints the pod IDs.",
    examples: [['Stop a pod at once', '$0 pod stop -t 0 web']],
  });
  ignore = Option.Boolean('-i,--ignore', false, { description: 'ignore pods that do not exist' });
  time = Option.String('-t,--time', { description: 'seconds to wait for each container to stop before SIGKILL (default: each one\'s stop timeout)' });

  async execute(): Promise<number> {
    return this.printPods(await this.engine.pods.stop(this.selection(this.ignore), this.time === undefined ? undefined : seconds(this.time, '--time')));
  }
}
