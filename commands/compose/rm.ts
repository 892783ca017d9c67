import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeIo } from './lifecycle-flags';
import { InvalidArgumentError } from '../../src/errors';

export default class ComposeRmCommand extends ComposeCommand {
  static override paths = [['compose', 'rm']];
  static override usage = Command.Usage({
    description: 'Removes stopped service containers',
    details: 'Running containers are left unless -s stops them first. Without -f you are asked; with no terminal to ask on, -f is needed. Here -f is --force, as in Docker Compose: give the compose file with --file (or -f before the verb).',
    examples: [['Stop and remove the web service without asking', '$0 compose rm -s -f web']],
  });
  // Docker Compose's rm takes -f for --force: the file is --file here.
  override files = Option.Array('--file', [], { description: 'compose configuration files ("-" for stdin)' });
  force = Option.Boolean('-f,--force', false, { description: "don't ask to confirm removal" });
  stop = Option.Boolean('-s,--stop', false, { description: 'stop the containers, if required, before removing' });
  volumes = Option.Boolean('-v,--volumes', false, { description: 'remove any anonymous volumes attached to containers' });
  services = Option.Rest();

  async execute(): Promise<number> {
    const io = composeIo(this.context);
    await this.engine.compose.rm(
      this.project,
      this.services,
      {
        force: this.force,
        stop: this.stop,
        volumes: this.volumes,
        confirm: async (names) => {
          if (!io.stdinTty) throw new InvalidArgumentError(`refusing to remove ${names.join(', ')} without confirmation: stdin is not a terminal, use -f/--force`);
          this.context.stdout.write(`Going to remove ${names.join(', ')}\n? Are you sure? (y/N) `);
          return /^y(es)?$/i.test((await this.readLine()).trim());
        },
      },
      io,
    );
    return 0;
  }
}
