import fs from 'node:fs';
import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';

export default class ComposeConfigCommand extends ComposeCommand {
  static override paths = [['compose', 'config'], ['compose', 'convert']];
  static override needsUserNamespace = false;
  static override usage = Command.Usage({
    description: 'Parse, resolve and render compose file in canonical format',
    details: 'The project as tspod reads it: files merged, variables interpolated, short forms made long. -q only checks it.',
    examples: [['The whole project', '$0 compose config'], ['Check it', '$0 compose config -q'], ['Its services', '$0 compose config --services'], ['As JSON', '$0 compose config --format json']],
  });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'only validate the configuration, print nothing' });
  servicesOnly = Option.Boolean('--services', false, { description: 'print the service names, one per line' });
  volumesOnly = Option.Boolean('--volumes', false, { description: 'print the volume names, one per line' });
  profilesOnly = Option.Boolean('--profiles', false, { description: 'print the profile names, one per line' });
  imagesOnly = Option.Boolean('--images', false, { description: 'print the image names, one per line' });
  hash = Option.String('--hash', { description: 'print the service config hash, one per line ("*" for all, or svc1,svc2)' });
  format = Option.String('--format', 'yaml', { description: 'yaml or json' });
  output = Option.String('-o,--output', { description: 'save to this file instead of printing' });

  async execute(): Promise<number> {
    const flags = { quiet: this.quiet, services: this.servicesOnly, volumes: this.volumesOnly, profiles: this.profilesOnly, images: this.imagesOnly, hash: this.hash, format: this.format };
    const text = this.engine.compose.config(this.project, flags);
    if (this.output !== undefined && !this.quiet) fs.writeFileSync(this.output, text);
    else this.write(text);
    return 0;
  }
}
