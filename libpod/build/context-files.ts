// COPY and ADD sources: resolving them inside a root (the context, a stage's rootfs, a download
// directory) with Go glob segments and symlinks that never leave the root; a content hash of what
// the copy would write (the build cache key); and the copy itself (copy-tree.ts does the walking).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError, TspodError } from '../../src/errors';
import { readIfExists } from '../../src/files';
import { findGroup, findUser } from '../container/passwd-entries';
import { hasGlob, NO_IGNORE, segmentRegex, type IgnoreMatcher } from './ignore';
import { cleanInRoot, hostPath, resolveInRoot } from './root-path';
import { hashTree, type Owner } from './copy-tree';

export { copyIntoRoot, type CopyOptions } from './copy-into-root';
export type { Owner } from './copy-tree';

/** A COPY/ADD source, or the file a build step fails over: exit 125 as Podman's build. */
export class BuildSourceError extends TspodError {
  override readonly code = 'EBUILDSOURCE';
}

export interface SourceMatch {
  /** The tree the source is in: the context directory, a stage's root filesystem, a download directory. */
  root: string;
  /** The source relative to root, symlinks resolved inside it ('' = root itself). */
  rel: string;
  /** The path as matched (globs expanded, cleaned, symlinks not resolved): the name COPY gives a file, and --parents keeps. */
  given: string;
  /** lstat of the resolved source. */
  stat: fs.Stats;
  /** Fetched by fetchRemote: ADD copies it as it is, never unpacks it. */
  remote?: boolean;
}

export interface ResolveOptions {
  ignore?: IgnoreMatcher;
  /** Follow a symlink named by the source itself (default true: COPY copies the link's target, resolved inside the root). */
  followTop?: boolean;
}

function notFound(root: string, shown: string): BuildSourceError {
  return new BuildSourceError(`checking on sources under "${root}": copier: stat: "/${shown}": no such file or directory`);
}

function filteredOut(root: string, given: string, n: number, ignore: IgnoreMatcher): BuildSourceError {
  return new BuildSourceError(`no items matching glob "${path.join(root, given)}" copied (${n} filtered out using ${ignore.source ?? 'the ignore file'}): no such file or directory`);
}

/** Whether a path is left out by the ignore rules (a directory stays when an exception may match below it). */
function skipped(ignore: IgnoreMatcher, rel: string, isDir: boolean): boolean {
  return ignore.ignored(rel) && !(isDir && ignore.mayContainIncluded(rel));
}

function matchOf(root: string, given: string, followTop: boolean): SourceMatch | undefined {
  const r = resolveInRoot(root, given, followTop);
  if (!r.exists) return undefined;
  return { root, rel: r.rel, given, stat: fs.lstatSync(hostPath(root, r.rel)) };
}

/** Expands one cleaned glob pattern segment by segment; names the ignore rules drop are counted. */
function expandGlob(root: string, pattern: string, ignore: IgnoreMatcher, followTop: boolean): { matches: SourceMatch[]; filtered: number } {
  const segs = pattern.split('/');
  let current: string[] = [''];
  let filtered = 0;
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    const next: string[] = [];
    for (const dir of current) {
      const r = resolveInRoot(root, dir, true);
      if (!r.exists) continue;
      if (!hasGlob(seg)) {
        next.push(dir === '' ? seg : `${dir}/${seg}`);
        continue;
      }
      let names: string[];
      try {
        names = fs.readdirSync(hostPath(root, r.rel)).sort();
      } catch {
        continue; // not a directory
      }
      const re = segmentRegex(seg);
      for (const name of names) if (re.test(name)) next.push(dir === '' ? name : `${dir}/${name}`);
    }
    current = next;
    if (!last) return;
    current = current.filter((given) => {
      const m = resolveInRoot(root, given, followTop);
      if (!m.exists) return false;
      const isDir = fs.lstatSync(hostPath(root, m.rel)).isDirectory();
      if (skipped(ignore, given, isDir)) {
        filtered++;
        return false;
      }
      return true;
    });
  });
  const matches = current.map((g) => matchOf(root, g, followTop)).filter((m): m is SourceMatch => m !== undefined);
  return { matches, filtered };
}

/**
 * COPY/ADD's sources, each relative to root ('..' never leaves it), globs expanded over the files
 * the ignore rules keep. A source that matches nothing fails as Podman's build does (exit 125).
 */
export function resolveSources(root: string, patterns: string[], opts: ResolveOptions = {}): SourceMatch[] {
  const ignore = opts.ignore ?? NO_IGNORE;
  const followTop = opts.followTop ?? true;
  const out: SourceMatch[] = [];
  for (const raw of patterns) {
    const given = cleanInRoot(raw);
    if (hasGlob(given)) {
      const { matches, filtered } = expandGlob(root, given, ignore, followTop);
      if (matches.length === 0) throw filtered > 0 ? filteredOut(root, given, filtered, ignore) : notFound(root, given);
      out.push(...matches);
      continue;
    }
    const literal = given.replace(/\\(.)/g, '$1'); // Go's Match escapes: \* names a file called *
    const m = matchOf(root, literal, followTop);
    if (!m) throw notFound(root, literal);
    if (literal !== '' && skipped(ignore, literal, m.stat.isDirectory())) throw filteredOut(root, literal, 1, ignore);
    out.push(m);
  }
  return out;
}

export interface HashOptions {
  ignore?: IgnoreMatcher;
  chown?: Owner;
  chmod?: number;
  /** COPY --from: the sources' own owners are written (else 0:0, as Podman writes context files). */
  keepOwners?: boolean;
}

/**
 * sha256 (hex) over what copying the matches would write: names, types, modes (after --chmod),
 * owners, contents, link targets, hard-link structure and carried xattrs; never times.
 */
export function hashSources(matches: SourceMatch[], opts: HashOptions = {}): string {
  const h = crypto.createHash('sha256');
  const links = new Map<string, string>();
  for (const m of matches) {
    h.update(`source\0${m.given}\0${m.remote ? 'remote' : ''}\0`);
    hashTree(h, m, { ignore: opts.ignore ?? NO_IGNORE, chown: opts.chown, chmod: opts.chmod, keepOwners: opts.keepOwners ?? false }, links);
  }
  return h.digest('hex');
}

/** --chown's USER[:GROUP] as IDs: numbers as they are (a lone UID is also the GID, as Podman does), names from root's /etc/passwd and /etc/group. */
export function resolveChown(root: string, spec: string): Owner {
  const i = spec.indexOf(':');
  const user = i === -1 ? spec : spec.slice(0, i);
  const group = i === -1 ? undefined : spec.slice(i + 1);
  const etc = (name: string) => {
    const r = resolveInRoot(root, `etc/${name}`, true);
    return r.exists ? readIfExists(hostPath(root, r.rel)) : '';
  };
  let uid: number;
  let gid: number;
  if (/^\d+$/.test(user)) {
    uid = Number(user);
    gid = uid;
  } else {
    const u = user === '' ? undefined : findUser(etc('passwd'), user);
    if (!u) throw new BuildSourceError(`looking up UID/GID for "${spec}": determining run uid: user: unknown user error looking up user "${user}": add the user to the image's /etc/passwd, or give a numeric UID`);
    uid = u.uid;
    gid = u.gid;
  }
  if (group !== undefined && group !== '') {
    if (/^\d+$/.test(group)) gid = Number(group);
    else {
      const g = findGroup(etc('group'), group);
      if (!g) throw new BuildSourceError(`looking up UID/GID for "${spec}": determining run gid: group: unknown group error looking up group "${group}": add the group to the image's /etc/group, or give a numeric GID`);
      gid = g.gid;
    }
  }
  return { uid, gid };
}

/** The file name a download gets: the URL path's last element, else Content-Disposition's filename. */
function remoteName(url: URL, disposition: string | null): string {
  const base = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  if (base !== '' && base !== '.' && base !== '..') return base;
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? '');
  const name = m ? path.posix.basename(decodeURIComponent(m[1])) : '';
  if (name === '' || name === '.' || name === '..') throw new BuildSourceError(`cannot determine a file name from the URL "${url.href}": name the destination file instead of a directory`);
  return name;
}

/**
 * ADD http(s)://...: downloads into a new directory under dir, mode 0600 and the mtime of
 * Last-Modified (as Podman), streaming through sha256; checksum ("sha256:HEX") must match.
 */
export async function fetchRemote(url: string, dir: string, checksum?: string): Promise<SourceMatch> {
  if (checksum !== undefined && !/^sha256:[0-9a-f]{64}$/.test(checksum)) {
    throw new InvalidArgumentError(`invalid checksum "${checksum}": give it as sha256: and 64 lowercase hex digits`);
  }
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow' });
  } catch (err) {
    throw new BuildSourceError(`reading "${url}": ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`, { cause: err });
  }
  if (!res.ok || !res.body) throw new BuildSourceError(`reading "${url}": invalid response status ${res.status}`);
  const name = remoteName(new URL(res.url || url), res.headers.get('content-disposition'));
  fs.mkdirSync(dir, { recursive: true });
  const root = fs.mkdtempSync(path.join(dir, 'add-'));
  const file = path.join(root, name);
  const hash = crypto.createHash('sha256');
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => hash.update(chunk));
  try {
    await pipeline(body, fs.createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    throw new BuildSourceError(`reading "${url}": ${(err as Error).message}`, { cause: err });
  }
  const got = `sha256:${hash.digest('hex')}`;
  if (checksum !== undefined && got !== checksum) {
    fs.rmSync(root, { recursive: true, force: true });
    throw new BuildSourceError(`checksum mismatch for "${url}": expected ${checksum}, got ${got}: check the URL or the --checksum value`);
  }
  fs.chmodSync(file, 0o600);
  const modified = Date.parse(res.headers.get('last-modified') ?? '');
  if (!Number.isNaN(modified)) fs.utimesSync(file, new Date(modified), new Date(modified));
  return { root, rel: name, given: name, stat: fs.lstatSync(file), remote: true };
}
