import { describe, expect, it } from 'vitest';
import { checkDestinations, parseMountFlag, parseTmpfsFlag, parseVolumeFlag, volumePath } from '../../../../libpod/volume/volume-spec';

describe('-v', () => {
  it('tells named volumes, host paths and anonymous volumes apart, with their options', () => {
    expect(parseVolumeFlag('data:/var/lib/app')).toEqual({ type: 'volume', source: 'data', destination: '/var/lib/app', readOnly: false, chown: false, noCopy: false });
    expect(parseVolumeFlag('./site:/srv/:ro,U', '/home/u')).toEqual({ type: 'bind', source: '/home/u/site', destination: '/srv', readOnly: true, chown: true, noCopy: false });
    expect(parseVolumeFlag('/data')).toMatchObject({ type: 'volume', source: '', destination: '/data', anonymous: true });
    expect(parseVolumeFlag('/h:/c:rshared,z')).toMatchObject({ type: 'bind', propagation: 'rshared' });
    expect(parseVolumeFlag('v:/c:nocopy')).toMatchObject({ noCopy: true });
  });

  it('says what is wrong', () => {
    expect(() => parseVolumeFlag('data:rel')).toThrow(/must be absolute/);
    expect(() => parseVolumeFlag('data:/')).toThrow(/cannot mount over the container's \//);
    expect(() => parseVolumeFlag('data:/x:weird')).toThrow(/invalid option "weird"/);
    expect(() => parseVolumeFlag('v:/x:rshared')).toThrow(/propagation "rshared" applies to bind mounts only/);
    expect(() => parseVolumeFlag('a:b:c:d')).toThrow(/use SOURCE:DESTINATION\[:OPTIONS\]/);
    expect(() => parseVolumeFlag('bad name:/x')).toThrow(/neither a volume name/);
  });
});

describe('--mount and --tmpfs', () => {
  it('reads the key=value forms', () => {
    expect(parseMountFlag('type=bind,source=/h,target=/c,readonly,bind-propagation=rslave', '/')).toEqual({ type: 'bind', source: '/h', destination: '/c', readOnly: true, chown: false, noCopy: false, propagation: 'rslave' });
    expect(parseMountFlag('type=volume,src=v,dst=/c,volume-nocopy')).toMatchObject({ type: 'volume', source: 'v', destination: '/c', noCopy: true });
    expect(parseMountFlag('type=volume,target=/c')).toMatchObject({ source: '', anonymous: true });
    expect(parseMountFlag('type=tmpfs,target=/t,tmpfs-size=1m,tmpfs-mode=1770')).toMatchObject({ type: 'tmpfs', destination: '/t', tmpfsOptions: ['size=1m', 'mode=1770'] });
    expect(parseTmpfsFlag('/scratch:size=64m,noexec,ro')).toEqual({ type: 'tmpfs', source: '', destination: '/scratch', readOnly: true, chown: false, noCopy: false, tmpfsOptions: ['size=64m', 'noexec'] });
    expect(() => parseMountFlag('type=bind,target=/c')).toThrow(/needs source=/);
    expect(() => parseMountFlag('type=volume,source=v')).toThrow(/give target=/);
    expect(() => parseMountFlag('type=volume,target=/c,colour=red')).toThrow(/unknown key "colour"/);
    expect(() => parseTmpfsFlag('/t:size=big')).toThrow(/invalid option "size=big"/);
    expect(() => checkDestinations([parseVolumeFlag('a:/x'), parseTmpfsFlag('/x')])).toThrow(/\/x: duplicate mount destination/);
    expect(volumePath('/r', 'v')).toBe('/r/volumes/v/_data');
  });
});
