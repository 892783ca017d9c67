import { Command, Option } from 'clipanion';
import { TspodCommand } from './tspod-command';

export default class UnshareCommand extends TspodCommand {
  static override paths = [['unshare']];
  static override usage = Command.Usage({
    description: "Run a command in tspod's user namespace",
    details: 'Inside, you are root over your subordinate IDs and see the image mounts. Without a command, starts your shell ($SHELL).',
    examples: [['See the ID mapping', '$0 unshare cat /proc/self/uid_map'], ['Remove files a container left owned by other IDs', '$0 unshare rm -rf ~/data']],
  });
  command = Option.Proxy();

  async execute(): Promise<number> {
    return this.engine.unshare(this.command, this.selfArgv());
  }
}
