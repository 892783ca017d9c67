// The services' depends_on graph: which services an operation takes (the named ones and, unless
// --no-deps, what they depend on), in dependency order (a service after its dependencies: a
// depth-first walk; normalize has refused cycles), and reversed for stop and down.
import { InvalidArgumentError } from '../../src/errors';
import type { Project } from './types';

/** The named services (all when none), checked: `no such service: X` as Compose says it. */
export function selectServices(project: Project, names: string[]): string[] {
  for (const n of names) if (!project.services[n]) throw new InvalidArgumentError(`no such service: ${n}`);
  return names.length ? [...new Set(names)] : Object.keys(project.services);
}

/** The names and, transitively, the services they depend on that the project has (a missing optional one is skipped). */
export function withDependencies(project: Project, names: string[]): string[] {
  const out = new Set<string>();
  const visit = (n: string) => {
    if (out.has(n)) return;
    out.add(n);
    for (const [dep, d] of Object.entries(project.services[n]?.depends_on ?? {})) {
      if (project.services[dep]) visit(dep);
      else if (d.required) throw new InvalidArgumentError(`service "${n}" depends on service "${dep}", which is not in the project (disabled by its profiles?): enable its profile with --profile or mark the dependency required: false`);
    }
  };
  for (const n of names) visit(n);
  return [...out];
}

/** The given services ordered so that each comes after those it depends on (ties by name). */
export function dependencyOrder(project: Project, names: string[]): string[] {
  const want = new Set(names);
  const done = new Set<string>();
  const out: string[] = [];
  const visit = (n: string, path: string[]) => {
    if (done.has(n)) return;
    if (path.includes(n)) throw new InvalidArgumentError(`dependency cycle detected: ${[...path, n].join(' -> ')}`);
    for (const dep of Object.keys(project.services[n]?.depends_on ?? {}).sort()) if (want.has(dep)) visit(dep, [...path, n]);
    done.add(n);
    out.push(n);
  };
  for (const n of [...want].sort()) visit(n, []);
  return out;
}

/** The services that depend on the named one (directly), among those given. */
export function dependents(project: Project, name: string, among: string[]): string[] {
  return among.filter((s) => Object.hasOwn(project.services[s]?.depends_on ?? {}, name));
}

export { dependsOnLabel } from './labels';
