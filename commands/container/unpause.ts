import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ContainerUnpauseCommand extends TspodCommand {
  static override paths = [['unpause'], ['container', 'unpause']];
  static override usage = Command.Usage({
    description: 'Unpause all the processes in one or more containers',
    details: 'Uses the cgroup freezer; where a rootless container has no freezer cgroup of its own (cgroups v1 hosts, and cgroups v2 hosts until tspod creates per-container cgroups) it fails and says why.',
    examples: [['Unpause one', '$0 unpause web']],
  });
  all = Option.Boolean('-a,--all', false, { description: 'Unpause all running containers' });
  names = Option.Rest();

  async execute(): Promise<number> {
    return this.printReports(await this.engine.containers.pause(this.names, this.all, false), (r) => r.name || r.id);
  }
}
