// Global flags given before the verb, as in `tspod --root /x images` or `tspod --events-backend none
// run ...`: every flag Podman 5 has there, in both spellings (`--flag value`, `--flag=value`),
// booleans also as `--flag=true|false`. Each is either applied (to paths, the configuration, the
// log, or where output goes) or refused with the reason, as Podman's remote-only flags must be:
// tspod has no service to connect to. Commands also accept --root/--runroot/--log-level after the verb.
import { UsageError } from './errors';

export interface GlobalOptions {
  root?: string;
  runroot?: string;
  logLevel?: string;
  /** --out FILE: tspod's own standard output goes to FILE (a container's output does not). */
  out?: string;
  /** --noout: tspod's own standard output is discarded. */
  noout?: boolean;
  storageDriver?: string;
  storageOpts?: string[];
  cgroupManager?: string;
  eventsBackend?: string;
  runtime?: string;
  runtimeFlags?: string[];
  syslog?: boolean;
  modules?: string[];
  /** --config DIR: Docker's configuration directory, whose config.json holds registry credentials. */
  config?: string;
  registriesConf?: string;
  dbBackend?: string;
}

type Kind = 'value' | 'array' | 'bool';

interface GlobalFlag {
  kind: Kind;
  key?: keyof GlobalOptions;
  /** Accepted values, when only some are meaningful here; others are refused with `why`. */
  only?: string[];
  /** The flag is refused (or, with `only`, its other values): what the user is told. */
  why?: string;
  /** `tspod --help`'s line for a flag tspod honours. */
  help?: string;
}

const NO_REMOTE = 'tspod has no remote mode: it runs containers on this machine, without a service to connect to; drop the flag';

const FLAGS: Record<string, GlobalFlag> = {
  '--root': { kind: 'value', key: 'root', help: 'path to the root directory in which data, including images, is stored (default $XDG_DATA_HOME/tspod)' },
  '--runroot': { kind: 'value', key: 'runroot', help: 'path to the runtime directory for pid files, sockets and locks (default $XDG_RUNTIME_DIR/tspod, else /run/user/UID/tspod, else /tmp/tspod-run-UID/tspod)' },
  '--log-level': { kind: 'value', key: 'logLevel', help: 'log messages at and above this level: debug, info, warn, error, fatal, panic (default \"warn\")' },
  '--debug': { kind: 'bool', help: 'the same as --log-level debug' },
  '-D': { kind: 'bool' },
  '--out': { kind: 'value', key: 'out', help: "write tspod's standard output to this file (a container's output is not redirected)" },
  '--noout': { kind: 'bool', key: 'noout', help: "discard tspod's standard output" },
  '--storage-driver': { kind: 'value', key: 'storageDriver', only: ['overlay'], help: 'the storage driver: overlay (the only one)', why: 'tspod stores images and containers with the overlay driver only (native overlay or fuse-overlayfs): use --storage-driver overlay, or leave it out' },
  '--storage-opt': { kind: 'array', key: 'storageOpts', help: 'a storage option: overlay.mount_program=PATH (use this fuse-overlayfs)' },
  '--cgroup-manager': { kind: 'value', key: 'cgroupManager', only: ['cgroupfs'], help: 'the cgroup manager: cgroupfs (the only one)', why: 'tspod places containers in cgroups with cgroupfs only; it does not ask systemd over D-Bus: use --cgroup-manager cgroupfs, or leave it out' },
  '--events-backend': { kind: 'value', key: 'eventsBackend', only: ['file', 'none'], help: 'where events are recorded: file (the state database) or none (default "file")', why: 'tspod records events in its own state database ("file") or not at all ("none"); it does not write to the journal: use --events-backend file or none' },
  '--runtime': { kind: 'value', key: 'runtime', help: 'the OCI runtime for new containers: runc, crun, or a path' },
  '--runtime-flag': { kind: 'array', key: 'runtimeFlags', help: 'a global flag for the OCI runtime, without its leading -- (may be repeated)' },
  '--syslog': { kind: 'bool', key: 'syslog', help: 'send log messages to syslog as well as stderr' },
  '--module': { kind: 'array', key: 'modules', help: 'read this containers.conf module (a name in containers.conf.modules/, or a path) after the other files' },
  '--config': { kind: 'value', key: 'config', help: "Docker's configuration directory, whose config.json holds registry credentials" },
  '--registries-conf': { kind: 'value', key: 'registriesConf', help: 'path to a registries.conf to use instead of the usual ones' },
  '--db-backend': { kind: 'value', key: 'dbBackend', only: ['sqlite'], help: 'the state database: sqlite (the only one)', why: 'tspod keeps its state in SQLite only: use --db-backend sqlite, or leave it out' },
  '--context': { kind: 'value', only: ['default'], why: 'tspod has no remote contexts: only "default" (this machine) exists' },
  '--url': { kind: 'value', why: NO_REMOTE },
  '--host': { kind: 'value', why: NO_REMOTE },
  '-H': { kind: 'value', why: NO_REMOTE },
  '--connection': { kind: 'value', why: NO_REMOTE },
  '-c': { kind: 'value', why: NO_REMOTE },
  '--remote': { kind: 'bool', why: NO_REMOTE },
  '-r': { kind: 'bool', why: NO_REMOTE },
  '--identity': { kind: 'value', why: NO_REMOTE },
  '--ssh': { kind: 'value', why: NO_REMOTE },
  '--tls-ca': { kind: 'value', why: NO_REMOTE },
  '--tls-cert': { kind: 'value', why: NO_REMOTE },
  '--tls-key': { kind: 'value', why: NO_REMOTE },
  '--conmon': { kind: 'value', why: 'tspod watches each container with its own small monitor, not conmon: drop --conmon' },
  '--hooks-dir': { kind: 'array', why: 'tspod runs no OCI hooks: drop --hooks-dir' },
  '--cdi-spec-dir': { kind: 'array', why: 'tspod has no CDI device support: pass devices with --device when it exists, and drop --cdi-spec-dir' },
  '--network-cmd-path': { kind: 'value', why: 'tspod finds pasta or slirp4netns on PATH (choose with network.default_rootless_network_cmd in containers.conf): drop --network-cmd-path' },
  '--network-config-dir': { kind: 'value', why: 'tspod keeps networks in its state database under --root, not in configuration files: drop --network-config-dir' },
  '--network-backend': { kind: 'value', why: 'tspod sets up rootless networks itself (pasta or slirp4netns, and its own bridges), with neither netavark nor CNI: drop --network-backend' },
  '--imagestore': { kind: 'value', why: 'tspod keeps images under --root only: use --root' },
  '--volumepath': { kind: 'value', why: 'tspod keeps volumes under --root (ROOT/volumes): use --root' },
  '--tmpdir': { kind: 'value', why: 'tspod keeps its runtime files under --runroot and stages layers inside --root (so that they are renamed into place): use --runroot' },
  '--transient-store': { kind: 'bool', why: 'tspod keeps its container state in one database under --root: use a --root on a tmpfs for state that does not outlive a reboot' },
  '--default-mounts-file': { kind: 'value', why: 'tspod adds no default mounts: drop --default-mounts-file, and give mounts with -v or --mount' },
  '--namespace': { kind: 'value', why: 'tspod has no libpod namespaces: use a separate --root for a separate set of containers' },
  '--pull-option': { kind: 'array', why: 'tspod has no pull options (partial pulls, zstd:chunked): drop --pull-option' },
  '--max-workers': { kind: 'value', why: 'tspod chooses its own parallelism: drop --max-workers' },
  '--cpu-profile': { kind: 'value', why: 'profiling files are for Go programs; profile tspod with node --cpu-prof (see docs/architecture.md)' },
  '--memory-profile': { kind: 'value', why: 'profiling files are for Go programs; profile tspod with node --heap-prof' },
  '--trace': { kind: 'bool', why: 'tspod has no OpenTracing output: use --log-level debug, whose lines carry the time spent' },
};

/** Every global flag's spellings, for completion and the launcher's peers. */
export const GLOBAL_FLAG_NAMES: ReadonlySet<string> = new Set(Object.keys(FLAGS));

/** The global flags that take a value (`--root X` or `--root=X`). */
export const GLOBAL_VALUE_FLAGS: ReadonlySet<string> = new Set(Object.keys(FLAGS).filter((f) => FLAGS[f].kind !== 'bool'));

/** `tspod --help`'s rows for the flags tspod honours: `--runtime-flag stringArray` and what it does. */
export function globalFlagHelp(): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const [name, flag] of Object.entries(FLAGS)) {
    if (!flag.help) continue;
    const type = flag.kind === 'value' ? ' string' : flag.kind === 'array' ? ' stringArray' : '';
    rows.push([`${name === '--debug' ? '-D, ' : ''}${name}${type}`, flag.help]);
  }
  // Plain code-unit order: the first localeCompare loads ICU's collator, 10 ms at start-up.
  const key = (row: [string, string]) => row[0].replace(/^-., /, '');
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** One-letter spellings of the long flags. */
const SHORT: Record<string, string> = { '-D': '--debug', '-c': '--connection', '-r': '--remote', '-H': '--host' };

export interface GlobalFlagSpec {
  /** Long name first, then its one-letter spelling. */
  names: string[];
  takesValue: boolean;
  /** Refused outright: the reason the user is told. */
  refused?: string;
}

/** Every global flag as the compatibility table lists it (docs/cli-compat.md). */
export function globalFlagSpecs(): GlobalFlagSpec[] {
  return Object.entries(FLAGS)
    .filter(([name]) => !SHORT[name])
    .map(([name, flag]) => ({
      names: [name, ...Object.keys(SHORT).filter((s) => SHORT[s] === name)],
      takesValue: flag.kind !== 'bool',
      refused: flag.why && !flag.only ? flag.why : undefined,
    }));
}

function flagOf(word: string): { name: string; flag: GlobalFlag } | undefined {
  const name = word.startsWith('--') ? word.split('=')[0] : word.length === 2 || word[2] === '=' ? word.slice(0, 2) : word;
  const flag = FLAGS[name];
  return flag ? { name, flag } : undefined;
}

/** The leading global flags of argv, word for word, and the words after them. */
export function splitGlobalFlags(argv: string[]): { globals: string[]; rest: string[] } {
  let i = 0;
  while (i < argv.length) {
    const found = flagOf(argv[i]);
    if (!found) break;
    const joined = argv[i].includes('=');
    if (found.flag.kind === 'bool' || joined) {
      i += 1;
      continue;
    }
    if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: ${argv[i]}`);
    i += 2;
  }
  return { globals: argv.slice(0, i), rest: argv.slice(i) };
}

function boolValue(name: string, value: string | undefined): boolean {
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  throw new UsageError(`invalid argument "${value}" for "${name}" flag: use true or false`);
}

/** Reads the leading global flags: what they set, refusing those tspod cannot honour. */
export function parseGlobalFlags(globals: string[]): GlobalOptions {
  const found: GlobalOptions = {};
  const set = found as Record<string, unknown>;
  for (let i = 0; i < globals.length; i++) {
    const { name, flag } = flagOf(globals[i])!;
    const eq = globals[i].indexOf('=');
    const joined = eq > 0 ? globals[i].slice(eq + 1) : undefined;
    if (flag.kind === 'bool') {
      const on = boolValue(name, joined);
      if (flag.why && on) throw new UsageError(`${SHORT[name] ?? name} is not supported: ${flag.why}`);
      if (name === '--debug' || name === '-D') {
        if (on) found.logLevel = 'debug';
      } else if (flag.key) set[flag.key] = on;
      continue;
    }
    const value = joined ?? globals[++i];
    if (flag.why && !flag.only) throw new UsageError(`${SHORT[name] ?? name} is not supported: ${flag.why}`);
    if (flag.why && !flag.only!.includes(value)) throw new UsageError(`${name} ${JSON.stringify(value)}: ${flag.why}`);
    if (!flag.key) continue;
    if (flag.kind === 'array') set[flag.key] = [...((set[flag.key] as string[] | undefined) ?? []), value];
    else set[flag.key] = value;
  }
  return found;
}

let current: GlobalOptions = {};

export function globalOptions(): GlobalOptions {
  return current;
}

/** Removes leading global flags from argv and remembers them; the rest is the command line. */
export function extractGlobalOptions(argv: string[]): string[] {
  const { globals, rest } = splitGlobalFlags(argv);
  current = parseGlobalFlags(globals);
  return rest;
}

/**
 * The global flags a later tspod run for the same containers must be given too (the monitor's
 * `container cleanup`): those that change the configuration, the runtime or the event log.
 */
export function inheritedGlobalFlags(g: GlobalOptions = current): string[] {
  const out: string[] = [];
  for (const m of g.modules ?? []) out.push('--module', m);
  if (g.eventsBackend) out.push('--events-backend', g.eventsBackend);
  if (g.runtime) out.push('--runtime', g.runtime);
  for (const f of g.runtimeFlags ?? []) out.push('--runtime-flag', f);
  for (const o of g.storageOpts ?? []) out.push('--storage-opt', o);
  if (g.syslog) out.push('--syslog');
  return out;
}
