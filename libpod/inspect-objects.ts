// `inspect` across the kinds of object, as Podman 5's inspect does: with --type all each name is
// looked up as a container, then an image, a volume, a network and a pod; the
// first kind that knows it answers, and a name none knows is `no such object: "NAME"`. With a type,
// only that kind is asked, in its own words for a name it does not know. Options are checked as
// Podman checks them, before any lookup.
import { InspectNotFoundError, InvalidArgumentError } from '../src/errors';
import { withGoNames } from './inspect-go-names';

export const INSPECT_TYPES = ['container', 'image', 'volume', 'network', 'pod', 'all'] as const;
export type InspectType = (typeof INSPECT_TYPES)[number];

export interface InspectOptions {
  type: string;
  size: boolean;
  latest: boolean;
}

export interface Inspected {
  name: string;
  data?: Record<string, unknown>;
  error?: Error;
}

/** One kind's inspect: a result per name (or one for --latest). */
export interface Inspectors {
  containers(names: string[], opts: { size: boolean; latest: boolean }): Inspected[];
  images(names: string[]): Inspected[];
  volumes(names: string[]): Inspected[];
  networks(names: string[]): Inspected[];
  pods(names: string[], opts: { latest: boolean }): Inspected[];
}

/** The error codes that mean "this kind has no such name": the next kind is asked. */
const NOT_FOUND = new Set(['ENOOBJECT', 'ENOCONTAINER', 'ENOIMAGE', 'ENOVOLUME', 'ENONETWORK']);
const notFound = (r: Inspected) => r.error !== undefined && NOT_FOUND.has((r.error as { code?: string }).code ?? '');

/** Podman's checks of inspect's options, in its order; the type to use (--latest with all means container). */
export function checkInspectOptions(names: string[], opts: InspectOptions): InspectType {
  if (!(INSPECT_TYPES as readonly string[]).includes(opts.type)) {
    throw new InvalidArgumentError(`invalid type "${opts.type}": must be "image", "container", "pod", "network", "volume", or "all"`);
  }
  if (opts.type === 'image' && opts.latest) throw new InvalidArgumentError('latest is not supported for type "image"');
  if (opts.type === 'image' && opts.size) throw new InvalidArgumentError('size is not supported for type "image"');
  if (opts.type === 'pod' && opts.size) throw new InvalidArgumentError('size is not supported for type "pod"');
  if (names.length === 0 && !opts.latest) throw new InvalidArgumentError('no names or ids specified: give the name or ID of what to inspect, or --latest');
  if (opts.latest && names.length > 0) throw new InvalidArgumentError('--latest and arguments cannot be used together');
  return opts.latest && opts.type === 'all' ? 'container' : (opts.type as InspectType);
}

/** What inspect finds for the names, in their order: a document or an error each. */
export function inspectObjects(names: string[], opts: InspectOptions, inspectors: Inspectors): Inspected[] {
  const type = checkInspectOptions(names, opts);
  const by = goNamed(inspectors);
  switch (type) {
    case 'container':
      return by.containers(names, { size: opts.size, latest: opts.latest });
    case 'image':
      return by.images(names);
    case 'volume':
      return by.volumes(names);
    case 'network':
      return by.networks(names);
    case 'pod':
      return by.pods(names, { latest: opts.latest });
    default:
      return names.map((n) => inspectAny(n, opts.size, by));
  }
}

/** Each kind's documents with the Go field names Podman's templates use (libpod/inspect-go-names.ts). */
function goNamed(by: Inspectors): Inspectors {
  const named = (kind: 'container' | 'image' | 'volume' | 'network' | 'pod', rs: Inspected[]) => rs.map((r) => (r.data ? { ...r, data: withGoNames(r.data, kind) } : r));
  return {
    containers: (n, o) => named('container', by.containers(n, o)),
    images: (n) => named('image', by.images(n)),
    volumes: (n) => named('volume', by.volumes(n)),
    networks: (n) => named('network', by.networks(n)),
    pods: (n, o) => named('pod', by.pods(n, o)),
  };
}

function inspectAny(name: string, size: boolean, by: Inspectors): Inspected {
  const kinds = [() => by.containers([name], { size, latest: false }), () => by.images([name]), () => by.volumes([name]), () => by.networks([name]), () => by.pods([name], { latest: false })];
  for (const kind of kinds) {
    const [r] = kind();
    if (!notFound(r)) return r; // found, or a failure other than "no such" (an ambiguous short ID)
  }
  return { name, error: new InspectNotFoundError(`no such object: ${JSON.stringify(name)}`) };
}
