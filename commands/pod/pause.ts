import { Command } from 'clipanion';
import { PodVerbCommand } from './select';

export default class PodPauseCommand extends PodVerbCommand {
  static override paths = [['pod', 'pause']];
  static override usage = Command.Usage({
    description: 'Pause the containers of one or more pods',
    details: "Goes through each container's pause, which needs a cgroup freezer of the container's own (see tspod pause).",
    examples: [['Pause a pod', '$0 pod pause web']],
  });

  async execute(): Promise<number> {
    return this.printPods(await this.engine.pods.pause(this.selection(), true));
  }
}
