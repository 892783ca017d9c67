// Writes the run's unhandled errors to a file that scripts/test.sh counts as failures, leaving out
// one kind: vitest's own "[vitest-worker]: Timeout calling ..." when a test's synchronous calls
// (spawnSync of tspod, podman, docker) keep the worker's event loop busy past birpc's 60 s timer
// while the main thread's answer waits in the queue. That error says nothing about tspod; every
// other unhandled error still fails the run. scripts/test.sh runs the integration tests with
// --dangerouslyIgnoreUnhandledErrors and this reporter together.
import fs from 'node:fs';
import path from 'node:path';

const OUT = process.env.TSPOD_UNHANDLED_ERRORS ?? path.resolve('test-results/unhandled-errors.json');

export default class UnhandledErrorsReporter {
  onFinished(_files: unknown, errors: unknown[] = []): void {
    const message = (e: unknown) => String((e as { message?: string })?.message ?? e);
    const counted = errors.filter((e) => !/^\[vitest-worker\]: Timeout calling "onTaskUpdate"/.test(message(e)));
    const ignored = errors.length - counted.length;
    if (ignored) console.log(`unhandled-errors reporter: ${ignored} vitest worker RPC timeout${ignored === 1 ? '' : 's'} left out (a long synchronous test, not a tspod failure)`);
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, JSON.stringify(counted.map((e) => ({ message: message(e), stack: (e as { stack?: string })?.stack }))));
  }
}
