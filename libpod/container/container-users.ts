// What crosses nouns, in one place on the container side: the containers that use an image, a
// volume or a network, and removing them first (rmi, volume rm and network rm with --force).
// The image, volume and network engines call these with their Runtime; no engine calls another.
import { NoSuchContainerError } from '../../src/errors';
import type { Runtime } from '../runtime';
import type { Container } from './container';

/** The IDs of the containers made from an image. */
export function containersOfImage(rt: Runtime, imageId: string): string[] {
  return rt.db().containersOfImage(imageId);
}

/** The containers whose specs mount the volume. */
export function containersUsingVolume(rt: Runtime, name: string): Container[] {
  return rt.containers().list().filter((c) => (c.spec.mounts ?? []).some((m) => m.type === 'volume' && m.source === name));
}

/** The containers that are members of a network (running or not). */
export function containersOnNetwork(rt: Runtime, name: string): Container[] {
  return rt.containers().list().filter((c) => c.spec.network === 'bridge' && (c.spec.networks ?? []).some((a) => a.name === name));
}

/** Force-removes the containers (stopped first, within timeout); the first failure is thrown. One already gone is not one. Inside the namespace. */
export async function removeContainersFirst(rt: Runtime, ids: string[], timeout?: number): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { containerApi } = require('./container-api') as typeof import('./container-api');
  const reports = await containerApi(rt).removeMany(ids, { force: true, timeout });
  const failed = reports.find((r) => r.error && !(r.error instanceof NoSuchContainerError));
  if (failed) throw failed.error;
}
