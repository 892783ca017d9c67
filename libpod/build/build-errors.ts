// How a build ends when it does not finish: a RUN that failed, or ctrl-c.
import { TspodError } from '../../src/errors';

/** ctrl-c (or SIGTERM) during a build: exit 130, as a shell reports a command ended by SIGINT. */
export class BuildInterruptedError extends TspodError {
  override readonly code = 'EBUILDINTR';
  override readonly exitCode = 130;
  constructor() {
    super('build interrupted: its step container is removed, the steps done so far stay in the cache');
  }
}

/** A RUN that failed: the build's exit code is the command's, as Podman's. */
export class BuildStepError extends TspodError {
  override readonly code = 'EBUILDSTEP';
  constructor(message: string, override readonly exitCode: number) {
    super(message);
  }
}
