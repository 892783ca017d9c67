import { Command, Option } from 'clipanion';
import { CreateFlagsCommand } from './create-flags';
import { parseDetachKeys } from '../../src/detach-keys';
import { lazyStdin } from '../../src/lazy-stdin';

export default class ContainerRunCommand extends CreateFlagsCommand {
  static override paths = [['run'], ['container', 'run']];
  static override usage = Command.Usage({
    description: 'Run a command in a new container',
    details:
      'Creates the container (pulling the image if needed), starts it and, unless -d, attaches to it until it exits; tspod then exits with the container\'s exit code (125 for tspod\'s own errors, 126 when the command cannot be run, 127 when it is not found). Detach from -it with ctrl-p ctrl-q.',
    examples: [
      ['A shell that is removed on exit', '$0 run --rm -it debian bash'],
      ['In the background', '$0 run -d --name web busybox httpd -f -p 8080'],
    ],
  });
  detach = Option.Boolean('-d,--detach', false, { description: 'run in the background and print the container ID' });
  detachKeys = Option.String('--detach-keys', 'ctrl-p,ctrl-q', { description: 'key sequence that detaches from the container ("" disables it)' });

  async execute(): Promise<number> {
    const result = await this.engine.containers.run(
      { ...this.createOptions(), detach: this.detach, detachKeys: parseDetachKeys(this.detachKeys) },
      { input: lazyStdin, stdout: process.stdout, stderr: process.stderr },
    );
    // Podman prints no ID under passthrough: the container's own output goes to our stdout.
    if (this.detach && this.logDriver !== 'passthrough') this.write(`${result.id}\n`);
    return result.exitCode;
  }
}
