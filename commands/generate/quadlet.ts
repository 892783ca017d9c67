import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { runValueFlags } from './run-flags';

export default class GenerateQuadletCommand extends TspodCommand {
  static override paths = [['generate', 'quadlet']];
  static override usage = Command.Usage({
    description: 'Generate a quadlet .container file from an existing container',
    details:
      "Writes the container's run command line as quadlet keys (Image=, PublishPort=, Volume=, Environment=, ...); flags with no key go to PodmanArgs=. Put the file in ~/.config/containers/systemd/ and `tspod quadlet` (or systemd's generator) turns it into a service.",
    examples: [['Write web.container here', '$0 generate quadlet --files web']],
  });
  files = Option.Boolean('-f,--files', false, { description: 'write <name>.container in the current directory and print its path' });
  container = Option.String();

  async execute(): Promise<number> {
    const unit = this.engine.generate.quadlet(this.container, runValueFlags(), this.files ? process.cwd() : undefined);
    this.write(unit.path ? `${unit.path}\n` : unit.text);
    return 0;
  }
}
