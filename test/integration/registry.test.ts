// The fixture registry that later tests pull from is real and holds the fixture images:
// Debian's distribution registry on 127.0.0.1, read here with curl and skopeo as the test user.
import { describe, expect, it } from 'vitest';
import { registry, run } from './harness';

describe('fixture registry', () => {
  it('serves library/busybox and library/debian over the distribution API', () => {
    if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');
    expect(registry).toMatch(/^127\.0\.0\.1:\d+$/);
    const catalog = run(['curl', '-fsS', `http://${registry}/v2/_catalog`]);
    expect(catalog.code).toBe(0);
    expect(JSON.parse(catalog.stdout).repositories).toEqual(expect.arrayContaining(['library/busybox', 'library/debian']));
    const tags = JSON.parse(run(['curl', '-fsS', `http://${registry}/v2/library/debian/tags/list`]).stdout);
    expect(tags.tags).toEqual(expect.arrayContaining(['latest', 'bookworm']));
  });

  it('has one-layer images whose config says what to run', () => {
    for (const [name, cmd] of [['busybox', ['sh']], ['debian', ['bash']]] as const) {
      const r = run(['skopeo', 'inspect', '--tls-verify=false', '--config', `docker://${registry}/library/${name}:latest`]);
      expect(r.stderr).toBe('');
      const config = JSON.parse(r.stdout);
      expect(config.config.Cmd).toEqual(cmd);
      expect(config.rootfs.diff_ids).toHaveLength(1);
      expect(config.os).toBe('linux');
    }
    const missing = run(['skopeo', 'inspect', '--tls-verify=false', `docker://${registry}/library/nosuch:latest`]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/manifest unknown|name unknown|not found/i);
  });
});
