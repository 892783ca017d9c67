// --exit-policy stop without a daemon: each container's monitor runs `container cleanup` after the
// exit, and the cleanup of a pod's container asks here whether that was the last of the pod's
// containers (the infra container aside) still up; if so, and the pod's policy is stop, the infra
// container is stopped too (the pod is then Exited, as Podman's). One pod read and one list only
// for containers of a pod: run --rm outside pods never comes here.
import { isUp, type Container } from '../container/container';
import type { Runtime } from '../runtime';

/** The pod's infra container to stop now that c has exited, or undefined (policy continue, others up, infra not up). */
export function infraToStop(rt: Runtime, c: Container): Container | undefined {
  // An init container's exit is the pod starting, never its end (Podman's rule).
  if (!c.spec.pod || c.spec.initCtr) return undefined;
  const pod = rt.pods().reload(c.spec.pod);
  if (!pod || pod.spec.exitPolicy !== 'stop' || !pod.spec.infraId || c.id === pod.spec.infraId) return undefined;
  const mine = rt.containers().list().filter((o) => o.spec.pod === pod.id);
  const infra = mine.find((o) => o.id === pod.spec.infraId);
  if (!infra || !isUp(infra.state)) return undefined;
  return mine.some((o) => o.id !== infra.id && o.id !== c.id && !o.spec.initCtr && isUp(o.state)) ? undefined : infra;
}
