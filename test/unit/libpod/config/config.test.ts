import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyConfig, defaultConfig, loadConfig } from '../../../../libpod/config/config';
import { parseToml } from '../../../../libpod/config/toml';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-conf-'));
}

describe('containers.conf', () => {
  it('applies known keys and keeps defaults for the rest', () => {
    const doc = parseToml('[engine]\nruntime = "crun"\n[engine.runtimes]\ncrun = ["/opt/crun"]\n[network]\ndefault_rootless_network_cmd = "slirp4netns"\n', 'f.conf');
    const c = applyConfig(defaultConfig(), doc, 'f.conf');
    expect(c.engine).toEqual({ runtime: 'crun', runtimePaths: { crun: ['/opt/crun'] }, imageParallelCopies: 3, eventsLogfileMaxSize: 1_000_000, eventsLogger: 'file', runtimeFlags: [] });
    expect(applyConfig(defaultConfig(), parseToml('[engine]\nimage_parallel_copies = 6', 'f'), 'f').engine.imageParallelCopies).toBe(6);
    expect(() => applyConfig(defaultConfig(), parseToml('[engine]\nimage_parallel_copies = 0', 'f'), 'f')).toThrow('engine.image_parallel_copies must be a whole number from 1 to 32');
    expect(c.network.defaultRootlessNetworkCmd).toBe('slirp4netns');
    expect(c.storage).toEqual({ driver: 'overlay', overlay: 'auto', mountProgram: '' });
    expect(c.files).toEqual(['f.conf']);
  });

  it('reads events_logfile_max_size as Podman writes it', () => {
    const size = (v: string) => applyConfig(defaultConfig(), parseToml(`[engine]\nevents_logfile_max_size = ${v}`, 'f'), 'f').engine.eventsLogfileMaxSize;
    expect(size('"1m"')).toBe(1_000_000);
    expect(size('"500k"')).toBe(500_000);
    expect(size('"2mib"')).toBe(2 * 1024 * 1024);
    expect(size('"1.5kb"')).toBe(1500);
    expect(size('4096')).toBe(4096);
    expect(size('0')).toBe(0);
    expect(() => size('"lots"')).toThrow('f: engine.events_logfile_max_size must be a size such as 1000000, "500k" or "1m", not "lots"');
    expect(() => size('-1')).toThrow('f: engine.events_logfile_max_size must be a size');
  });

  it('reads [containers] keyring as a boolean, true unless set', () => {
    expect(defaultConfig().containers.keyring).toBe(true);
    const keyring = (v: string) => applyConfig(defaultConfig(), parseToml(`[containers]\nkeyring = ${v}`, 'f'), 'f').containers.keyring;
    expect(keyring('false')).toBe(false);
    expect(keyring('true')).toBe(true);
    expect(() => keyring('"no"')).toThrow('f: containers.keyring must be true or false, not "no"');
  });

  it('reads [containers] netns, the --network of containers created without one (empty unless set)', () => {
    expect(defaultConfig().containers.netns).toBe('');
    expect(applyConfig(defaultConfig(), parseToml('[containers]\nnetns = "bridge"', 'f'), 'f').containers.netns).toBe('bridge');
    expect(() => applyConfig(defaultConfig(), parseToml('[containers]\nnetns = 5', 'f'), 'f')).toThrow(/f: containers\.netns must be a string/);
  });

  it('names the file and key of a bad value', () => {
    expect(() => applyConfig(defaultConfig(), parseToml('[network]\ndefault_rootless_network_cmd = "cni"', 'x.conf'), 'x.conf')).toThrow(
      'x.conf: network.default_rootless_network_cmd must be one of "auto", "pasta", "slirp4netns", not "cni"',
    );
    expect(() => applyConfig(defaultConfig(), parseToml('engine = 3', 'x.conf'), 'x.conf')).toThrow('x.conf: [engine] must be a table');
    expect(() => parseToml('[engine', 'y.conf')).toThrow(/^y\.conf is not valid TOML: /);
  });

  it('reads the user file over missing system file, and TSPOD_CONF must exist', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'containers.conf'), '[storage]\noverlay = "native"\n');
    const c = loadConfig(dir, {});
    expect(c.storage.overlay).toBe('native');
    expect(c.files).toContain(path.join(dir, 'containers.conf'));
    expect(() => loadConfig(dir, { TSPOD_CONF: path.join(dir, 'nope.conf') })).toThrow(`cannot read config file ${path.join(dir, 'nope.conf')}`);
    expect(loadConfig(path.join(dir, 'none'), { TSPOD_CONF: path.join(dir, 'containers.conf') }).storage.overlay).toBe('native');
  });

  it('takes the global flags\' changes last: modules in order, the runtime and its flags, storage options, the events backend', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'containers.conf.modules'));
    fs.writeFileSync(path.join(dir, 'containers.conf.modules', 'a.conf'), '[engine]\nruntime = "crun"\nevents_logger = "none"\n');
    fs.writeFileSync(path.join(dir, 'b.conf'), '[engine]\nruntime = "runc"\n');
    const c = loadConfig(dir, {}, { modules: ['a.conf', path.join(dir, 'b.conf')], runtimeFlags: ['debug', '--log-format=json'], storageOpts: ['overlay.mount_program=/opt/fuse-overlayfs'] });
    expect(c.engine.runtime).toBe('runc');
    expect(c.engine.eventsLogger).toBe('none');
    expect(c.engine.runtimeFlags).toEqual(['--debug', '--log-format=json']);
    expect(c.storage).toMatchObject({ overlay: 'fuse', mountProgram: '/opt/fuse-overlayfs' });
    expect(c.files.slice(-2)).toEqual([path.join(dir, 'containers.conf.modules', 'a.conf'), path.join(dir, 'b.conf')]);
    expect(loadConfig(dir, {}, { runtime: '/usr/bin/crun', eventsBackend: 'file', modules: ['a.conf'] }).engine).toMatchObject({ runtime: '/usr/bin/crun', eventsLogger: 'file' });
    expect(() => loadConfig(dir, {}, { modules: ['nosuch'] })).toThrow(`could not resolve module "nosuch": no such file in ${path.join(dir, 'containers.conf.modules')} or /etc/tspod/containers.conf.modules`);
    expect(() => loadConfig(dir, {}, { modules: ['/nosuch.conf'] })).toThrow('could not resolve module "/nosuch.conf": /nosuch.conf does not exist');
    expect(() => loadConfig(dir, {}, { storageOpts: ['size=10G'] })).toThrow('unsupported storage option "size=10G"');
    expect(() => applyConfig(defaultConfig(), parseToml('[engine]\nevents_logger = "journald"', 'j.conf'), 'j.conf')).toThrow('j.conf: engine.events_logger = "journald": tspod records events');
  });
});
