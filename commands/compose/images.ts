import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeTarget } from './compose-target';
import { formatTable, goHumanSize3 } from '../../src/human-units';
import { InvalidArgumentError } from '../../src/errors';

export default class ComposeImagesCommand extends ComposeCommand {
  static override paths = [['compose', 'images']];
  static override needsUserNamespace = false;
  static override usage = Command.Usage({
    description: 'List images used by the created containers',
    examples: [['Every service', '$0 compose images'], ['Only the IDs', '$0 compose images -q']],
  });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'only display IDs' });
  format = Option.String('--format', 'table', { description: 'table or json' });
  services = Option.Rest({ name: 'service' });

  async execute(): Promise<number> {
    if (this.format !== 'table' && this.format !== 'json') throw new InvalidArgumentError(`invalid --format "${this.format}": use table or json`);
    const rows = this.engine.compose.images(composeTarget(this), this.services);
    const hex = (id: string) => id.replace(/^sha256:/, '');
    if (this.quiet) this.write([...new Set(rows.map((r) => hex(r.id)))].map((id) => `${id}\n`).join(''));
    else if (this.format === 'json') this.write(`${JSON.stringify(rows.map((r) => ({ ID: r.id, ContainerName: r.container, Repository: r.repository, Tag: r.tag, Size: r.size })))}\n`);
    else this.write(formatTable(['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'], rows.map((r) => [r.container, r.repository, r.tag, hex(r.id).slice(0, 12), goHumanSize3(r.size)])));
    return 0;
  }
}
