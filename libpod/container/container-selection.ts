// Which containers a verb acts on: names and IDs, those in --cidfile files, --all, --latest (the
// last created) or --filter (ps's filters), with Podman's rules for combining them.
import fs from 'node:fs';
import { InvalidArgumentError } from '../../src/errors';
import { joinedContainers, type Container } from './container';
import type { ContainerStore } from './container-store';
import { psFilter } from './container-report';

export interface Selection {
  names: string[];
  all?: boolean;
  /** The container created last. */
  latest?: boolean;
  /** Files holding a container ID each (`run --cidfile`). */
  cidFiles?: string[];
  /** ps's filters (`status=exited`, `label=k=v`); all containers that match them. */
  filters?: string[];
  /** A missing --cidfile file names no container (a unit's stop after a failed start). */
  ignore?: boolean;
}

/** `ancestor=`: the image by name as given, its short name, or an ID prefix. */
export function imageMatches(c: Container, ref: string): boolean {
  const id = c.spec.imageId.replace(/^sha256:/, '');
  const name = c.spec.imageName;
  return c.spec.image === ref || name === ref || name === `${ref}:latest` || name.endsWith(`/${ref}`) || name.endsWith(`/${ref}:latest`) || (/^[0-9a-f]{4,64}$/.test(ref) && id.startsWith(ref));
}

/** The IDs in --cidfile files. */
export function readCidFiles(files: string[], ignore = false): string[] {
  return files.flatMap((f) => {
    try {
      return [fs.readFileSync(f, 'utf8').trim()];
    } catch (err) {
      if (ignore && (err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new InvalidArgumentError(`cannot read container ID file ${f}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message}`);
    }
  });
}

/** The container created last, or an error when there is none. */
export function latestContainer(store: ContainerStore): Container {
  const list = store.list();
  if (list.length === 0) throw new InvalidArgumentError('no containers to act on with --latest: create one first');
  return list.reduce((a, b) => (b.createdAt >= a.createdAt ? b : a));
}

/**
 * The names or IDs to act on. `pick` narrows --all (stop takes the running ones); --filter takes
 * every container that matches. Names given together with --all, --latest or --filter, or
 * --cidfile with --all or --latest, are refused, as Podman does.
 */
export function selectTargets(store: ContainerStore, sel: Selection, pick: (c: Container) => boolean = () => true): string[] {
  const cidFiles = sel.cidFiles ?? [];
  const filters = sel.filters ?? [];
  const modes = [sel.all && '--all', sel.latest && '--latest', filters.length > 0 && '--filter'].filter(Boolean) as string[];
  if (modes.length > 1) throw new InvalidArgumentError(`${modes.join(' and ')} cannot be used together: choose one`);
  if (modes.length === 1 && (sel.names.length > 0 || cidFiles.length > 0)) {
    throw new InvalidArgumentError(`${modes[0]} takes no container names or --cidfile: give either the names or ${modes[0]}`);
  }
  if (sel.all) return store.list().filter(pick).map((c) => c.id);
  if (sel.latest) return [latestContainer(store).id];
  if (filters.length > 0) {
    const keep = psFilter(filters, imageMatches, (ref) => store.resolve(ref), (c) => store.healthStatus(c), (ref) => store.podIdsNamed(ref));
    return store.list().filter(keep).map((c) => c.id);
  }
  const given = [...sel.names, ...readCidFiles(cidFiles, sel.ignore)];
  if (given.length === 0 && !(sel.ignore && cidFiles.length)) throw new InvalidArgumentError('you must provide at least one container name or ID, or --all, --latest or --filter');
  return given;
}

/**
 * `rm --depend`: each target preceded by the containers that depend on it (those that share its
 * network, PID, IPC or UTS namespace with --network/--pid/--ipc/--uts container:ID, or --require it), recursively, each once; dependents come first. A target
 * stays as given (its report names it so); dependents are named by ID.
 */
export function withDependents(store: ContainerStore, targets: string[]): string[] {
  const all = store.list();
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string, label = id) => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const d of all.filter((c) => joinedContainers(c.spec).includes(id) || c.spec.requires?.includes(id))) visit(d.id);
    out.push(label);
  };
  for (const t of targets) {
    const c = all.find((x) => x.id === t || x.name === t) ?? (() => {
      try {
        return store.resolve(t);
      } catch {
        return undefined;
      }
    })();
    if (c) visit(c.id, t);
    else if (!seen.has(t)) {
      seen.add(t);
      out.push(t); // not found: its report says so
    }
  }
  return out;
}
