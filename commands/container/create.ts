import { Command } from 'clipanion';
import { CreateFlagsCommand } from './create-flags';
import { refusedOption } from '../refused-option';

export default class ContainerCreateCommand extends CreateFlagsCommand {
  initCtr = refusedOption('create', '--init-ctr');
  static override paths = [['create'], ['container', 'create']];
  static override usage = Command.Usage({
    description: 'Create but do not start a container',
    details: 'The image is pulled first when it is not stored (--pull). Start the container with "tspod start".',
    examples: [['A named container', '$0 create --name web busybox httpd -f -p 8080']],
  });

  async execute(): Promise<number> {
    const c = await this.engine.containers.create(this.createOptions());
    this.write(`${c.id}\n`);
    return 0;
  }
}
