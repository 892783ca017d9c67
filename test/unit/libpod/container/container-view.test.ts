// A stopped container's view for cp, on real directories: mounts laid over the rootfs, symlinks
// resolved inside the container across them, what may not be written, and copies through it.
import { beforeEach, describe, expect, it } from 'vitest';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { hostPath, namesIn, resolveInView, stoppedView, writeRefusal, type ContainerView } from '../../../../libpod/container/container-view';
import { copy } from '../../../../libpod/container/container-copy';
import type { MountSpec } from '../../../../libpod/volume/volume-spec';

let tmp: string;
let view: ContainerView;

const mount = (m: Partial<MountSpec> & Pick<MountSpec, 'type' | 'source' | 'destination'>): MountSpec => ({ readOnly: false, chown: false, noCopy: false, ...m });

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-view-'));
  const root = `${tmp}/rootfs`;
  for (const d of [`${root}/etc`, `${root}/vol`, `${root}/run`, `${root}/srv`, `${tmp}/volumes/data`, `${tmp}/bind`, `${tmp}/bundle`]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(`${root}/etc/hostname`, '');
  fs.writeFileSync(`${root}/etc/hosts`, '');
  fs.writeFileSync(`${root}/vol/under`, 'hidden by the volume');
  fs.writeFileSync(`${tmp}/volumes/data/f`, 'in the volume');
  fs.writeFileSync(`${tmp}/bind/b`, 'on the bind');
  fs.writeFileSync(`${tmp}/bundle/hostname`, 'web\n');
  fs.symlinkSync('/vol', `${root}/vlink`);
  fs.symlinkSync('srv', `${root}/www`); // the runtime mounts /www on /srv: so does the view
  const mounts = [mount({ type: 'volume', source: 'data', destination: '/vol' }), mount({ type: 'bind', source: `${tmp}/bind`, destination: '/www/site', readOnly: true }), mount({ type: 'tmpfs', source: '', destination: '/run' })];
  view = stoppedView('web', root, mounts, { hosts: `${tmp}/bundle/hosts`, resolvConf: `${tmp}/bundle/resolv.conf`, hostname: `${tmp}/bundle/hostname` }, (v) => `${tmp}/volumes/${v}`);
});

describe('a stopped container view', () => {
  it('maps container paths to the volume, the bind mount, the generated files and the rootfs', () => {
    expect(hostPath(view, '/vol/f')).toBe(`${tmp}/volumes/data/f`);
    expect(hostPath(view, '/srv/site/b')).toBe(`${tmp}/bind/b`);
    expect(hostPath(view, '/etc/hostname')).toBe(`${tmp}/bundle/hostname`);
    expect(hostPath(view, '/etc/hosts')).toBe(`${view.root}/etc/hosts`); // never generated yet: the image's
    expect(hostPath(view, '/etc/passwd')).toBe(`${view.root}/etc/passwd`);
    expect(hostPath(view, '/run/x')).toBeUndefined(); // the tmpfs is empty until it starts
    expect(hostPath(view, '/run')).toBe(`${view.root}/run`);
  });

  it('resolves symlinks inside the container, into its mounts', () => {
    expect(resolveInView(view, '/vlink/f', false)).toBe('/vol/f');
    expect(resolveInView(view, '/www/site/b', false)).toBe('/srv/site/b');
    expect(resolveInView(view, '/../../vlink/../etc', false)).toBe('/etc');
  });

  it('lists mount points in their directories, and nothing in an empty tmpfs', () => {
    expect(namesIn(view, '/srv')).toEqual(['site']);
    expect(namesIn(view, '/vol')).toEqual(['f']);
    fs.writeFileSync(`${view.root}/run/stale`, '');
    expect(namesIn(view, '/run')).toEqual([]);
  });

  it('refuses writes that a start would discard, and into a read-only mount', () => {
    expect(writeRefusal(view, '/vol/new')).toBeUndefined();
    expect(writeRefusal(view, '/run/a')).toMatch(/^"\/run\/a" in container web is on the tmpfs mounted at \/run, which starts empty/);
    expect(writeRefusal(view, '/etc/hosts')).toMatch(/is written by tspod each time web starts/);
    expect(writeRefusal(view, '/srv/site/x')).toBe(`"/srv/site/x" in container web is on a read-only mount (${tmp}/bind at /srv/site): mount it read-write to copy into it`);
  });

  it('copies out and in through the mounts', async () => {
    const out = `${tmp}/out`;
    fs.mkdirSync(out);
    await copy({ view, path: '/' }, { path: out }, 'web', {});
    expect(fs.readFileSync(`${out}/vol/f`, 'utf8')).toBe('in the volume');
    expect(fs.existsSync(`${out}/vol/under`)).toBe(false);
    expect(fs.readFileSync(`${out}/etc/hostname`, 'utf8')).toBe('web\n');
    expect(fs.readlinkSync(`${out}/vlink`)).toBe('/vol');
    fs.writeFileSync(`${tmp}/note`, 'note');
    await copy({ path: `${tmp}/note` }, { view, path: '/vlink/' }, 'web', {});
    expect(fs.readFileSync(`${tmp}/volumes/data/note`, 'utf8')).toBe('note');
    await expect(copy({ path: `${tmp}/note` }, { view, path: '/run/' }, 'web', {})).rejects.toThrow(/tmpfs mounted at \/run/);
  });
});
