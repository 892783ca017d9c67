// `extends:` — a service built on another, of the same file or of another (`file:`, relative to the
// file naming it): the base is resolved first (chains follow, a cycle is an error), then the extending
// service is merged onto it with the Compose merge rules, so the extending service's values win.
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import { mergeValues } from './merge';
import { isPlainObject, originOf, setOrigin, whereIn } from './yaml-source';

type Path = Array<string | number>;

/** One loaded, interpolated and validated file whose services' extends are resolved lazily. */
export interface FileModel {
  file: string;
  /** The directory its `extends: file:` paths are relative to. */
  dir: string;
  dict: Record<string, unknown>;
  resets: Path[];
  overrides: Path[];
  /** Services already resolved. */
  resolved: Map<string, Record<string, unknown>>;
}

/** Loads (once per load) the file an `extends: file:` names, as a FileModel. */
export type ModelLoader = (file: string, from: { file: string; line?: number }) => FileModel;

function tagsUnder(paths: Path[], prefix: Path): Path[] {
  return paths.filter((p) => prefix.every((x, i) => String(p[i]) === String(x))).map((p) => p.slice(prefix.length));
}

function at(model: FileModel, p: Path): string {
  const ref = whereIn(model.dict, p);
  return `${model.file}${ref?.line ? `:${ref.line}` : ''}`;
}

/** The service `name` of `model` with its extends chain applied. */
export function resolveService(model: FileModel, name: string, load: ModelLoader, stack: string[] = []): Record<string, unknown> {
  const done = model.resolved.get(name);
  if (done) return done;
  const id = `${model.file}#${name}`;
  if (stack.includes(id)) {
    const chain = [...stack.slice(stack.indexOf(id)), id].map((s) => s.split('#')[1]).join(' -> ');
    throw new InvalidArgumentError(`${at(model, ['services', name, 'extends'])}: services.${name}.extends: circular reference (${chain}): break the cycle`);
  }
  const services = isPlainObject(model.dict.services) ? model.dict.services : {};
  const svc = services[name];
  if (!isPlainObject(svc)) throw new InvalidArgumentError(`${model.file}: cannot extend service "${name}": no such service in ${model.file}`);
  const ext = svc.extends;
  if (ext === undefined) {
    model.resolved.set(name, svc);
    return svc;
  }
  const spec = typeof ext === 'string' ? { service: ext } : (ext as { service: string; file?: string });
  let baseModel = model;
  if (spec.file !== undefined) {
    const ref = whereIn(model.dict, ['services', name, 'extends', 'file']);
    baseModel = load(path.resolve(model.dir, spec.file), { file: model.file, line: ref?.line });
  }
  const baseServices = isPlainObject(baseModel.dict.services) ? baseModel.dict.services : {};
  if (!isPlainObject(baseServices[spec.service])) {
    throw new InvalidArgumentError(
      `${at(model, ['services', name, 'extends'])}: services.${name}.extends: cannot extend service "${spec.service}": no such service in ${baseModel.file}`,
    );
  }
  const base = resolveService(baseModel, spec.service, load, [...stack, id]);
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(svc)) {
    if (k === 'extends') continue;
    own[k] = v;
    setOrigin(own, k, originOf(svc, k));
  }
  const prefix = ['services', name];
  const merged = mergeValues(base, own, { resets: tagsUnder(model.resets, prefix), overrides: tagsUnder(model.overrides, prefix) }, ['services', name]) as Record<string, unknown>;
  model.resolved.set(name, merged);
  return merged;
}

/** Resolves every service's extends in `model` (in place). */
export function applyExtends(model: FileModel, load: ModelLoader): void {
  const services = model.dict.services;
  if (!isPlainObject(services)) return;
  for (const name of Object.keys(services)) {
    const resolved = resolveService(model, name, load);
    const ref = originOf(services, name);
    services[name] = resolved;
    setOrigin(services, name, ref);
  }
}
