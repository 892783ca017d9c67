// POST /build's query as the build engine's options (the legacy builder's parameters), and the
// engine's progress lines as the legacy builder's JSON stream ({"stream": "Step 1/3 : ..."}).
import type { BuildOptions } from '../../libpod/entities';
import { ApiError } from '../types';

function jsonMap(query: URLSearchParams, name: string): Record<string, string | null> {
  const raw = query.get(name);
  if (!raw) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new ApiError(400, `invalid ${name}: it must be a JSON object of strings`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => x !== null && typeof x !== 'string')) throw new ApiError(400, `invalid ${name}: it must be a JSON object of strings`);
  return v as Record<string, string | null>;
}

const flag = (query: URLSearchParams, name: string, dflt: boolean) => {
  const v = query.get(name);
  return v === null ? dflt : !/^(0|false|no|)$/i.test(v);
};

/**
 * The build's options from Docker's query, on top of the engine's defaults (as `tspod build` with
 * no flags). context: where the handler puts the uploaded tar ('-' for the request body), or the
 * `remote` URL. hostArch: the platform the engine builds for (others are refused, as the CLI does).
 */
export function buildOptionsFromQuery(query: URLSearchParams, defaults: BuildOptions, hostArch: string): BuildOptions {
  if (query.get('version') === '2') throw new ApiError(400, 'BuildKit (version=2) is not supported: use the legacy builder (DOCKER_BUILDKIT=0)');
  const remote = query.get('remote');
  if (remote && !/^https?:\/\//.test(remote)) throw new ApiError(400, `remote ${JSON.stringify(remote)} is not supported: give an http(s) URL of a tarball or Dockerfile, or send the context as the body`);
  const opts: BuildOptions = { ...defaults, context: remote || '-' };
  const dockerfile = query.get('dockerfile');
  if (dockerfile) {
    if (remote && /^https?:\/\//.test(dockerfile)) opts.files = [dockerfile];
    else if (dockerfile.startsWith('/') || dockerfile.split('/').includes('..')) throw new ApiError(400, `dockerfile ${JSON.stringify(dockerfile)} must be a path inside the build context`);
    else opts.files = [dockerfile];
  }
  opts.tags = query.getAll('t').filter(Boolean);
  const args = jsonMap(query, 'buildargs');
  // A null value asks for the daemon's environment variable, which the service does not hand out.
  opts.buildArgs = Object.fromEntries(Object.entries(args).filter((e): e is [string, string] => e[1] !== null));
  opts.labels = Object.entries(jsonMap(query, 'labels')).map(([k, v]) => `${k}=${v ?? ''}`);
  const target = query.get('target');
  if (target) opts.target = target;
  opts.noCache = flag(query, 'nocache', false);
  const pull = query.get('pull');
  opts.pull = pull !== null && pull !== '' && !/^(0|false|no)$/i.test(pull) ? 'always' : 'missing';
  opts.rm = flag(query, 'rm', true);
  opts.forceRm = flag(query, 'forcerm', false);
  opts.quiet = flag(query, 'q', false);
  opts.squash = flag(query, 'squash', false);
  opts.addHosts = query.getAll('extrahosts').flatMap((h) => h.split(',')).filter(Boolean);
  const net = query.get('networkmode');
  if (net && net !== 'default' && net !== 'bridge') opts.network = net;
  const shm = query.get('shmsize');
  if (shm && shm !== '0') {
    if (!/^\d+$/.test(shm)) throw new ApiError(400, `invalid shmsize ${JSON.stringify(shm)}: give a number of bytes`);
    opts.shmSize = `${shm}b`;
  }
  const ulimits = query.get('ulimits');
  if (ulimits) {
    let list: unknown;
    try {
      list = JSON.parse(ulimits);
    } catch {
      throw new ApiError(400, 'invalid ulimits: it must be a JSON list of {Name, Soft, Hard}');
    }
    if (!Array.isArray(list)) throw new ApiError(400, 'invalid ulimits: it must be a JSON list of {Name, Soft, Hard}');
    opts.ulimits = (list as Array<{ Name: string; Soft: number; Hard: number }>).map((u) => `${u.Name}=${u.Soft}:${u.Hard}`);
  }
  opts.securityOpt = query.getAll('securityopt').filter(Boolean);
  const platform = query.get('platform');
  if (platform) {
    const [os, arch, variant] = platform.split('/');
    if (os !== 'linux' || (arch && arch !== hostArch)) throw new ApiError(400, `platform ${platform} cannot be built here: tspod builds for linux/${hostArch} only (no emulation)`);
    opts.platform = { os, architecture: hostArch, ...(variant ? { variant } : {}) };
  }
  return opts;
}

/**
 * One line of the engine's build output as the legacy builder words it, or undefined to leave it
 * out: "STEP 1/3: FROM x" is "Step 1/3 : FROM x", "--> abc" is " ---> abc"; the engine's own
 * "Successfully tagged" and bare image ID lines are left out (the handler sends Docker's).
 */
export function dockerBuildLine(line: string): string | undefined {
  const step = /^STEP (\d+\/\d+): (.*)$/.exec(line);
  if (step) return `Step ${step[1]} : ${step[2]}`;
  const arrow = /^--> (.*)$/.exec(line);
  if (arrow) return ` ---> ${arrow[1]}`;
  if (/^Successfully tagged /.test(line) || /^[a-f0-9]{64}$/.test(line) || /^COMMIT\b/.test(line)) return undefined;
  return line;
}

/** The stream's last messages: the aux ID Docker's CLI reads, and the legacy builder's closing lines. */
export function buildEndMessages(id: string, tags: string[], quiet: boolean): Array<{ stream?: string; aux?: { ID: string } }> {
  const full = `sha256:${id.replace(/^sha256:/, '')}`;
  if (quiet) return [{ aux: { ID: full } }, { stream: `${full}\n` }];
  return [{ aux: { ID: full } }, { stream: `Successfully built ${full.slice(7, 19)}\n` }, ...tags.map((t) => ({ stream: `Successfully tagged ${t}\n` }))];
}
