// A replica's readinessProbe during a rolling update: the probe's command (as kube-input turned it
// into healthcheck options) run in the container through the runtime's exec, as the monitor runs
// a healthcheck, until it succeeds. The liveness check is the container's own healthcheck.
import type { Runtime } from '../runtime';
import type { HealthOptions } from '../container/health-flags';
import { healthCheck } from '../container/health-flags';
import { runCheck } from '../../conmon/health-runner';

/** Whether the probe passes now in the (running) container. */
export async function probeOnce(rt: Runtime, containerId: string, probe: HealthOptions): Promise<boolean> {
  const check = healthCheck(probe, undefined);
  if (!check) return true;
  const store = rt.containers();
  const c = store.resolve(containerId);
  const ref = { runtime: c.spec.runtime, runtimeRoot: c.status.runtimeRoot ?? '', runtimeFlags: rt.config.engine.runtimeFlags, bundle: store.pathsOf(c).bundle, id: c.id };
  const r = await runCheck(ref, check.test, check.timeoutMs);
  return r.ExitCode === 0;
}
