import { Command, Option } from 'clipanion';
import { TspodCommand } from './tspod-command';
import { formatOutput } from '../src/go-template';

export default class VersionCommand extends TspodCommand {
  static override paths = [['version'], ['system', 'version']];
  static override usage = Command.Usage({
    description: 'Display the tspod version information',
    examples: [
      ['Show the version', '$0 version'],
      ['Only the version number', "$0 version --format '{{.Client.Version}}'"],
    ],
  });
  format = Option.String('-f,--format', { description: 'format the output: json or a Go template such as {{.Client.Version}}' });

  async execute(): Promise<number> {
    const report = this.engine.version();
    if (this.format) {
      this.write(formatOutput(report, this.format, 'version'));
      return 0;
    }
    const c = report.Client;
    const rows: Array<[string, string]> = [
      ['Client', 'tspod'],
      ['Version', c.Version],
      ['API Version', c.APIVersion],
      ['Node Version', c.NodeVersion],
      ['Git Commit', c.GitCommit],
      ['Built', c.BuiltTime],
      ['OS/Arch', c.OsArch],
    ];
    this.write(rows.filter(([, v]) => v !== '').map(([k, v]) => `${`${k}:`.padEnd(14)}${v}\n`).join(''));
    return 0;
  }
}
