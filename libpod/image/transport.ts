// Image references with a transport, as containers/image spells them (containers-transports(5)):
// docker://REF, docker-archive:PATH[:REF], oci-archive:PATH[:REF], oci:DIR[:REF], dir:PATH and
// containers-storage:REF. A name without a known transport is a registry reference, as Podman
// takes it (`docker:latest` is the image docker, not a transport).
import { InvalidArgumentError } from '../../src/errors';

export type TransportName = 'docker' | 'docker-archive' | 'oci-archive' | 'oci' | 'dir' | 'containers-storage';

export interface TransportRef {
  transport: TransportName;
  /** docker and containers-storage: the image reference; the others: the file or directory. */
  target: string;
  /** The image reference inside an archive or layout (docker-archive, oci-archive, oci), if given. */
  ref?: string;
}

const FILE_TRANSPORTS: TransportName[] = ['docker-archive', 'oci-archive', 'oci', 'dir'];
export const KNOWN_TRANSPORTS = 'docker://, docker-archive:, oci-archive:, oci:, dir:, containers-storage:';

/** Splits PATH[:REF] at the first colon, as containers/image does (a path holds no colon). */
function pathAndRef(rest: string): { target: string; ref?: string } {
  const colon = rest.indexOf(':');
  if (colon < 0) return { target: rest };
  const ref = rest.slice(colon + 1);
  return { target: rest.slice(0, colon), ...(ref ? { ref } : {}) };
}

export function parseTransportRef(name: string): TransportRef {
  if (name.startsWith('docker://')) return { transport: 'docker', target: name.slice('docker://'.length) };
  const colon = name.indexOf(':');
  const prefix = colon > 0 ? name.slice(0, colon) : '';
  const rest = name.slice(colon + 1);
  if ((FILE_TRANSPORTS as string[]).includes(prefix)) {
    const t = prefix as TransportName;
    const parsed = t === 'dir' ? { target: rest } : pathAndRef(rest);
    if (!parsed.target) throw new InvalidArgumentError(`invalid image name "${name}": ${t}: needs a path, e.g. ${t}:/tmp/image${t === 'dir' ? '' : '.tar'}`);
    return { transport: t, ...parsed };
  }
  if (prefix === 'containers-storage') {
    // A storage specifier ([driver@root+run]) names another store: tspod has one.
    const target = rest.replace(/^\[[^\]]*\]/, '');
    if (!target) throw new InvalidArgumentError(`invalid image name "${name}": containers-storage: needs an image name or ID`);
    return { transport: 'containers-storage', target };
  }
  // transport:/path or scheme://: no registry reference has a slash or dot right after the colon.
  // Other names (Bad:Name) are registry references and get the reference parser's error, as in Podman.
  if (/^[a-z][a-z0-9-]*$/i.test(prefix) && (rest.startsWith('/') || rest.startsWith('.'))) {
    throw new InvalidArgumentError(`invalid image name "${name}", unknown transport "${prefix}": use one of ${KNOWN_TRANSPORTS} or a registry reference`);
  }
  return { transport: 'docker', target: name };
}

/** Whether the name reads from a file or directory rather than a registry or the store. */
export function isFileTransport(t: TransportRef): boolean {
  return FILE_TRANSPORTS.includes(t.transport);
}
