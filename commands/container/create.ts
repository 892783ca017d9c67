import { Command, Option } from 'clipanion';
import { CreateFlagsCommand } from './create-flags';
import { InvalidArgumentError } from '../../src/errors';

export default class ContainerCreateCommand extends CreateFlagsCommand {
  initCtr = Option.String('--init-ctr', { description: 'an init container of its pod: always (run to its end at each pod start, before the others) or once (the first start only; then removed)' });
  static override paths = [['create'], ['container', 'create']];
  static override usage = Command.Usage({
    description: 'Create but do not start a container',
    details: 'The image is pulled first when it is not stored (--pull). Start the container with "tspod start".',
    examples: [['A named container', '$0 create --name web busybox httpd -f -p 8080']],
  });

  async execute(): Promise<number> {
    if (this.initCtr !== undefined && this.pod === undefined && this.podIdFile === undefined) throw new InvalidArgumentError('must specify a pod to create an init container in: add --pod POD');
    const c = await this.engine.inNewPod(this.createOptions(), (opts) => this.engine.containers.create({ ...opts, ...(this.initCtr !== undefined ? { initCtr: this.initCtr } : {}) }));
    this.write(`${c.id}\n`);
    return 0;
  }
}
