import { Command, Option } from 'clipanion';
import { TspodCommand } from './tspod-command';

export default class QuadletCommand extends TspodCommand {
  static override paths = [['quadlet']];
  static override usage = Command.Usage({
    description: 'Turn quadlet .container files into systemd service units',
    details:
      'Converts the files given, else every .container file in ~/.config/containers/systemd/ and ~/.config/tspod/systemd/. The unit runs a fresh container per start (Type=notify) and removes it at stop. With --output the units are written there (a systemd user generator passes its output directory: a script in ~/.config/systemd/user-generators/ that runs `tspod quadlet --output "$1"`); else printed, each after a ---NAME.service--- line.',
    examples: [
      ['Print the unit for one file', '$0 quadlet web.container'],
      ['Install the units for systemd', '$0 quadlet --output ~/.config/systemd/user && systemctl --user daemon-reload'],
    ],
  });
  output = Option.String('-o,--output', { description: 'write the .service files into this directory' });
  dryrun = Option.Boolean('--dryrun', false, { description: 'print the units even with --output' });
  files = Option.Rest();

  async execute(): Promise<number> {
    const units = this.engine.generate.fromQuadlet(this.files, this.dryrun ? undefined : this.output);
    for (const u of units) this.write(u.path ? `${u.path}\n` : `---${u.name}.service---\n${u.text}`);
    return 0;
  }
}
