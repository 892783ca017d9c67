import { Command, Option } from 'clipanion';
import type { Readable } from 'node:stream';
import { TspodCommand } from '../tspod-command';

export default class SecretCreateCommand extends TspodCommand {
  static override paths = [['secret', 'create']];
  static override usage = Command.Usage({
    description: 'Create a new secret',
    details: 'The data is read from FILE, from stdin with -, or with --env from the environment variable named. It is kept under the store root in a file only you can read.',
    examples: [['From stdin', 'printf s3cret | $0 secret create db_pass -'], ['From a file', '$0 secret create tls_key ./key.pem']],
  });
  driver = Option.String('-d,--driver', { description: 'secret driver (file, the default)' });
  driverOpts = Option.Array('--driver-opts', [], { description: 'driver options (none for the file driver)' });
  env = Option.Boolean('--env', false, { description: 'read the data from the environment variable named instead of a file' });
  ignore = Option.Boolean('--ignore', false, { description: "if a secret of that name exists, print its ID and change nothing" });
  label = Option.Array('-l,--label', [], { description: 'add a label: key=value' });
  replace = Option.Boolean('--replace', false, { description: "replace an existing secret's data (containers keep their copy)" });
  name = Option.String();
  source = Option.String();

  async execute(): Promise<number> {
    const id = await this.engine.secrets.create(this.name, this.source, this.context.stdin as unknown as Readable, { driver: this.driver, driverOpts: this.driverOpts, fromEnv: this.env, labels: this.label, replace: this.replace, ignore: this.ignore });
    this.write(`${id}\n`);
    return 0;
  }
}
