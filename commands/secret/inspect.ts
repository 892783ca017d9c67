import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { renderInspect } from '../format/inspect-printer';
import { InvalidArgumentError } from '../../src/errors';

export default class SecretInspectCommand extends TspodCommand {
  static override paths = [['secret', 'inspect']];
  static override usage = Command.Usage({ description: 'Show secrets in detail (JSON), without their data unless --showsecret', examples: [['Its ID', "$0 secret inspect --format '{{.ID}}' db_pass"]] });
  format = Option.String('-f,--format', { description: 'json (default) or a Go template, e.g. {{.Spec.Name}}' });
  all = Option.Boolean('-a,--all', false, { description: 'every secret' });
  pretty = Option.Boolean('--pretty', false, { description: 'human-readable output' });
  showSecret = Option.Boolean('--showsecret', false, { description: 'include the data (SecretData)' });
  names = Option.Rest();

  async execute(): Promise<number> {
    if (this.all === (this.names.length > 0)) throw new InvalidArgumentError('provide one or more secret names or IDs, or use --all');
    const names = this.all ? this.engine.secrets.list().map((s) => s.id) : this.names;
    const results = this.engine.secrets.inspect(names, this.showSecret);
    if (this.pretty && this.format === undefined) {
      for (const r of results.filter((x) => x.data)) {
        const d = r.data!;
        this.write(`ID:              ${d.ID}\nName:            ${d.Spec.Name}\n${Object.keys(d.Spec.Labels).length ? `Labels:\n${Object.entries(d.Spec.Labels).map(([k, v]) => ` - ${k}=${v}\n`).join('')}` : ''}Driver:          ${d.Spec.Driver.Name}\nCreated at:      ${d.CreatedAt}\nUpdated at:      ${d.UpdatedAt}\n`);
      }
      const errs = results.filter((x) => x.error);
      for (const e of errs) this.context.stderr.write(`Error: ${e.error!.message}\n`);
      return errs.length ? 125 : 0;
    }
    const out = renderInspect(results, this.format, 'secret');
    this.write(out.stdout);
    this.context.stderr.write(out.stderr);
    return out.code;
  }
}
