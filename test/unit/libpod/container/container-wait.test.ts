import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../../libpod/container/container-wait';
import type { ContainerStore } from '../../../../libpod/container/container-store';

/** A store with one container that stays in the state given. */
function storeWith(state: string, exitCode?: number): ContainerStore {
  const c = { id: 'c'.repeat(64), name: 'web', state, spec: {}, status: { exitCode } };
  return { resolve: () => c, reload: () => c, healthStatus: () => '', pathsOf: () => ({ exitFile: '/nonexistent/exit' }) } as unknown as ContainerStore;
}

describe('waitFor', () => {
  it('gives no report for a wait its signal cut short (a running container)', async () => {
    const abort = new AbortController();
    const waiting = waitFor(storeWith('running'), ['web'], { conditions: ['stopped'], intervalMs: 10, ignore: false, exitFirstMatch: false, signal: abort.signal });
    setTimeout(() => abort.abort(), 30);
    expect(await waiting).toEqual([]);
    const first = waitFor(storeWith('running'), ['web'], { conditions: [], intervalMs: 10, ignore: false, exitFirstMatch: true, signal: AbortSignal.abort() });
    expect(await first).toEqual([]);
  });

  it('reports a condition already met even with an aborted signal', async () => {
    const r = await waitFor(storeWith('exited', 3), ['web'], { conditions: ['stopped'], intervalMs: 10, ignore: false, exitFirstMatch: false, signal: AbortSignal.abort() });
    expect(r).toEqual([{ id: 'c'.repeat(64), name: 'web', exitCode: 3 }]);
  });
});
