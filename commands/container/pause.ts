import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

const DETAILS = 'Uses the cgroup freezer; where a rootless container has no freezer cgroup of its own (cgroups v1 hosts, and cgroups v2 hosts that delegate no subtree to the user) it fails and says why; where one is delegated each container has its own cgroup, which the runtime freezes.';

/** pause and unpause: the same names and flags, one direction each. */
abstract class FreezeCommand extends TspodCommand {
  protected abstract readonly pause: boolean;
  all = Option.Boolean('-a,--all', false, { description: 'All running (pause) or paused (unpause) containers' });
  names = Option.Rest();

  async execute(): Promise<number> {
    return this.printReports(await this.engine.containers.pause(this.names, this.all, this.pause), (r) => r.name || r.id);
  }
}

export class ContainerPauseCommand extends FreezeCommand {
  static override paths = [['pause'], ['container', 'pause']];
  static override usage = Command.Usage({ description: 'Pause all the processes in one or more containers', details: DETAILS, examples: [['Pause one', '$0 pause web']] });
  protected readonly pause = true;
}

export class ContainerUnpauseCommand extends FreezeCommand {
  static override paths = [['unpause'], ['container', 'unpause']];
  static override usage = Command.Usage({ description: 'Unpause the processes in one or more containers', details: DETAILS, examples: [['Unpause one', '$0 unpause web']] });
  protected readonly pause = false;
}
