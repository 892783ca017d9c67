import { Command, Option } from 'clipanion';
import { TspodCommand } from './tspod-command';
import { formatOutput } from '../src/go-template';
import { toYaml } from '../src/yaml-output';

export default class InfoCommand extends TspodCommand {
  static override paths = [['info'], ['system', 'info']];
  static override usage = Command.Usage({
    description: 'Display tspod related system information',
    details: 'Reports the host (kernel, cgroups, OCI runtime, user namespace ID mappings and the tools that set them up, FUSE/TUN devices, overlay support, network helpers), the registries search list, and the storage paths. `tspod system check` turns the same facts into a list of missing prerequisites with fixes.',
    examples: [
      ['Show everything', '$0 info'],
      ['The OCI runtime path', "$0 info --format '{{.Host.OciRuntime.Path}}'"],
    ],
  });
  format = Option.String('-f,--format', { description: 'format the output: json or a Go template' });

  async execute(): Promise<number> {
    const report = await this.engine.info();
    this.write(this.format ? formatOutput(report, this.format, 'info') : toYaml(report));
    return 0;
  }
}
