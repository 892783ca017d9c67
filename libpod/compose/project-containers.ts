// A project's containers as their com.docker.compose.* labels say: which service, which number,
// one-off (run) or not. The labels are the only record compose keeps, as Docker Compose's.
import type { ComposeContainer, ComposeOps } from './compose-ops';
import { LABEL } from './types';

export function containerNumber(c: ComposeContainer): number {
  return Number(c.labels[LABEL.number] ?? 0) || 0;
}

export function isOneoff(c: ComposeContainer): boolean {
  return (c.labels[LABEL.oneoff] ?? '').toLowerCase() === 'true';
}

/** Every container of the project (one-off run containers with oneoff), by service then number. */
export function projectContainers(ops: ComposeOps, project: string, opts: { oneoff: boolean } = { oneoff: false }): ComposeContainer[] {
  return ops
    .listContainers({ [LABEL.project]: project })
    .filter((c) => opts.oneoff || !isOneoff(c))
    .sort((a, b) => (a.labels[LABEL.service] ?? '').localeCompare(b.labels[LABEL.service] ?? '') || containerNumber(a) - containerNumber(b) || a.created - b.created);
}

/** The service's containers (not one-off), by number. */
export function serviceContainers(ops: ComposeOps, project: string, service: string): ComposeContainer[] {
  return projectContainers(ops, project).filter((c) => c.labels[LABEL.service] === service);
}

/** The given services' containers (one-off ones too with oneoff), in the order of the services given. */
export function containersOf(ops: ComposeOps, project: string, services: string[], opts: { oneoff: boolean } = { oneoff: false }): ComposeContainer[] {
  const all = projectContainers(ops, project, opts);
  return services.flatMap((s) => all.filter((c) => c.labels[LABEL.service] === s));
}

/** A container that runs: running, paused or restarting (Podman's states). */
export function isUp(state: string): boolean {
  return state === 'running' || state === 'paused' || state === 'restarting' || state === 'stopping';
}
