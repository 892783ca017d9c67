import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ContainerPauseCommand extends TspodCommand {
  static override paths = [['pause'], ['container', 'pause']];
  static override usage = Command.Usage({
    description: 'Pause all the processes in one or more containers',
    details: 'Uses the cgroup freezer; where a rootless container has no freezer cgroup of its own (cgroups v1 hosts, and cgroups v2 hosts until tspod creates per-container cgroups) it fails and says why.',
    examples: [['Pause one', '$0 pause web']],
  });
  all = Option.Boolean('-a,--all', false, { description: 'Pause all running containers' });
  names = Option.Rest();

  async execute(): Promise<number> {
    return this.printReports(await this.engine.containers.pause(this.names, this.all, true), (r) => r.name || r.id);
  }
}
