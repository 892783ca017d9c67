// The verbs the compatibility table covers (issue 18): each with the Podman man page that
// documents its options and the tspod command path that should accept them.

export interface VerbSpec {
  /** How the table names it: the command as a user types it after `tspod`. */
  verb: string;
  /** The page under docs/source/markdown in containers/podman. */
  page: string;
  /** The page's section that lists the options. */
  section: string;
  /** tspod's command path; null for the global options, which belong to no one command. */
  path: string[] | null;
}

const verb = (name: string, page: string): VerbSpec => ({ verb: name, page, section: 'OPTIONS', path: name.split(' ') });

export const VERBS: VerbSpec[] = [
  { verb: 'global options', page: 'podman.1.md', section: 'GLOBAL OPTIONS', path: null },
  verb('ps', 'podman-ps.1.md.in'),
  verb('images', 'podman-images.1.md.in'),
  verb('inspect', 'podman-inspect.1.md.in'),
  verb('container inspect', 'podman-container-inspect.1.md.in'),
  verb('image inspect', 'podman-image-inspect.1.md'),
  verb('info', 'podman-info.1.md'),
  verb('events', 'podman-events.1.md'),
  verb('logs', 'podman-logs.1.md.in'),
  verb('stop', 'podman-stop.1.md.in'),
  verb('rm', 'podman-rm.1.md.in'),
  verb('rmi', 'podman-rmi.1.md'),
  verb('kill', 'podman-kill.1.md.in'),
  verb('wait', 'podman-wait.1.md.in'),
  verb('exec', 'podman-exec.1.md.in'),
  verb('start', 'podman-start.1.md.in'),
  verb('restart', 'podman-restart.1.md.in'),
  // Issue 19 (contract, part 2): run and create.
  verb('run', 'podman-run.1.md.in'),
  verb('create', 'podman-create.1.md.in'),
  // Issue 19 (contract, part 3): the verbs that were missing, and save's multi-image options.
  verb('init', 'podman-init.1.md.in'),
  verb('update', 'podman-update.1.md.in'),
  verb('healthcheck run', 'podman-healthcheck-run.1.md'),
  verb('secret create', 'podman-secret-create.1.md'),
  verb('secret ls', 'podman-secret-ls.1.md.in'),
  verb('secret inspect', 'podman-secret-inspect.1.md'),
  verb('secret rm', 'podman-secret-rm.1.md'),
  verb('secret exists', 'podman-secret-exists.1.md'),
  verb('image diff', 'podman-image-diff.1.md'),
  verb('image tree', 'podman-image-tree.1.md'),
  verb('diff', 'podman-diff.1.md.in'),
  verb('container diff', 'podman-container-diff.1.md.in'),
  verb('save', 'podman-save.1.md.in'),
  ...['create', 'add', 'annotate', 'inspect', 'push', 'rm', 'exists', 'remove'].map((v) =>
    verb(`manifest ${v}`, `podman-manifest-${v}.1.md${['create', 'add', 'annotate', 'inspect', 'push'].includes(v) ? '.in' : ''}`),
  ),
  // Issue 21: build, and the prune of its cache.
  verb('build', 'podman-build.1.md.in'),
  verb('image prune', 'podman-image-prune.1.md'),
  ...['create', 'exists', 'export', 'import', 'inspect', 'ls', 'mount', 'prune', 'reload', 'rm', 'unmount'].map((v) =>
    verb(`volume ${v}`, `podman-volume-${v}.1.md${v === 'ls' ? '.in' : ''}`),
  ),
  ...['connect', 'create', 'disconnect', 'exists', 'inspect', 'ls', 'prune', 'reload', 'rm', 'update'].map((v) =>
    verb(`network ${v}`, `podman-network-${v}.1.md${v === 'ls' || v === 'reload' ? '.in' : ''}`),
  ),
  // Issue 22: pods (pod-core's verbs).
  ...['create', 'start', 'stop', 'restart', 'kill', 'pause', 'unpause', 'rm', 'prune', 'exists'].map((v) =>
    verb(`pod ${v}`, `podman-pod-${v}.1.md${['create', 'start', 'stop', 'kill', 'rm'].includes(v) ? '.in' : ''}`),
  ),
  // Issue 22: the pod verbs that report, and pod clone.
  ...['ps', 'inspect', 'logs', 'top', 'stats', 'clone'].map((v) => verb(`pod ${v}`, `podman-pod-${v}.1.md.in`)),
  // Issue 22: Kubernetes YAML.
  verb('kube play', 'podman-kube-play.1.md.in'),
  verb('kube down', 'podman-kube-down.1.md'),
  verb('kube generate', 'podman-kube-generate.1.md'),
];

/**
 * Options whose man-page heading shows no value although the flag takes one (checked against the
 * flag definitions in cmd/podman of v5.8.2): the value each takes, by "verb --option".
 */
export const UNDOCUMENTED_VALUES: Record<string, string> = {
  'global options --config': 'path',
  'global options --conmon': 'path',
  'global options --connection': 'name',
  'ps --last': 'number',
  'ps --watch': 'seconds',
  'events --format': 'format',
  'restart --cidfile': 'file',
  'image diff --format': 'format',
  'diff --format': 'format',
  'container diff --format': 'format',
  'manifest add --variant': 'variant',
  'manifest annotate --variant': 'variant',
  'volume prune --filter': 'filter',
  'network prune --filter': 'filter',
  'network update --dns-add': 'ip',
  'network update --dns-drop': 'ip',
  'build --cache-ttl': 'duration',
  'build --format': 'format',
  'build --from': 'image',
  'build --ignorefile': 'path',
  'pod clone --cpus': 'number',
  'pod clone --name': 'name',
  'pod logs --container': 'name',
  'pod ps --sort': 'field',
};

/**
 * Options whose value may be left out (Go's NoOptDefVal: `--pull` alone means `--pull=always`),
 * by "verb --option": written `--option` or `--option=VALUE`, never `--option VALUE`, so a
 * tspod flag that takes no value in the next word matches them.
 */
export const OPTIONAL_VALUES: ReadonlySet<string> = new Set(['build --pull']);

/**
 * Options whose names on the page are not the command's (a shared options/*.md file gives a short
 * name the command uses for something else; checked against cmd/podman of v5.8.2).
 */
export const ACTUAL_NAMES: Record<string, string[]> = {
  'rm --filter': ['--filter'], // -f is rm's --force
};
