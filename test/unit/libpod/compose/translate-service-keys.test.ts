// Keys the normaliser reads and checks (volumes_from, cpu_shares, cpu_period, cpu_quota, cpuset,
// mem_reservation, memswap_limit, oom_score_adj, runtime) must reach create's options: they were
// accepted without a note and then dropped, so a container ran without the limits the file set.
import { describe, expect, it } from 'vitest';
import { serviceCreateOptions } from '../../../../libpod/compose/translate-service';
import { parseResources } from '../../../../libpod/container/resource-flags';
import { progress, project } from './helpers';

const create = (s: Parameters<typeof project>[0]['x']) => {
  const p = project({ x: s, db: { image: 'mysql' } });
  return serviceCreateOptions(p, p.services.x, 1, { configHash: 'h', progress, warn: () => {} });
};

describe('service keys the normaliser keeps', () => {
  it('passes the cpu and memory keys as create resources', () => {
    const c = create({ image: 'busybox', cpu_shares: 512, cpu_period: 100000, cpu_quota: 50000, cpuset: '0-1', mem_reservation: 64 * 1024 * 1024, memswap_limit: 256 * 1024 * 1024, mem_limit: 128 * 1024 * 1024 });
    expect(c.resources).toMatchObject({ cpuShares: '512', cpuPeriod: '100000', cpuQuota: '50000', cpusetCpus: '0-1', memoryReservation: String(64 * 1024 * 1024), memorySwap: String(256 * 1024 * 1024), memory: String(128 * 1024 * 1024) });
    expect(() => parseResources(c.resources!)).not.toThrow();
  });

  it('passes volumes_from as --volumes-from (services by their container, container: as named)', () => {
    const c = create({ image: 'busybox', volumes_from: ['db', 'db:ro', 'container:other', 'container:other:rw'] });
    expect(c.volumesFrom).toEqual(['demo-db-1', 'demo-db-1:ro', 'other', 'other:rw']);
  });

  it('passes oom_score_adj and runtime', () => {
    const c = create({ image: 'busybox', oom_score_adj: -500, runtime: 'crun' });
    expect(c.oomScoreAdj).toBe('-500');
    expect(c.runtime).toBe('crun');
  });
});
