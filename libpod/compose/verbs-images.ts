// `compose images`, `pull` and `push`: which services' images are meant. pull takes every service
// with an image: (build-only ones are skipped; one that can also be built only warns when its pull
// fails, as Compose); push takes those built and named (build: and image:).
import { InvalidArgumentError } from '../../src/errors';
import type { Project, ServiceConfig } from './types';

/** The services named (all enabled ones when none), each checked; with deps, what they depend on too. */
export function selectServices(project: Project, names: string[], includeDeps = false): ServiceConfig[] {
  for (const n of names) {
    if (!project.services[n]) {
      const hint = project.disabledServices[n] ? `: it is in profiles ${project.disabledServices[n].profiles?.join(', ')}; enable one with --profile` : '';
      throw new InvalidArgumentError(`no such service: ${n}${hint}`);
    }
  }
  const chosen = new Set(names.length ? names : Object.keys(project.services));
  if (includeDeps) {
    const todo = [...chosen];
    while (todo.length) {
      const s = project.services[todo.pop()!];
      for (const dep of Object.keys(s?.depends_on ?? {})) {
        if (project.services[dep] && !chosen.has(dep)) {
          chosen.add(dep);
          todo.push(dep);
        }
      }
    }
  }
  return Object.keys(project.services).filter((n) => chosen.has(n)).sort().map((n) => project.services[n]);
}

export interface PullItem {
  service: string;
  image: string;
  /** It also has build: a failed pull is a warning (it can be built instead). */
  buildable: boolean;
}

/** What `compose pull` pulls: services with image:, except pull_policy build (and never, which forbids it). */
export function pullPlan(services: ServiceConfig[]): { pull: PullItem[]; skipped: string[] } {
  const pull: PullItem[] = [];
  const skipped: string[] = [];
  for (const s of services) {
    if (!s.image || s.pull_policy === 'build' || s.pull_policy === 'never') skipped.push(s.name);
    else pull.push({ service: s.name, image: s.image, buildable: s.build !== undefined });
  }
  return { pull, skipped };
}

/** What `compose push` pushes: services that are built and named (build: and image:). */
export function pushPlan(services: ServiceConfig[]): Array<{ service: string; image: string }> {
  return services.filter((s) => s.build !== undefined && s.image).map((s) => ({ service: s.name, image: s.image! }));
}

/** An image reference's repository and tag ("<none>" when it has none, as Docker shows). */
export function repositoryAndTag(ref: string): { repository: string; tag: string } {
  const noDigest = ref.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  if (colon > slash) return { repository: noDigest.slice(0, colon), tag: noDigest.slice(colon + 1) };
  return { repository: noDigest || '<none>', tag: ref.includes('@') ? '<none>' : 'latest' };
}
