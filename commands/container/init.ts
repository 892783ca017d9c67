import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { latestFlag } from './select-flags';

export default class ContainerInitCommand extends TspodCommand {
  static override paths = [['init'], ['container', 'init']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Initialize one or more containers',
    details: 'Mounts the root filesystem, writes the OCI bundle, sets up the network and has the OCI runtime create the container without starting its command: the container is `Initialized` until `start` runs it.',
    examples: [
      ['Look at the bundle before the command runs', '$0 init web && $0 inspect --format "{{.OCIConfigPath}}" web'],
      ['Every created container', '$0 init --all'],
    ],
  });
  all = Option.Boolean('-a,--all', false, { description: 'initialize every created or exited container (others are left alone)' });
  latest = latestFlag();
  names = Option.Rest();

  async execute(): Promise<number> {
    return this.printReports(await this.engine.containers.init(this.names, { all: this.all, latest: this.latest }), (r) => r.name);
  }
}
