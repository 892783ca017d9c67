// Volume records and their directories, on the Runtime: what the volume engine and a container's
// create and removal share (a create makes the volumes -v names, rm -v destroys anonymous ones).
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, InvalidStateError, TspodError } from '../../src/errors';
import type { Runtime } from '../runtime';
import { VOLUME_NAME, volumePath, type Volume, type VolumeConfig } from './volume-spec';
import { randomHex } from '../../src/random';
import { recordEvent } from '../event-log';

export class NoSuchVolumeError extends TspodError {
  override readonly code = 'ENOVOLUME';
  constructor(name: string) {
    super(`no volume with name "${name}" found: no such volume`);
  }
}

export function getVolume(rt: Runtime, name: string): Volume {
  const v = (rt.db().listVolumes() as Volume[]).find((x) => x.name === name);
  if (!v) throw new NoSuchVolumeError(name);
  return v;
}

export function volumeExists(rt: Runtime, name: string): boolean {
  return (rt.db().listVolumes() as Volume[]).some((x) => x.name === name);
}

/** `volume create`, and volumes -v names that do not exist yet (and anonymous ones). */
export function createVolume(rt: Runtime, name: string | undefined, opts: { labels?: string[]; options?: string[]; anonymous?: boolean; ignore?: boolean } = {}): Volume {
  const chosen = name ?? randomHex(32);
  if (!VOLUME_NAME.test(chosen)) throw new InvalidArgumentError(`invalid volume name "${chosen}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
  const kv = (list: string[] | undefined, what: string) => {
    const out: Record<string, string> = {};
    for (const item of list ?? []) {
      const eq = item.indexOf('=');
      if (what === 'option' && eq < 0) throw new InvalidArgumentError(`invalid --opt "${item}": use KEY=VALUE`);
      out[eq < 0 ? item : item.slice(0, eq)] = eq < 0 ? '' : item.slice(eq + 1);
    }
    return out;
  };
  const options = kv(opts.options, 'option');
  const unknown = Object.keys(options).find((k) => !['uid', 'gid', 'type', 'device', 'o'].includes(k));
  if (unknown) throw new InvalidArgumentError(`unsupported volume option "${unknown}": the local driver takes uid= and gid=`);
  if (options.type || options.device || options.o) throw new InvalidArgumentError('--opt type=, device= and o= (mounting a device or NFS as the volume) need root: rootless tspod keeps volumes as directories');
  for (const k of ['uid', 'gid']) if (options[k] !== undefined && !/^\d+$/.test(options[k])) throw new InvalidArgumentError(`invalid --opt ${k}=${options[k]}: give a number (the ${k === 'uid' ? 'user' : 'group'} inside containers)`);
  const config: VolumeConfig = { driver: 'local', labels: kv(opts.labels, 'label'), options, anonymous: opts.anonymous ?? false };
  const volume: Volume = { name: chosen, createdAt: Date.now(), config };
  if (!rt.db().insertVolume(volume)) {
    if (opts.ignore) return getVolume(rt, chosen);
    throw new InvalidStateError(`volume with name ${chosen} already exists: volume already exists (use --ignore to accept it)`);
  }
  const dir = volumePath(rt.paths.root, chosen);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(path.dirname(dir), 0o700);
  // uid=/gid= are IDs inside the user namespace, where volume create runs.
  if (options.uid !== undefined || options.gid !== undefined) fs.chownSync(dir, Number(options.uid ?? 0), Number(options.gid ?? 0));
  recordEvent(rt.db(), 'volume', 'create', { id: '', name: chosen });
  return volume;
}

/** Deletes a volume's record, then its files (the record first: a volume is never half there). */
export function destroyVolume(rt: Runtime, name: string): void {
  rt.db().deleteVolume(name);
  fs.rmSync(path.dirname(volumePath(rt.paths.root, name)), { recursive: true, force: true });
  recordEvent(rt.db(), 'volume', 'remove', { id: '', name });
}
