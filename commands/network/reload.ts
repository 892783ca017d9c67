import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { latestFlag } from '../container/select-flags';

export default class NetworkReloadCommand extends TspodCommand {
  static override paths = [['network', 'reload']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: "Make running containers' firewall rules again",
    details: "For containers on user-defined networks: their networks' rules that are missing, and their published ports' rules afresh. Containers on slirp4netns or pasta have none to make.",
    examples: [['One container', '$0 network reload web'], ['Every running container', '$0 network reload --all']],
  });
  all = Option.Boolean('-a,--all', false, { description: 'every running container' });
  latest = latestFlag();
  names = Option.Rest();

  async execute(): Promise<number> {
    const reports = await this.engine.containers.networkReload(this.names, { all: this.all, latest: this.latest });
    return this.printReports(reports, (r) => r.id);
  }
}
