// pod create: the options checked, the record inserted, then the infra container made through the
// container engine (catatonit in its own root, pod-infra.ts) and recorded in the pod's spec. A
// failure after the record leaves nothing: the infra container and the record go again.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { InvalidStateError } from '../../src/errors';
import { randomHex } from '../../src/random';
import { randomName } from '../container/container';
import type { Runtime } from '../runtime';
import type { PodContainerOps } from './container-ops';
import { checkPodCreate } from './pod-flags';
import { infraCreateOptions, pauseRootfs } from './pod-infra';
import { podEvent, removePod } from './pod-lifecycle';
import type { Pod, PodSpec } from './pod';
import type { PodCreateOptions } from './types';

/** A free name for a pod made without one: random, as containers' are. */
function chooseName(rt: Runtime): string {
  for (let i = 0; i < 20; i++) {
    const name = i < 10 ? randomName() : `${randomName()}_${crypto.randomInt(1000)}`;
    if (!rt.pods().nameTaken(name)) return name;
  }
  return `${randomName()}_${randomHex(4)}`;
}

/** Makes a pod (and its infra container unless --infra=false). Inside the namespace. */
export async function createPod(rt: Runtime, ops: PodContainerOps, o: PodCreateOptions): Promise<Pod> {
  const checked = checkPodCreate(o);
  if (o.podIdFile && !o.replace && fs.existsSync(o.podIdFile)) throw new InvalidStateError(`pod id file exists: ${o.podIdFile}: remove it, or choose another --pod-id-file (or use --replace)`);
  // The pause root is made (or catatonit found missing) before anything is recorded.
  const rootfs = o.infra && o.infraImage === undefined ? pauseRootfs(rt.paths.root) : undefined;
  if (o.replace && o.name !== undefined && rt.pods().nameTaken(o.name)) {
    const old = rt.pods().resolve(o.name);
    const error = await removePod(rt, ops, old, { force: true });
    if (error) throw error;
  }
  const spec: PodSpec = {
    share: checked.share,
    ...(o.hostname !== undefined ? { hostname: o.hostname } : {}),
    labels: checked.labels,
    exitPolicy: checked.exitPolicy,
    ...(checked.restartPolicy !== undefined ? { restartPolicy: checked.restartPolicy } : {}),
    ...(o.volumes.length ? { volumes: o.volumes } : {}),
    createCommand: o.createCommand,
    ...(o.createCwd ? { createCwd: o.createCwd } : {}),
    ...(o.kube ? { kube: o.kube } : {}),
  };
  const pod: Pod = { id: randomHex(32), name: o.name ?? chooseName(rt), createdAt: Date.now(), spec };
  rt.pods().insert(pod);
  if (o.infra) {
    try {
      const infra = await ops.create(infraCreateOptions(pod, o, rootfs));
      rt.pods().updateSpec(pod, { ...pod.spec, infraId: infra.id });
    } catch (err) {
      rt.pods().remove(pod.id);
      throw err;
    }
  }
  podEvent(rt, pod, 'create');
  if (o.podIdFile) fs.writeFileSync(o.podIdFile, pod.id);
  return pod;
}
