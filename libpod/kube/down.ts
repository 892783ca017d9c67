// kube down: what a play of the file made, found by what each pod records (PodSpec.kube: the
// object's kind and name), not by guessing names: the pods stopped and removed with their
// containers, configMap/secret files and emptyDir volumes, the Services' proxies stopped, the Secrets removed from
// the secret store, and with --force the volumes of the file's claims (Podman's teardown).
import { log } from '../../src/log';
import type { Runtime } from '../runtime';
import type { KubeOps } from './kube-ops';
import type { KubeDownOptions, KubeDownReport } from './play-types';
import type { PlayIo } from './play-types';
import { readDocuments, sortDocuments, type Workload } from './play-input';
import type { Pod } from '../pod/pod';
import { podsOf, replicaName } from './play-plan';
import { servicesBacked, stopService } from './play-services';
import { removeOwn } from './play-make';
import { claimVolume, templateClaimVolume } from './volumes-from-kube';

/** The named volumes a pod template's claims stand for (persistentVolumeClaim.claimName, or the name kube generate kept). */
function claimsOf(template: { metadata?: { annotations?: Record<string, string> }; spec?: Record<string, unknown> }): string[] {
  const volumes = (template.spec?.volumes ?? []) as Array<{ persistentVolumeClaim?: { claimName?: string } }>;
  return volumes
    .map((v) => v.persistentVolumeClaim?.claimName)
    .filter((n): n is string => typeof n === 'string')
    .map((n) => templateClaimVolume(template.metadata?.annotations, n));
}

/**
 * A pod of the object's name that no play recorded (made by pod create, then written out by kube
 * generate): Podman's kube down removes pods by name, which the generate → down → play round trip
 * needs. A pod another object's play made is never taken.
 */
function unrecorded(rt: Runtime, w: Workload): Pod[] {
  const name = replicaName(w, 0);
  return rt.pods().list().filter((p) => p.name === name && !p.spec.kube);
}

export async function downKube(rt: Runtime, ops: KubeOps, opts: KubeDownOptions, io: PlayIo): Promise<KubeDownReport> {
  const input = sortDocuments(await readDocuments(opts.sources, io.stdin), process.cwd());
  rt.db();
  const pods = input.workloads.flatMap((w) => [...podsOf(rt, w.kind, w.name), ...unrecorded(rt, w)]);
  // The file's Services, and those its pods backed when played (a Service since taken out of the file).
  for (const name of new Set([...input.services.map((d) => d.object.metadata?.name ?? ''), ...servicesBacked(pods)])) await stopService(rt, name);
  const ids = pods.map((p) => p.id);
  const stopped = ids.length ? await ops.stopPods(ids) : [];
  const removed = ids.length ? await ops.removePods(ids) : [];
  for (const p of pods) {
    const gone = removed.find((r) => r.id === p.id && !r.error);
    if (!gone) continue;
    try {
      await removeOwn(ops, p.spec.kube);
    } catch (err) {
      log.warn(`pod ${p.name}: its emptyDir volumes: ${(err as Error).message}`);
    }
  }
  const secretNames = input.secretDocs.map((d) => d.object.metadata?.name ?? '').filter((n) => ops.secretExists(n));
  const secrets = secretNames.length ? ops.removeSecrets(secretNames) : [];
  let volumes: KubeDownReport['volumes'] = [];
  if (opts.force) {
    const names = new Set([...input.claims.map((d) => claimVolume(d.object)), ...input.workloads.flatMap((w) => claimsOf(w.template))]);
    volumes = await ops.removeVolumes([...names].filter((n) => ops.volumeExists(n)));
  }
  return { stopped, removed, secrets, volumes };
}
