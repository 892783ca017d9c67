import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { InvalidArgumentError } from '../../src/errors';

// COMPOSE_VERSION (libpod/compose/types.ts), which commands may not import: kept equal by a unit test.
export const COMPOSE_VERSION_SHOWN = '2.24.0';

export default class ComposeVersionCommand extends ComposeCommand {
  static override paths = [['compose', 'version']];
  static override needsUserNamespace = false;
  static override usage = Command.Usage({
    description: 'Show the Docker Compose version information',
    details: 'The Docker Compose version whose command line and file format tspod compose follows.',
    examples: [['The version', '$0 compose version'], ['The number alone', '$0 compose version --short']],
  });
  short = Option.Boolean('--short', false, { description: 'show only the version number' });
  format = Option.String('--format', 'pretty', { description: 'pretty or json' });

  async execute(): Promise<number> {
    if (this.format !== 'pretty' && this.format !== 'json') throw new InvalidArgumentError(`invalid --format "${this.format}": use pretty or json`);
    if (this.short) this.write(`${COMPOSE_VERSION_SHOWN}\n`);
    else if (this.format === 'json') this.write(`${JSON.stringify({ version: `v${COMPOSE_VERSION_SHOWN}` })}\n`);
    else this.write(`tspod compose version ${COMPOSE_VERSION_SHOWN}\n`);
    return 0;
  }
}
