// What each command's positional arguments and each flag's value name, for completion: the one
// table of CLI meaning completion cannot read from the clipanion classes. Commands and flags
// themselves come from the classes; a unit test checks every path here is a registered one.

/** A kind of word: names from the state database, fixed values, or what the shell does itself. */
export type Kind =
  | 'container' // any container
  | 'running' // running containers (stop, kill, exec, ...)
  | 'startable' // created or exited containers (start)
  | 'image'
  | 'volume'
  | 'network'
  | 'secret'
  | 'pod'
  | 'pod-ref' // run/create --pod: a pod or new:NAME
  | 'container-path' // cp: NAME:PATH or a host path
  | 'volume-mount' // -v: NAME:/path or a host path
  | 'network-mode' // --network: modes, container:NAME, user-defined networks
  | 'signal'
  | 'shell'
  | 'command' // help: command names
  | 'compose-service' // a service of the Compose project in the working directory
  | 'files' // the shell's own file completion
  | 'none'; // nothing to offer

/**
 * Positional kinds by command path (any of a class's paths): position i takes kinds[i], and the
 * last entry repeats for further words. A union of kinds is an array. Commands not listed: files.
 */
export const POSITIONALS: Record<string, Array<Kind | Kind[]>> = {
  start: ['startable'],
  stop: ['running'],
  kill: ['running'],
  pause: ['running'],
  unpause: ['running'],
  attach: ['running', 'none'],
  exec: ['running'],
  top: ['running', 'none'],
  stats: ['running'],
  port: ['running', 'none'],
  rm: ['container'],
  logs: ['container', 'none'],
  inspect: [['container', 'image', 'volume', 'network']],
  'container inspect': ['container'],
  wait: ['container'],
  restart: ['container'],
  rename: ['container', 'none'],
  diff: ['container', 'none'],
  commit: ['container', 'none'],
  'container exists': ['container', 'none'],
  cp: ['container-path'],
  'generate systemd': ['container', 'none'],
  'generate quadlet': ['container', 'none'],
  run: ['image'],
  create: ['image'],
  rmi: ['image'],
  tag: ['image', 'none'],
  untag: ['image', 'none'],
  push: ['image', 'none'],
  save: ['image'],
  'image history': ['image', 'none'],
  'image inspect': ['image'],
  'image exists': ['image', 'none'],
  'image mount': ['image'],
  'image unmount': ['image'],
  'volume rm': ['volume'],
  'volume inspect': ['volume'],
  'volume exists': ['volume', 'none'],
  'volume export': ['volume', 'none'],
  'volume import': ['volume', 'files', 'none'],
  'volume create': ['none'],
  'network rm': ['network'],
  'network inspect': ['network'],
  'network exists': ['network', 'none'],
  'network connect': ['network', 'container', 'none'],
  'network disconnect': ['network', 'container', 'none'],
  'network create': ['none'],
  'secret create': ['none', 'files', 'none'],
  'secret rm': ['secret'],
  'secret inspect': ['secret'],
  'secret exists': ['secret', 'none'],
  completion: ['shell', 'none'],
  help: ['command'],
  pull: ['none'],
  search: ['none'],
  login: ['none'],
  logout: ['none'],
  build: ['files', 'none'],
  'builder prune': ['none'],
  'pod create': ['none'],
  'pod start': ['pod'],
  'pod stop': ['pod'],
  'pod restart': ['pod'],
  'pod kill': ['pod'],
  'pod pause': ['pod'],
  'pod unpause': ['pod'],
  'pod rm': ['pod'],
  'pod exists': ['pod', 'none'],
  'pod inspect': ['pod'],
  'pod logs': ['pod', 'none'],
  'pod top': ['pod', 'none'],
  'pod stats': ['pod'],
  'pod clone': ['pod', 'none'],
  'pod ps': ['none'],
  'pod prune': ['none'],
  'kube generate': [['container', 'pod', 'volume']],
  'kube play': ['files'],
  'kube down': ['files'],
  'compose up': ['compose-service'],
  'compose create': ['compose-service'],
  'compose start': ['compose-service'],
  'compose stop': ['compose-service'],
  'compose restart': ['compose-service'],
  'compose rm': ['compose-service'],
  'compose kill': ['compose-service'],
  'compose pause': ['compose-service'],
  'compose unpause': ['compose-service'],
  'compose logs': ['compose-service'],
  'compose run': ['compose-service', 'none'],
  'compose ps': ['compose-service'],
  'compose exec': ['compose-service', 'none'],
  'compose top': ['compose-service'],
  'compose port': ['compose-service', 'none'],
  'compose wait': ['compose-service'],
  'compose events': ['compose-service'],
  'compose images': ['compose-service'],
  'compose pull': ['compose-service'],
  'compose push': ['compose-service'],
  'compose build': ['compose-service'],
  'compose ls': ['none'],
  'compose config': ['none'],
  'compose version': ['none'],
};

/** Flag values by long flag name; `--format` differs per command (see FORMATS). Unlisted flags: files. */
export const FLAG_VALUES: Record<string, Kind | string[]> = {
  '--network': 'network-mode',
  '--net': 'network-mode',
  '--volumes-from': 'container',
  '--volume': 'volume-mount',
  '--stop-signal': 'signal',
  '--signal': 'signal',
  '--restart': ['no', 'always', 'unless-stopped', 'on-failure'],
  '--pull': ['always', 'missing', 'never', 'newer'],
  '--log-level': ['debug', 'info', 'warn', 'error'],
  '--sdnotify': ['conmon', 'container', 'ignore'],
  '--log-driver': ['k8s-file', 'json-file', 'none', 'passthrough'],
  '--secret': 'secret',
  '--pod': 'pod-ref',
  '--type': ['container', 'image', 'volume', 'network', 'pod', 'all'],
  '--isolation': ['oci', 'rootless'],
};

/** Flag values of one command where the flag means something else there, by "path --flag" (any of the class's paths). */
export const COMMAND_FLAG_VALUES: Record<string, Kind | string[]> = {
  // build's --secret is id=ID,src=FILE, not the name of a tspod secret; its --network has no user-defined networks.
  'build --secret': 'none',
  'build --network': ['slirp4netns', 'none', 'host', 'private'],
  'build --net': ['slirp4netns', 'none', 'host', 'private'],
};

/** `--format` keywords by command path; every other command with --format takes json (or a template). */
export const FORMATS: Record<string, string[]> = {
  save: ['docker-archive', 'oci-archive'],
  commit: ['oci', 'docker'],
  build: ['oci', 'docker'],
  'compose ps': ['table', 'json'],
  'compose ls': ['table', 'json'],
  'compose images': ['table', 'json'],
  'compose config': ['yaml', 'json'],
  'compose version': ['pretty', 'json'],
};

/** --network modes besides user-defined networks and container:NAME. */
export const NETWORK_MODES = ['none', 'host', 'slirp4netns', 'pasta', 'private'];
