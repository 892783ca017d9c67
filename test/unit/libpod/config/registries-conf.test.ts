import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyRegistriesConf, loadRegistriesConf, type RegistriesConf } from '../../../../libpod/config/registries-conf';
import { parseToml } from '../../../../libpod/config/toml';

const empty = (): RegistriesConf => ({ files: [], unqualifiedSearchRegistries: [], shortNameMode: 'enforcing', aliases: {}, registries: [] });
const apply = (text: string) => applyRegistriesConf(empty(), parseToml(text, 'r.conf'), 'r.conf');

describe('registries.conf', () => {
  it('reads the v2 format: search list, aliases, registries with mirrors', () => {
    const c = apply(`
unqualified-search-registries = ["docker.io", "quay.io"]
short-name-mode = "permissive"
[aliases]
"debian" = "docker.io/library/debian"
[[registry]]
prefix = "docker.io"
location = "registry-1.docker.io"
[[registry.mirror]]
location = "127.0.0.1:5000"
insecure = true
[[registry.mirror]]
location = "mirror.example:443"
[[registry]]
location = "blocked.example"
blocked = true
`);
    expect(c.unqualifiedSearchRegistries).toEqual(['docker.io', 'quay.io']);
    expect(c.shortNameMode).toBe('permissive');
    expect(c.aliases).toEqual({ debian: 'docker.io/library/debian' });
    expect(c.registries).toEqual([
      { prefix: 'docker.io', location: 'registry-1.docker.io', insecure: false, blocked: false, mirrors: [{ location: '127.0.0.1:5000', insecure: true }, { location: 'mirror.example:443', insecure: false }] },
      { prefix: 'blocked.example', location: 'blocked.example', insecure: false, blocked: true, mirrors: [] },
    ]);
  });

  it('reads the v1 tables and refuses a mix of v1 and v2', () => {
    const c = apply('[registries.search]\nregistries = ["docker.io"]\n[registries.insecure]\nregistries = ["localhost:5000"]\n');
    expect(c.unqualifiedSearchRegistries).toEqual(['docker.io']);
    expect(c.registries[0]).toMatchObject({ prefix: 'localhost:5000', insecure: true });
    expect(() => apply('unqualified-search-registries = []\n[registries.search]\nregistries = []\n')).toThrow('mixes the v1');
  });

  it('explains bad entries', () => {
    expect(() => apply('[[registry]]\ninsecure = true\n')).toThrow('r.conf: [[registry]] number 1 needs a prefix or a location');
    expect(() => apply('[[registry]]\nlocation = "a"\ninsecure = "yes"\n')).toThrow('must be true or false');
    expect(() => apply('short-name-mode = "loose"')).toThrow('short-name-mode must be');
  });

  it('uses the first file that exists, with its drop-ins', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-reg-'));
    const own = path.join(dir, 'tspod');
    fs.mkdirSync(path.join(own, 'registries.conf.d'), { recursive: true });
    fs.writeFileSync(path.join(own, 'registries.conf'), 'unqualified-search-registries = ["a.example"]\n');
    fs.writeFileSync(path.join(own, 'registries.conf.d', '10-alias.conf'), '[aliases]\nx = "a.example/x"\n');
    const userFile = path.join(dir, 'cfg', 'containers', 'registries.conf');
    fs.mkdirSync(path.dirname(userFile), { recursive: true });
    fs.writeFileSync(userFile, 'unqualified-search-registries = ["b.example"]\n');
    const c = loadRegistriesConf(own, { HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'cfg') });
    expect(c.unqualifiedSearchRegistries).toEqual(['a.example']);
    expect(c.aliases).toEqual({ x: 'a.example/x' });
    fs.rmSync(path.join(own, 'registries.conf'));
    expect(loadRegistriesConf(own, { HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'cfg') }).unqualifiedSearchRegistries).toEqual(['b.example']);
  });
});
