// Healthchecks (engine.health, issue 20): `healthcheck run` runs a container's check now, as its
// monitor does on its timer (conmon/health-runner.ts), and records the result in the same health
// file; `healthcheck event` is how a monitor reports a change of status (the health_status event,
// which needs the state database the monitor does not open).
import { InvalidArgumentError, InvalidStateError } from '../src/errors';
import type { Runtime } from './runtime';
import { freshHealth, readHealth, recordResult, recordStartup, writeHealth, type HealthStatus } from '../conmon/health';
import { runCheck } from '../conmon/health-runner';

export class HealthEngine {
  constructor(private readonly rt: Runtime) {}

  /** One check now: the status it leaves (exit 0 for healthy in the command). The container must run. */
  async run(nameOrId: string): Promise<HealthStatus> {
    const store = this.rt.containers();
    const c = store.resolve(nameOrId);
    const check = c.spec.healthcheck;
    if (!check) throw new InvalidStateError(`container ${c.id} has no defined healthcheck`);
    if (c.state !== 'running') throw new InvalidStateError(`container ${c.name} is not running: start it first (tspod start ${c.name})`);
    const p = store.pathsOf(c);
    const state = readHealth(p.healthFile) ?? freshHealth(check);
    const startup = !state.startupDone && check.startup;
    const ref = { runtime: c.spec.runtime, runtimeRoot: c.status.runtimeRoot ?? '', runtimeFlags: this.rt.config.engine.runtimeFlags, bundle: p.bundle, id: c.id };
    const result = await runCheck(ref, startup ? startup.test : check.test, startup ? startup.timeoutMs : check.timeoutMs);
    const r = startup ? recordStartup(check, state, result) : recordResult(check, state, result, c.status.startedAt ?? 0);
    writeHealth(p.healthFile, r.state);
    if (r.changed) store.event(c, 'health_status', undefined, undefined, r.state.Status);
    return r.state.Status;
  }

  /** A monitor's report that the container turned STATUS: the health_status event. */
  event(id: string, status: string): void {
    if (!['starting', 'healthy', 'unhealthy'].includes(status)) throw new InvalidArgumentError(`invalid health status "${status}"`);
    const store = this.rt.containers();
    store.event(store.resolve(id), 'health_status', undefined, undefined, status);
  }
}
