import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { parseDetachKeys } from '../../src/detach-keys';
import { lazyStdin } from '../../src/lazy-stdin';

export default class ContainerAttachCommand extends TspodCommand {
  static override paths = [['attach'], ['container', 'attach']];
  static override usage = Command.Usage({
    description: 'Attach to a running container',
    details: 'Output from now on, and stdin when the container was created with -i. Detach with ctrl-p ctrl-q; the container keeps running.',
    examples: [['Attach to a shell', '$0 attach web']],
  });
  noStdin = Option.Boolean('--no-stdin', false, { description: 'do not attach stdin' });
  detachKeys = Option.String('--detach-keys', 'ctrl-p,ctrl-q', { description: 'key sequence that detaches ("" disables it)' });
  name = Option.String();

  async execute(): Promise<number> {
    return this.engine.containers.attach(this.name, { noStdin: this.noStdin, detachKeys: parseDetachKeys(this.detachKeys) }, { input: lazyStdin, stdout: process.stdout, stderr: process.stderr });
  }
}
