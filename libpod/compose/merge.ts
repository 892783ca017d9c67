// The Compose Specification's merge rules (several -f files, extends): mappings merge key by key,
// sequences append; a service's command/entrypoint/healthcheck.test are replaced; ports, volumes,
// secrets, configs (and env_file, devices) are merged by their unique key; environment-like keys
// merge as maps whichever form they were written in; `!reset` removes and `!override` replaces.
import { isPlainObject, originOf, setOrigin } from './yaml-source';

type Path = Array<string | number>;

export interface MergeTags {
  /** Paths (relative to the merge's root) written with !reset in the overriding document. */
  resets?: Path[];
  /** Paths written with !override: replaced, not merged. */
  overrides?: Path[];
}

type Rule = 'replace' | 'map' | 'unique' | 'ports' | 'volumes' | 'source' | 'env_file' | 'devices' | 'networks' | 'depends_on' | 'build' | 'logging' | 'extra_hosts';

const SERVICE_RULES: Record<string, Rule> = {
  command: 'replace',
  entrypoint: 'replace',
  'healthcheck.test': 'replace',
  environment: 'map',
  labels: 'map',
  annotations: 'map',
  sysctls: 'map',
  'build.args': 'map',
  'build.labels': 'map',
  'deploy.labels': 'map',
  extra_hosts: 'extra_hosts',
  'build.extra_hosts': 'extra_hosts',
  ports: 'ports',
  volumes: 'volumes',
  secrets: 'source',
  configs: 'source',
  'build.secrets': 'source',
  env_file: 'env_file',
  devices: 'devices',
  networks: 'networks',
  depends_on: 'depends_on',
  build: 'build',
  logging: 'logging',
  dns: 'unique',
  dns_search: 'unique',
  dns_opt: 'unique',
  expose: 'unique',
  cap_add: 'unique',
  cap_drop: 'unique',
  tmpfs: 'unique',
  profiles: 'unique',
  links: 'unique',
  external_links: 'unique',
  security_opt: 'unique',
  group_add: 'unique',
  volumes_from: 'unique',
  device_cgroup_rules: 'unique',
  'build.cache_from': 'unique',
  'build.cache_to': 'unique',
  'build.tags': 'unique',
  'build.platforms': 'unique',
};

/** The rule for a key path: services.<name>.<key...> follows the service rules; top-level labels-like maps merge as maps. */
function ruleFor(path: Path): Rule | undefined {
  if (path[0] === 'services' && path.length >= 3) return SERVICE_RULES[path.slice(2).join('.')];
  if (['networks', 'volumes', 'secrets', 'configs'].includes(String(path[0])) && path.length === 3 && (path[2] === 'labels' || path[2] === 'driver_opts')) return 'map';
  return undefined;
}

function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((x, i) => String(x) === String(b[i]));
}

/** Merges `over` onto `base` and returns the result (inputs are not changed; origins travel with the values). */
export function mergeValues(base: unknown, over: unknown, tags: MergeTags = {}, rootPath: Path = []): unknown {
  let start = base;
  for (const r of tags.resets ?? []) start = withoutPath(start, r);
  return merge(start, over, rootPath, rootPath.length, tags.overrides ?? []);
}

function merge(base: unknown, over: unknown, path: Path, rootLen: number, overrides: Path[]): unknown {
  if (base === undefined) return over;
  if (overrides.some((p) => samePath(p, path.slice(rootLen)))) return over;
  const rule = ruleFor(path);
  switch (rule) {
    case 'replace':
      return over;
    case 'map':
      return mergeMaps(listToMap(base, '='), listToMap(over, '='), path, rootLen, overrides);
    case 'extra_hosts':
      if (Array.isArray(base) && Array.isArray(over)) return uniqueAppend(base, over);
      return mergeMaps(listToMap(base, '=:'), listToMap(over, '=:'), path, rootLen, overrides);
    case 'networks':
      return mergeMaps(namesToMap(base, null), namesToMap(over, null), path, rootLen, overrides);
    case 'depends_on':
      if (Array.isArray(base) && Array.isArray(over)) return uniqueAppend(base, over);
      return mergeMaps(namesToMap(base, { condition: 'service_started' }), namesToMap(over, { condition: 'service_started' }), path, rootLen, overrides);
    case 'build':
      return mergeMaps(buildToMap(base), buildToMap(over), path, rootLen, overrides);
    case 'logging':
      if (isPlainObject(base) && isPlainObject(over) && base.driver !== undefined && over.driver !== undefined && base.driver !== over.driver) return over;
      break;
    case 'unique':
    case 'env_file':
      // A key the schema takes as a string or a list (env_file, dns, tmpfs, ...) merges as a list
      // whichever form each side wrote, as compose-go makes it a list before merging.
      if (typeof base === 'string') base = [base];
      if (typeof over === 'string') over = [over];
      break;
    default:
      break;
  }
  if (Array.isArray(base) && Array.isArray(over)) {
    switch (rule) {
      case 'unique':
        return uniqueAppend(base, over);
      case 'ports':
        return keyedMerge(base, over, portKey);
      case 'volumes':
        return keyedMerge(base, over, volumeKey);
      case 'source':
        return keyedMerge(base, over, (v) => (isPlainObject(v) ? String(v.source) : String(v)));
      case 'env_file':
        return keyedMerge(base, over, (v) => (isPlainObject(v) ? String(v.path) : String(v)));
      case 'devices':
        return keyedMerge(base, over, deviceKey);
      default:
        return append(base, over);
    }
  }
  if (isPlainObject(base) && isPlainObject(over)) return mergeMaps(base, over, path, rootLen, overrides);
  return over;
}

function mergeMaps(base: unknown, over: unknown, path: Path, rootLen: number, overrides: Path[]): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) {
    out[k] = v;
    setOrigin(out, k, originOf(base, k));
  }
  for (const [k, v] of Object.entries(over)) {
    out[k] = k in base ? merge(base[k], v, [...path, k], rootLen, overrides) : v;
    setOrigin(out, k, originOf(over, k) ?? originOf(base, k));
  }
  return out;
}

function pushFrom(out: unknown[], from: unknown[], i: number): void {
  out.push(from[i]);
  setOrigin(out, out.length - 1, originOf(from, i));
}

function append(base: unknown[], over: unknown[]): unknown[] {
  const out: unknown[] = [];
  base.forEach((_, i) => pushFrom(out, base, i));
  over.forEach((_, i) => pushFrom(out, over, i));
  return out;
}

function uniqueAppend(base: unknown[], over: unknown[]): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const [list, i] of [...base.map((_, i) => [base, i] as const), ...over.map((_, i) => [over, i] as const)]) {
    const key = JSON.stringify(list[i]);
    if (seen.has(key)) continue;
    seen.add(key);
    pushFrom(out, list, i);
  }
  return out;
}

/** Appends items whose key is new; an item whose key an earlier one has replaces it (mappings merge). */
function keyedMerge(base: unknown[], over: unknown[], keyOf: (v: unknown) => string): unknown[] {
  const out: unknown[] = [];
  const index = new Map<string, number>();
  base.forEach((v, i) => {
    index.set(keyOf(v), out.length);
    pushFrom(out, base, i);
  });
  over.forEach((v, i) => {
    const k = keyOf(v);
    const at = index.get(k);
    if (at === undefined) {
      index.set(k, out.length);
      pushFrom(out, over, i);
      return;
    }
    const prev = out[at];
    out[at] = isPlainObject(prev) && isPlainObject(v) ? mergeMaps(prev, v, [], 0, []) : v;
    setOrigin(out, at, originOf(over, i));
  });
  return out;
}

/** A port's identity: {host ip, target, published, protocol}. */
export function portKey(v: unknown): string {
  if (isPlainObject(v)) return [v.host_ip ?? '', String(v.target ?? ''), String(v.published ?? ''), v.protocol ?? 'tcp'].join('|');
  let s = String(v);
  let proto = 'tcp';
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    proto = s.slice(slash + 1);
    s = s.slice(0, slash);
  }
  let ip = '';
  const bracket = /^\[([^\]]*)\]:(.*)$/.exec(s);
  if (bracket) {
    ip = bracket[1];
    s = bracket[2];
  }
  const parts = s.split(':');
  const target = parts.pop() ?? '';
  const published = parts.pop() ?? '';
  if (!bracket) ip = parts.join(':');
  return [ip, target, published, proto].join('|');
}

/** A volume's identity: its target (the path in the container). */
export function volumeKey(v: unknown): string {
  if (isPlainObject(v)) return String(v.target ?? '');
  const parts = String(v).split(':');
  return parts.length === 1 ? parts[0] : parts[1];
}

function deviceKey(v: unknown): string {
  if (isPlainObject(v)) return String(v.target ?? v.source ?? '');
  const parts = String(v).split(':');
  return parts.length === 1 ? parts[0] : parts[1];
}

/** ["K=V", "K"] -> {K: "V", K: null}; a mapping stays as it is. `seps`: the characters splitting key and value. */
function listToMap(v: unknown, seps: string): unknown {
  if (!Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  v.forEach((item, i) => {
    const s = String(item);
    let at = -1;
    for (const c of seps) {
      const j = s.indexOf(c);
      if (j >= 0 && (at < 0 || j < at)) at = j;
    }
    const k = at < 0 ? s : s.slice(0, at);
    out[k] = at < 0 ? null : s.slice(at + 1);
    setOrigin(out, k, originOf(v, i));
  });
  return out;
}

/** [a, b] -> {a: empty, b: empty}: a service's networks and depends_on in their mapping form. */
function namesToMap(v: unknown, empty: unknown): unknown {
  if (!Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  v.forEach((item, i) => {
    out[String(item)] = empty === null ? null : { ...(empty as object) };
    setOrigin(out, String(item), originOf(v, i));
  });
  return out;
}

function buildToMap(v: unknown): unknown {
  return typeof v === 'string' ? { context: v } : v;
}

/** `root` without the value at `path` (containers along the path are copied, with their origins). */
export function withoutPath(root: unknown, path: Path): unknown {
  if (path.length === 0) return undefined;
  if (!isPlainObject(root) && !Array.isArray(root)) return root;
  const [head, ...rest] = path;
  const key = String(head);
  if (!Array.isArray(root) && !(key in root)) return root;
  if (Array.isArray(root)) {
    const copy: unknown[] = [];
    if (!/^\d+$/.test(key)) {
      // A list written as "K=V" items (environment, labels) or names (networks): !reset K removes K's item.
      root.forEach((item, i) => {
        if (rest.length === 0 && (String(item) === key || String(item).startsWith(`${key}=`))) return;
        copy.push(item);
        setOrigin(copy, copy.length - 1, originOf(root, i));
      });
      return copy;
    }
    root.forEach((_, i) => {
      if (String(i) === key && rest.length === 0) return;
      copy.push(String(i) === key ? withoutPath(root[i], rest) : root[i]);
      setOrigin(copy, copy.length - 1, originOf(root, i));
    });
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(root)) {
    if (k === key && rest.length === 0) continue;
    copy[k] = k === key ? withoutPath(v, rest) : v;
    setOrigin(copy, k, originOf(root, k));
  }
  return copy;
}
