import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { formatOutput } from '../../src/go-template';

export default class SystemCheckCommand extends TspodCommand {
  static override paths = [['system', 'check']];
  static override usage = Command.Usage({
    description: 'Check that this host has everything rootless containers need',
    details: 'Lists each prerequisite as ok, warning or error; every error comes with the exact command that fixes it. Exits 125 when any error is found.',
    examples: [['Check the host', '$0 system check']],
  });
  format = Option.String('-f,--format', { description: 'format the output: json or a Go template' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'print only warnings and errors' });

  async execute(): Promise<number> {
    const { assertCheckPassed } = await import('../../libpod/engine');
    const report = await this.engine.systemCheck();
    if (this.format) {
      this.write(formatOutput(report, this.format, 'check'));
    } else {
      for (const c of report.checks) {
        if (this.quiet && c.severity === 'ok') continue;
        this.write(`${c.severity.padEnd(8)} ${c.name}: ${c.message}\n`);
        if (c.fix) this.write(`${' '.repeat(9)}fix: ${c.fix}\n`);
      }
      if (report.errors === 0) this.write(`\n${report.warnings} warning${report.warnings === 1 ? '' : 's'}, no errors: this host can run rootless containers\n`);
    }
    assertCheckPassed(report);
    return 0;
  }
}
