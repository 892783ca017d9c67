// run's and create's --attach and --requires, checked before anything is created.
import { InvalidArgumentError } from '../../src/errors';
import type { ContainerStore } from './container-store';

/** --attach's streams: stdin, stdout or stderr, as Podman names them. */
export function checkAttach(streams: string[] = []): Array<'stdin' | 'stdout' | 'stderr'> {
  return streams.flatMap((s) => s.split(',')).map((s) => {
    const l = s.toLowerCase();
    if (l !== 'stdin' && l !== 'stdout' && l !== 'stderr') throw new InvalidArgumentError(`invalid stream "${s}" for --attach - must be one of stdin, stdout, or stderr`);
    return l;
  });
}

/** --requires NAME[,NAME]: the containers' IDs (each must exist now). */
export function checkRequires(store: ContainerStore, names: string[] = []): string[] {
  return [...new Set(names.flatMap((n) => n.split(',')).filter((n) => n !== '').map((n) => store.resolve(n).id))];
}
