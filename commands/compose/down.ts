import { Command, Option } from 'clipanion';
import { ComposeCommand } from './compose-command';
import { composeIo, parseTimeout } from './lifecycle-flags';

export default class ComposeDownCommand extends ComposeCommand {
  static override paths = [['compose', 'down']];
  static override usage = Command.Usage({
    description: 'Stop and remove containers, networks',
    details: "Stops and removes the project's containers (run's one-off ones too) in reverse dependency order, then the networks it made. -v removes its named volumes and the containers' anonymous ones; external networks and volumes are never removed.",
    examples: [['Remove the project, its data too', '$0 compose down -v']],
  });
  removeOrphans = Option.Boolean('--remove-orphans', false, { description: 'remove containers for services not defined in the compose file' });
  volumes = Option.Boolean('-v,--volumes', false, { description: 'remove named volumes declared in the volumes section and anonymous volumes attached to containers' });
  rmi = Option.String('--rmi', { description: 'remove images used by services: "local" (those built without a custom tag) or "all"' });
  timeout = Option.String('-t,--timeout', { description: 'seconds to wait for containers to stop before killing them' });

  async execute(): Promise<number> {
    await this.engine.compose.down(this.project, { removeOrphans: this.removeOrphans, volumes: this.volumes, rmi: this.rmi, timeout: parseTimeout(this.timeout) }, composeIo(this.context));
    return 0;
  }
}
