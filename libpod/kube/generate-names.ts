// The names kube generate gives what it writes: every one valid for the API server (RFC 1123), each
// unique where Kubernetes needs it, and the original tspod name kept in an annotation wherever the
// valid name differs, so that kube play can give a container or volume its name back.
import { isDnsLabel, toDnsLabel } from './names';

/** Pod annotation "io.tspod.container-name/<container>": the container's tspod name, when it was not a valid label. */
export const CONTAINER_NAME_ANNOTATION = 'io.tspod.container-name';
/** Pod annotation "io.tspod.volume-name/<claim>": the named volume a claimName stands for, when not valid as a name. */
export const VOLUME_NAME_ANNOTATION = 'io.tspod.volume-name';
/** The pod's (or a PersistentVolumeClaim's volume's) tspod name, when it was not a valid name. */
export const POD_NAME_ANNOTATION = 'io.tspod.pod-name';

/** Labels handed out within one pod (container names, volume names): "-2", "-3"... make a clash unique. */
export class LabelSet {
  private readonly used = new Set<string>();

  /** A valid label from `name`, at most 63 characters, not given out before. */
  take(name: string): string {
    const base = toDnsLabel(name);
    let candidate = base;
    for (let i = 2; this.used.has(candidate); i++) {
      const suffix = `-${i}`;
      candidate = `${toDnsLabel(base, 63 - suffix.length)}${suffix}`;
    }
    this.used.add(candidate);
    return candidate;
  }
}

/** A name made valid as a label with a suffix ("-pod", "-host") that always fits in 63 characters. */
export function labelWithSuffix(name: string, suffix: string): string {
  return `${toDnsLabel(name, 63 - suffix.length)}${suffix}`;
}

/** A Service's name: a DNS-1035 label (it must begin with a letter, unlike a pod's). */
export function serviceName(podName: string): string {
  return /^[a-z]/.test(podName) ? podName : labelWithSuffix(`svc-${podName}`, '');
}

/** The name as is when Kubernetes takes it, else its label; `renamed` says whether it changed. */
export function kubeName(name: string): { name: string; renamed: boolean } {
  if (isDnsLabel(name)) return { name, renamed: false };
  return { name: toDnsLabel(name), renamed: true };
}
