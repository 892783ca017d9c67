// Docker image references: [domain[:port]/]path[:tag][@digest], with the grammar of
// distribution/reference, and normalisation of short names (`ubuntu` → docker.io/library/ubuntu).
// Domain detection follows Docker: the first component is a registry if it contains "." or ":" or is
// "localhost", or (for Podman compatibility) when tspod is told to treat it so.
import { InvalidArgumentError } from '../../src/errors';

export interface Reference {
  /** Registry host (with port), e.g. docker.io, 127.0.0.1:5000; '' when the name has none. */
  domain: string;
  /** Repository path inside the registry, e.g. library/ubuntu. */
  path: string;
  tag?: string;
  digest?: string;
}

export const DEFAULT_DOMAIN = 'docker.io';
export const DEFAULT_TAG = 'latest';

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const ID = /^[a-f0-9]{64}$/;

function invalid(ref: string, why: string): never {
  throw new InvalidArgumentError(`invalid reference format "${ref}": ${why}`);
}

/** Parses without normalising: `ubuntu` gives domain '' and path 'ubuntu'. */
export function parseReference(ref: string): Reference {
  if (ref === '') invalid(ref, 'it is empty');
  if (ref.length > 255) invalid(ref, 'it is longer than 255 characters');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) invalid(ref, `"${digest}" is not a valid digest (algorithm:hex)`);
    if (digest.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(digest)) invalid(ref, 'a sha256 digest has 64 lowercase hex digits');
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) invalid(ref, `"${tag}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
  }
  if (rest === '') invalid(ref, 'the repository name is missing');
  const parts = rest.split('/');
  let domain = '';
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost' || parts[0] !== parts[0].toLowerCase())) {
    domain = parts.shift()!;
    if (!DOMAIN.test(domain)) invalid(ref, `"${domain}" is not a valid registry host`);
  }
  for (const c of parts) {
    if (c !== c.toLowerCase() && PATH_COMPONENT.test(c.toLowerCase())) invalid(ref, 'repository name must be lowercase');
    if (!PATH_COMPONENT.test(c)) invalid(ref, `"${c}" is not a valid repository name component`);
  }
  return { domain, path: parts.join('/'), tag, digest };
}

/** Fully qualified, as Docker resolves it: docker.io, library/ for one-component names, :latest. */
export function normalizeReference(ref: string, defaultDomain = DEFAULT_DOMAIN): Reference {
  const r = parseReference(ref);
  const domain = r.domain || defaultDomain;
  let path = r.path;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = `library/${path}`;
  const tag = r.tag ?? (r.digest ? undefined : DEFAULT_TAG);
  return { domain, path, tag, digest: r.digest };
}

export function formatReference(r: Reference): string {
  return `${r.domain ? `${r.domain}/` : ''}${r.path}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/** A full 64-hex image ID (optionally sha256:-prefixed) rather than a name. */
export function isImageId(s: string): boolean {
  return ID.test(s.replace(/^sha256:/, ''));
}

/** The name `import`/`tag` give a local image: no domain means localhost/, as Podman does. */
export function localImageName(ref: string): string {
  return formatReference(normalizeReference(ref, 'localhost'));
}
