// The com.docker.compose.* labels Docker Compose puts on what it makes, and reads back to find a
// project's containers, networks and volumes (ps, down, up's convergence): the single owner of
// their values here, and of a build-only service's image name. Pure.
import { COMPOSE_VERSION, LABEL, type Project, type ServiceConfig } from './types';

/**
 * The image of a service that has only build: "<project>-<service>", as Docker Compose names it
 * (api.GetImageNameOrDefault). The one definition: translate-service.ts and config-output.ts use it.
 */
export function defaultImageName(projectName: string, serviceName: string): string {
  return `${projectName}-${serviceName}`;
}

/** The image a service's containers run: its image:, else the one its build makes. */
export function serviceImage(projectName: string, service: ServiceConfig): string {
  return service.image ?? defaultImageName(projectName, service.name);
}

/**
 * com.docker.compose.depends_on: "service:condition:restart" per dependency, comma-joined, as
 * Docker Compose writes it (sorted by service here: Go's map order is random, a stable label is
 * kinder to `inspect` diffs and changes nothing for readers, which split on commas).
 */
export function dependsOnLabel(service: ServiceConfig): string {
  return Object.keys(service.depends_on ?? {})
    .sort()
    .map((dep) => {
      const d = service.depends_on![dep];
      return `${dep}:${d.condition}:${d.restart ? 'true' : 'false'}`;
    })
    .join(',');
}

/**
 * The labels of a service's container: the service's own labels, then Compose's (which win, as
 * Docker Compose merges them): project, service, version, working_dir, config_files, oneoff
 * ("True"/"False"), config-hash, depends_on; container-number for a service's replicas (one-off
 * run containers have none, as in Compose); slug for a one-off (its name's random part);
 * com.docker.compose.image when the caller knows the image's ID (Compose records the digest it
 * pulled or built, not the name); com.docker.compose.replace naming the container a recreate replaces.
 */
export function containerLabels(
  project: Project,
  service: ServiceConfig,
  number: number,
  opts: { oneoff: boolean; configHash: string; imageDigest?: string; slug?: string; replace?: string; dependsOnLabel?: string },
): Record<string, string> {
  const labels: Record<string, string> = {
    ...(service.labels ?? {}),
    [LABEL.project]: project.name,
    [LABEL.service]: service.name,
    [LABEL.version]: COMPOSE_VERSION,
    [LABEL.workingDir]: project.workingDir,
    [LABEL.configFiles]: project.files.join(','),
    [LABEL.oneoff]: opts.oneoff ? 'True' : 'False',
    [LABEL.configHash]: opts.configHash,
    [LABEL.dependsOn]: opts.dependsOnLabel ?? dependsOnLabel(service),
  };
  if (!opts.oneoff) labels[LABEL.number] = String(number);
  if (opts.oneoff && opts.slug) labels[LABEL.slug] = opts.slug;
  if (opts.imageDigest) labels[LABEL.image] = opts.imageDigest;
  if (opts.replace) labels[LABEL.replace] = opts.replace;
  return labels;
}

/** A top-level network's labels: the user's, then com.docker.compose.project, .network (its key) and .version. */
export function networkLabels(project: Project, key: string): Record<string, string> {
  return { ...(project.networks[key]?.labels ?? {}), [LABEL.project]: project.name, [LABEL.network]: key, [LABEL.version]: COMPOSE_VERSION };
}

/** A top-level volume's labels: the user's, then com.docker.compose.project, .volume (its key) and .version. */
export function volumeLabels(project: Project, key: string): Record<string, string> {
  return { ...(project.volumes[key]?.labels ?? {}), [LABEL.project]: project.name, [LABEL.volume]: key, [LABEL.version]: COMPOSE_VERSION };
}

/** Labels as create's --label strings (key=value). */
export function labelFlags(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}
