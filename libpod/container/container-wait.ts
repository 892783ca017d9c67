// `wait`: polls each container's state until it meets one of the conditions asked (Podman's
// --condition values), then gives its exit code (-1 for conditions other than stopped/exited).
import { InvalidArgumentError, InvalidStateError, NoSuchContainerError } from '../../src/errors';
import type { Container } from './container';
import { readExitFile, type ContainerStore } from './container-store';

export interface WaitOptions {
  conditions: string[];
  intervalMs: number;
  /** A name that is not found reports -1 instead of an error. */
  ignore: boolean;
  /** Only the first container to meet a condition is reported. */
  exitFirstMatch: boolean;
  /**
   * Ends the wait early (at the next poll) with no report for what was not met yet: the API's
   * client went away, and nothing else would end a wait on a container that runs on.
   */
  signal?: AbortSignal;
}

export interface WaitReport {
  id: string;
  name: string;
  exitCode?: number;
  error?: Error;
}

/** Podman's conditions tspod can reach, by the container states that satisfy them ('gone' = removed). */
const CONDITIONS: Record<string, string[]> = {
  stopped: ['exited', 'created'],
  exited: ['exited', 'created'],
  configured: ['created'],
  created: ['created'],
  initialized: ['initialized'],
  running: ['running'],
  stopping: ['stopping'],
  paused: [],
  removing: ['removing', 'gone'],
  // met by the healthcheck's status, not a state
  healthy: [],
  unhealthy: [],
};

/** The conditions as given, checked (default: stopped). */
export function checkConditions(conditions: string[]): string[] {
  for (const c of conditions) {
    if (!CONDITIONS[c]) throw new InvalidArgumentError(`invalid condition "${c}": use one of ${Object.keys(CONDITIONS).sort().join(', ')}`);
  }
  return conditions.length > 0 ? conditions : ['stopped'];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for one container; `cancelled` ends the wait early (--exit-first-match) with no report. */
async function waitOne(store: ContainerStore, name: string, opts: WaitOptions, cancelled: () => boolean): Promise<WaitReport | null> {
  const states = new Set(checkConditions(opts.conditions).flatMap((c) => CONDITIONS[c]));
  const exitWanted = opts.conditions.length === 0 || opts.conditions.some((c) => c === 'stopped' || c === 'exited');
  let c: Container;
  try {
    c = store.resolve(name);
  } catch (err) {
    if (opts.ignore && err instanceof NoSuchContainerError) return { id: '', name, exitCode: -1 };
    return { id: '', name, error: err as Error };
  }
  const health = new Set<string>(opts.conditions.filter((x) => x === 'healthy' || x === 'unhealthy'));
  if (health.size && !c.spec.healthcheck) return { id: c.id, name, error: new InvalidStateError(`container ${c.name} has no defined healthcheck: wait for "running" instead`) };
  let last = c.status.exitCode;
  for (;;) {
    if (states.has(c.state) || (health.size && c.state === 'running' && health.has(store.healthStatus(c)))) break;
    if (cancelled()) return null;
    await sleep(opts.intervalMs);
    const fresh = store.reload(c.id);
    if (!fresh) {
      // Removed (--rm): gone counts for "removing"; for "stopped" it exited on the way out.
      if (states.has('gone')) return { id: c.id, name, exitCode: -1 };
      if (!exitWanted) return { id: c.id, name, error: new NoSuchContainerError(name) };
      return { id: c.id, name, exitCode: readExitFile(store.pathsOf(c).exitFile)?.code ?? last ?? -1 };
    }
    c = fresh;
    last = c.status.exitCode ?? last;
  }
  if (!exitWanted || (c.state !== 'exited' && c.state !== 'created')) return { id: c.id, name, exitCode: -1 };
  const exit = readExitFile(store.pathsOf(c).exitFile);
  return { id: c.id, name, exitCode: c.state === 'exited' ? (c.status.exitCode ?? exit?.code ?? -1) : (exit?.code ?? last ?? -1) };
}

/** Each container in the order given, or only the first to meet a condition; what an abort (opts.signal) cut short is left out. */
export async function waitFor(store: ContainerStore, names: string[], opts: WaitOptions): Promise<WaitReport[]> {
  checkConditions(opts.conditions);
  if (opts.intervalMs <= 0) throw new InvalidArgumentError('--interval must be more than zero: give a duration such as 250ms');
  const aborted = () => opts.signal?.aborted === true;
  if (!opts.exitFirstMatch) return (await Promise.all(names.map((n) => waitOne(store, n, opts, aborted)))).filter((r): r is WaitReport => r !== null);
  // The others stop at their next poll once one has met a condition; errors do not count as a match.
  let first: WaitReport | null = null;
  const results = await Promise.all(
    names.map(async (n) => {
      const r = await waitOne(store, n, opts, () => first !== null || aborted());
      if (r && !r.error && !first) first = r;
      return r;
    }),
  );
  return first ? [first] : results.filter((r): r is WaitReport => r !== null);
}
