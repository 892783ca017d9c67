import { Command, Option } from 'clipanion';
import { PodVerbCommand } from './select';

export default class PodKillCommand extends PodVerbCommand {
  static override paths = [['pod', 'kill']];
  static override usage = Command.Usage({
    description: 'Send a signal to the containers of one or more pods',
    details: "Every running container of the pod gets the signal, its infra container last. Prints the pod IDs.",
    examples: [['Kill a pod', '$0 pod kill web'], ['Send SIGHUP', '$0 pod kill -s HUP web']],
  });
  signal = Option.String('-s,--signal', 'KILL', { description: 'signal to send (default KILL)' });

  async execute(): Promise<number> {
    return this.printPods(await this.engine.pods.kill(this.selection(), this.signal));
  }
}
