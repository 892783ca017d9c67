import { Command } from 'clipanion';
import { PodVerbCommand } from './select';

export default class PodUnpauseCommand extends PodVerbCommand {
  static override paths = [['pod', 'unpause']];
  static override usage = Command.Usage({
    description: 'Unpause the containers of one or more pods',
    details: "Goes through each container's unpause, which needs a cgroup freezer of the container's own (see tspod unpause).",
    examples: [['Unpause a pod', '$0 pod unpause web']],
  });

  async execute(): Promise<number> {
    return this.printPods(await this.engine.pods.pause(this.selection(), false));
  }
}
