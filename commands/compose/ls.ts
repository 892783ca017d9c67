import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { formatTable } from '../../src/human-units';
import { InvalidArgumentError } from '../../src/errors';

export default class ComposeLsCommand extends ComposeCommand {
  static override paths = [['compose', 'ls']];
  static override needsUserNamespace = false;
  static override usage = Command.Usage({
    description: 'List running compose projects',
    details: "Every project with a running container (with -a, any container), from the containers' labels: no project file is read.",
    examples: [['Running projects', '$0 compose ls'], ['All, as JSON', '$0 compose ls -a --format json']],
  });
  all = Option.Boolean('-a,--all', false, { description: 'show stopped projects too' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'only display project names' });
  format = Option.String('--format', 'table', { description: 'table or json' });
  filter = Option.Array('--filter', [], { description: 'filter by name=NAME' });

  async execute(): Promise<number> {
    if (this.format !== 'table' && this.format !== 'json') throw new InvalidArgumentError(`invalid --format "${this.format}": use table or json`);
    const projects = this.engine.compose.ls({ all: this.all, filters: this.filter });
    if (this.quiet) this.write(projects.map((p) => `${p.name}\n`).join(''));
    else if (this.format === 'json') this.write(`${JSON.stringify(projects.map((p) => ({ Name: p.name, Status: p.status, ConfigFiles: p.configFiles })))}\n`);
    else this.write(formatTable(['NAME', 'STATUS', 'CONFIG FILES'], projects.map((p) => [p.name, p.status, p.configFiles])));
    return 0;
  }
}
