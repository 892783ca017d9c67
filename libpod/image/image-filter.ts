// `images --filter` as Podman reads it: reference=GLOB, dangling=true|false, label=KEY[=VALUE],
// label!=, before=IMAGE, since=/after=IMAGE, until=TIME, id=PREFIX, digest=, containers=true|false,
// and intermediate=, readonly=, manifest= (tspod keeps no intermediate, read-only or manifest-list
// images: true matches none). Filters of different keys must all match; several values of one key
// match if any does (label!: if all do).
import { InvalidArgumentError } from '../../src/errors';
import { parseTimeSpec } from '../../src/time-spec';
import type { Image } from './image-store';

export type ImagePredicate = (img: Image) => boolean;

const KEYS = ['reference', 'dangling', 'label', 'label!', 'before', 'since', 'after', 'until', 'id', 'digest', 'containers', 'intermediate', 'readonly', 'manifest'] as const;

const bool = (key: string, value: string): boolean => {
  if (value !== 'true' && value !== 'false') throw new InvalidArgumentError(`invalid filter "${key}=${value}": use true or false`);
  return value === 'true';
};

function glob(pattern: string): RegExp {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${re}$`);
}

/** The forms a name may be matched by: full, without tag, and without the registry host. */
function nameForms(name: string): string[] {
  const noTag = name.replace(/:[^/:]+$/, '');
  const short = name.replace(/^[^/]+\//, '');
  const shortNoTag = short.replace(/:[^/:]+$/, '');
  const last = name.slice(name.lastIndexOf('/') + 1);
  return [name, noTag, short, shortNoTag, last, last.replace(/:[^:]+$/, ''), shortNoTag.replace(/^library\//, '')];
}

/** Does this image name match a reference pattern (glob over its full and familiar forms)? */
export function referenceMatcher(pattern: string): (name: string) => boolean {
  const re = glob(pattern);
  return (name) => nameForms(name).some((form) => re.test(form));
}

export function parseImageFilters(filters: string[], resolve: (name: string) => Image, usedByContainers?: (img: Image) => boolean): ImagePredicate {
  const byKey = new Map<string, string[]>();
  for (const f of filters) {
    const eq = f.indexOf('=');
    const key = eq > 0 ? f.slice(0, eq) : f;
    const value = eq > 0 ? f.slice(eq + 1) : '';
    if (!(KEYS as readonly string[]).includes(key)) throw new InvalidArgumentError(`invalid image filter "${f}": use one of ${KEYS.map((k) => `${k}=`).join(', ')}`);
    byKey.set(key, [...(byKey.get(key) ?? []), value]);
  }
  const tests: ImagePredicate[] = [];
  for (const [key, values] of byKey) {
    const one = (value: string): ImagePredicate => {
      switch (key) {
        case 'reference': {
          const match = referenceMatcher(value);
          return (img) => img.names.some(match);
        }
        case 'dangling':
          if (value !== 'true' && value !== 'false') throw new InvalidArgumentError(`invalid filter "dangling=${value}": use true or false`);
          return (img) => (img.names.length === 0) === (value === 'true');
        case 'label':
        case 'label!': {
          const [k, ...rest] = value.split('=');
          const v = rest.join('=');
          const has = (img: Image) => {
            const labels = img.config.config?.Labels ?? {};
            return k in labels && (rest.length === 0 || labels[k] === v);
          };
          return key === 'label' ? has : (img) => !has(img);
        }
        case 'until': {
          const t = parseTimeSpec(value);
          return (img) => img.createdAt < t;
        }
        case 'digest':
          return (img) => img.digest === value || img.repoDigests.some((d) => d === value || d.endsWith(`@${value}`));
        case 'containers': {
          const want = bool(key, value);
          if (!usedByContainers) throw new InvalidArgumentError('the containers= filter is not taken here');
          return (img) => usedByContainers(img) === want;
        }
        case 'intermediate':
        case 'readonly':
        case 'manifest': {
          const want = bool(key, value);
          return () => !want;
        }
        case 'before': {
          const ref = resolve(value);
          return (img) => img.createdAt < ref.createdAt;
        }
        case 'since':
        case 'after': {
          const ref = resolve(value);
          return (img) => img.createdAt > ref.createdAt;
        }
        default:
          return (img) => img.id.slice(7).startsWith(value.replace(/^sha256:/, ''));
      }
    };
    const any = values.map(one);
    tests.push(key === 'label!' ? (img) => any.every((t) => t(img)) : (img) => any.some((t) => t(img)));
  }
  return (img) => tests.every((t) => t(img));
}
