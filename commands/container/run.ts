import { Command, Option } from 'clipanion';
import { CreateFlagsCommand } from './create-flags';
import { refusedOption } from '../refused-option';
import { parseDetachKeys } from '../../src/detach-keys';
import { lazyStdin } from '../../src/lazy-stdin';
import { InvalidArgumentError } from '../../src/errors';
import { log } from '../../src/log';

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
  sigProxy = Option.Boolean('--sig-proxy', true, { description: 'pass the signals tspod receives on to the container (not with -t)' });
  preserveFds = refusedOption('run', '--preserve-fds');
  preserveFd = refusedOption('run', '--preserve-fd');
  rmi = Option.Boolean('--rmi', false, { description: 'remove the image too once the container is gone, unless others use it (implies --rm)' });

  async execute(): Promise<number> {
    if (this.rmi && this.rm === false && process.argv.some((a) => a === '--rm=false')) throw new InvalidArgumentError('the --rmi option does not work without --rm');
    const result = await this.engine.inNewPod(this.createOptions(), (opts) =>
      this.engine.containers.run(
        { ...opts, rm: opts.rm || this.rmi, detach: this.detach, detachKeys: parseDetachKeys(this.detachKeys), sigProxy: this.sigProxy },
        { input: lazyStdin, stdout: process.stdout, stderr: process.stderr },
      ),
    );
    // Podman prints no ID under passthrough: the container's own output goes to our stdout.
    if (this.detach && this.logDriver !== 'passthrough') this.write(`${result.id}\n`);
    else if (this.rmi && !result.detached) {
      // Podman's: the image goes unless another container uses it; a failure is only a warning.
      for (const r of await this.engine.images.removeImages([result.imageId], { force: false, all: false, ignore: true })) {
        if (r.error) log.warn(`Failed to remove image: ${r.error.message}`);
      }
    }
    return result.exitCode;
  }
}
