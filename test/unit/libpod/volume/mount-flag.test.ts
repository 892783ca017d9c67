import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseMount } from '../../../../libpod/volume/mount-flag';

describe('--mount types and options', () => {
  it('reads image, devpts, ramfs and the newer bind, volume and tmpfs keys', () => {
    expect(parseMount('type=image,source=fedora,destination=/img', '/')).toEqual([{ type: 'image', source: 'fedora', destination: '/img', readOnly: true, chown: false, noCopy: false }]);
    expect(parseMount('type=image,src=fedora,dst=/img,rw=true,subpath=etc', '/')[0]).toMatchObject({ readOnly: false, subpath: '/etc' });
    expect(parseMount('type=devpts,target=/dev/pts,uid=0,gid=5,mode=620,max=10', '/')[0]).toMatchObject({ type: 'devpts', devptsOptions: ['uid=0', 'gid=5', 'mode=620', 'max=10'] });
    expect(parseMount('type=ramfs,target=/r,tmpfs-mode=700,readonly=true', '/')[0]).toMatchObject({ type: 'ramfs', readOnly: true, tmpfsOptions: ['mode=700'] });
    expect(parseMount('type=tmpfs,target=/t,tmpfs-size=512m,noatime,U=true', '/')[0]).toMatchObject({ type: 'tmpfs', chown: true, tmpfsOptions: ['size=512m', 'noatime'] });
    expect(parseMount('type=bind,src=data,dst=/d,bind-nonrecursive,bind-propagation=runbindable,relabel=shared,ro=false', '/home/u')[0]).toEqual({ type: 'bind', source: '/home/u/data', destination: '/d', readOnly: false, chown: false, noCopy: false, propagation: 'runbindable', nonRecursive: true });
    expect(parseMount('type=volume,src=v,dst=/v,subpath=/code/docs,nocopy,chown', '/')[0]).toMatchObject({ type: 'volume', subpath: '/code/docs', noCopy: true, chown: true });
  });

  it('binds each file a glob matches, under the target or at its own path', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glob-'));
    try {
      for (const f of ['liba.so', 'libb.so', 'other']) fs.writeFileSync(path.join(dir, f), '');
      expect(parseMount(`type=glob,src=${dir}/lib*,dst=/usr/lib,ro`, '/').map((m) => [m.source, m.destination, m.readOnly])).toEqual([[`${dir}/liba.so`, '/usr/lib/liba.so', true], [`${dir}/libb.so`, '/usr/lib/libb.so', true]]);
      expect(parseMount(`type=glob,src=${dir}/oth?r`, '/').map((m) => m.destination)).toEqual([`${dir}/other`]);
      expect(() => parseMount(`type=glob,src=${dir}/none*,dst=/x`, '/')).toThrow(/no files match/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses keys of another type, idmap, bad values and missing sources', () => {
    expect(() => parseMount('type=devpts,target=/p,tmpfs-size=1m', '/')).toThrow(/unknown key "tmpfs-size" for type=devpts/);
    expect(() => parseMount('type=volume,target=/v,idmap', '/')).toThrow(/idmap is not supported/);
    expect(() => parseMount('type=bind,source=/a,target=/b,no-dereference', '/')).toThrow(/no-dereference is not supported/);
    expect(() => parseMount('type=tmpfs,target=/t,noswap', '/')).toThrow(/noswap is not supported: the kernel turns swap off only for tmpfs mounts of the initial user namespace/);
    expect(() => parseMount('type=bind,source=/a,target=/b,readonly=maybe', '/')).toThrow(/readonly=maybe: use readonly=true or readonly=false/);
    expect(() => parseMount('type=bind,source=/a,target=/b,bind-propagation=odd', '/')).toThrow(/bind-propagation must be one of/);
    expect(() => parseMount('type=image,target=/b', '/')).toThrow(/needs source=IMAGE/);
    expect(() => parseMount('type=tmpfs,target=/t,tmpfs-mode=999', '/')).toThrow(/tmpfs-mode=999/);
    expect(() => parseMount('type=volume,source=v,target=/v,subpath=../x', '/')).toThrow(/subpath must name a path inside/);
    expect(() => parseMount('type=bind,source=/a,source=/b,target=/c', '/')).toThrow(/source is given twice/);
    expect(() => parseMount('type=artifact,source=a,target=/c', '/')).toThrow(/type must be volume, bind or tmpfs/);
  });
});
