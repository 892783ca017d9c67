// Relative host paths of a document loaded from another directory (an extends: file:, an include:)
// made absolute against that directory, so that once merged into the project they do not resolve
// against the project directory instead. Paths of the project's own files are left relative.
import path from 'node:path';
import { isPlainObject, originOf, setOrigin } from './yaml-source';

function isRemote(context: string): boolean {
  return /^(https?:\/\/|git@|git:\/\/|ssh:\/\/|github\.com\/)/.test(context) || /\.git(#|$)/.test(context);
}

function abs(dir: string, p: string): string {
  if (p === '' || path.isAbsolute(p) || p.startsWith('~')) return p;
  return path.resolve(dir, p);
}

/** Replaces `obj[key]` keeping its origin. */
function put(obj: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  const ref = originOf(obj, key);
  (obj as Record<string, unknown>)[key as string] = value;
  setOrigin(obj, key, ref);
}

/** A service's build context, env files, bind-mount sources and extends file, absolute against `dir` (in place). */
export function absolutizeService(svc: Record<string, unknown>, dir: string): void {
  const build = svc.build;
  if (typeof build === 'string') {
    if (!isRemote(build)) put(svc, 'build', abs(dir, build));
  } else if (isPlainObject(build)) {
    const ctx = typeof build.context === 'string' ? build.context : '.';
    if (!isRemote(ctx)) put(build, 'context', abs(dir, ctx));
  }
  const envFile = svc.env_file;
  if (typeof envFile === 'string') put(svc, 'env_file', abs(dir, envFile));
  else if (Array.isArray(envFile)) {
    envFile.forEach((e, i) => {
      if (typeof e === 'string') put(envFile, i, abs(dir, e));
      else if (isPlainObject(e) && typeof e.path === 'string') put(e, 'path', abs(dir, e.path));
    });
  }
  if (Array.isArray(svc.volumes)) {
    const volumes = svc.volumes;
    volumes.forEach((v, i) => {
      if (typeof v === 'string') {
        const parts = v.split(':');
        if (parts.length >= 2 && parts[0].startsWith('.')) put(volumes, i, [abs(dir, parts[0]), ...parts.slice(1)].join(':'));
      } else if (isPlainObject(v) && v.type === 'bind' && typeof v.source === 'string') {
        put(v, 'source', abs(dir, v.source));
      }
    });
  }
  if (isPlainObject(svc.extends) && typeof svc.extends.file === 'string') put(svc.extends, 'file', abs(dir, svc.extends.file));
}

/** Every service's paths (above), the file: of top-level secrets and configs and the device of local bind-declared volumes, absolute against `dir` (in place). */
export function absolutizeDocument(doc: Record<string, unknown>, dir: string): void {
  if (isPlainObject(doc.services)) {
    for (const svc of Object.values(doc.services)) if (isPlainObject(svc)) absolutizeService(svc, dir);
  }
  for (const section of ['secrets', 'configs']) {
    const items = doc[section];
    if (!isPlainObject(items)) continue;
    for (const item of Object.values(items)) {
      if (isPlainObject(item) && typeof item.file === 'string') put(item, 'file', abs(dir, item.file));
    }
  }
  // compose-go: a local volume's driver_opts.device is a host path when o is a bind (normalize.ts resolves the project's own).
  if (isPlainObject(doc.volumes)) {
    for (const vol of Object.values(doc.volumes)) {
      if (!isPlainObject(vol) || (vol.driver ?? 'local') !== 'local' || !isPlainObject(vol.driver_opts)) continue;
      const opts = vol.driver_opts;
      if (typeof opts.device === 'string' && /(^|,)r?bind(,|$)/.test(typeof opts.o === 'string' ? opts.o : '')) put(opts, 'device', abs(dir, opts.device));
    }
  }
}
