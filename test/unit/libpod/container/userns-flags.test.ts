import { describe, expect, it } from 'vitest';
import { autoMaps, autoSize, keepIdMap, mapStrings, parseIdMapFile, parseIdMaps, parseUsernsMode, resolveUserns, splitAlong, type NamespaceIds, type UsernsOptions } from '../../../../libpod/container/userns-flags';
import { groupAddIds, passwdAdditions, type PasswdInput } from '../../../../libpod/container/passwd-entries';
import { generateSpec } from '../../../../libpod/oci/spec';

// tspod's namespace for user 1001 with 65536 subordinate IDs from 100000 (its /proc/self/uid_map).
const lines = parseIdMapFile('         0       1001          1\n         1     100000      65536\n');
const ns: NamespaceIds = { uid: 1001, gid: 1001, uidLines: lines, gidLines: lines };
const opts = (o: Partial<UsernsOptions>): UsernsOptions => ({ uidmap: [], gidmap: [], groupAdd: [], hostuser: [], passwd: true, ...o });
const noSubIds = () => ({ uids: [], gids: [] });
const maps = (o: Partial<UsernsOptions>) => {
  const r = resolveUserns(opts(o), ns, noSubIds);
  return [mapStrings(r.uidMap ?? []), mapStrings(r.gidMap ?? [])];
};

describe('--userns modes', () => {
  it('maps keep-id as Podman 5 does rootless: the user at its own ID, the subordinate IDs around it', () => {
    expect(maps({ userns: 'keep-id' })).toEqual([['0:1:1001', '1001:0:1', '1002:1002:64535'], ['0:1:1001', '1001:0:1', '1002:1002:64535']]);
    expect(maps({ userns: 'keep-id:uid=200,gid=210' })).toEqual([['0:1:200', '200:0:1', '201:201:65336'], ['0:1:210', '210:0:1', '211:211:65326']]);
    expect(mapStrings(keepIdMap(1001, 65536, 2000))).toEqual(['0:1:1001', '1001:0:1', '1002:1002:998']);
    expect(mapStrings(keepIdMap(0, 65536))).toEqual(['0:0:1', '1:1:65536']);
  });

  it('maps nomap without the user, private with every ID unchanged, and leaves host alone', () => {
    expect(maps({ userns: 'nomap' })).toEqual([['0:1:65536'], ['0:1:65536']]);
    expect(maps({ userns: 'private' })).toEqual([['0:0:65537'], ['0:0:65537']]);
    for (const host of [undefined, '', 'host']) expect(resolveUserns(opts({ userns: host }), ns, noSubIds).uidMap).toBeUndefined();
  });

  it("refuses what Podman refuses, in Podman's words", () => {
    const err = (o: Partial<UsernsOptions>) => {
      try {
        resolveUserns(opts(o), ns, noSubIds);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(err({ userns: 'bogus' })).toMatch(/^unrecognized namespace mode bogus passed: use host, keep-id/);
    expect(err({ userns: 'keep-id:foo=1' })).toMatch(/^unknown option specified: "foo"/);
    expect(err({ userns: 'keep-id:uid' })).toBe('invalid option specified: "uid"');
    expect(err({ userns: 'keep-id:uid=x' })).toMatch(/^strconv.ParseUint: parsing "x": invalid syntax/);
    expect(err({ userns: 'auto:size=-1' })).toMatch(/^strconv.ParseUint: parsing "-1": invalid syntax/);
    expect(err({ userns: 'keep-id', uidmap: ['0:1:1'] })).toBe('--userns and --uidmap/--gidmap/--subuidname/--subgidname are mutually exclusive');
    expect(err({ uidmap: ['x'] })).toBe('initializing ID mappings: UID setting is malformed expected ["[+ug]uint32:[@]uint32[:uint32]"] : ["x"]');
    expect(err({ uidmap: ['0:1:1'], gidmap: ['0:1:x'] })).toBe('initializing ID mappings: GID setting is malformed expected ["[+ug]uint32:[@]uint32[:uint32]"] : ["0:1:x"]');
    expect(err({ uidmap: ['0:70000:10'] })).toMatch(/^the UID mapping 0:70000:10 needs intermediate IDs up to 70009, but your user namespace has IDs 0-65536/);
    expect(err({ uidmap: ['0:@5:1'] })).toMatch(/^parent ID UID 5 is not mapped\/delegated/);
    expect(err({ groupAdd: ['keep-groups', '10'] })).toBe("the '--group-add keep-groups' option is not allowed with any other --group-add options");
    expect(err({ subuidname: 'nobody' })).toBe('no subuid ranges found for user "nobody" in /etc/subuid');
  });

  it('parses ns:PATH and container:NAME, and auto with its options', () => {
    expect(parseUsernsMode('ns:/proc/1/ns/user')).toEqual({ kind: 'ns', path: '/proc/1/ns/user' });
    expect(parseUsernsMode('container:web')).toEqual({ kind: 'container', name: 'web' });
    expect(parseUsernsMode('auto:size=500,uidmapping=0:@1001:1')).toEqual({ kind: 'auto', size: 500, uidmapping: ['0:@1001:1'], gidmapping: [] });
  });
});

describe('--uidmap and --gidmap', () => {
  it('applies one of them to both unless a u or g flag says otherwise', () => {
    expect(maps({ uidmap: ['0:1:1000'] })).toEqual([['0:1:1000'], ['0:1:1000']]);
    expect(maps({ uidmap: ['0:1:1000', 'u2000:1001:1'] })).toEqual([['0:1:1000', '2000:1001:1'], ['0:1:1000']]);
    expect(maps({ uidmap: ['0:1:10'], gidmap: ['0:5:10'] })).toEqual([['0:1:10'], ['0:5:10']]);
  });

  it('reads @ as a host ID and + as breaking the maps before it; + alone fills the rest rootless', () => {
    expect(maps({ uidmap: ['0:@100000:3'] })[0]).toEqual(['0:1:3']);
    expect(maps({ uidmap: ['5:@1001:1'] })[0]).toEqual(['5:0:1']);
    expect(mapStrings(parseIdMaps(['0:0:65000', '+100000:1:1'], 'GID', lines))).toEqual(['0:0:1', '2:2:64998', '100000:1:1']);
    expect(mapStrings(parseIdMaps(['+5000:0:1'], 'UID', lines))).toEqual(['0:1:5000', '5000:0:1', '5001:5001:60536']);
  });

  it('is cut where the namespace lines meet, as the kernel requires', () => {
    expect(mapStrings(splitAlong(parseIdMaps(['0:0:65537'], 'UID', lines), lines))).toEqual(['0:0:1', '1:1:65536']);
    expect(mapStrings(splitAlong(parseIdMaps(['10:0:5'], 'UID', lines), lines))).toEqual(['10:0:1', '11:1:4']);
  });
});

describe('--userns=auto', () => {
  it('sizes from the image, at least 1024, and gives each container a range no other auto container has', () => {
    expect(autoSize('root:x:0:0::/:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n', 'root:x:0:\n')).toBe(1024);
    expect(autoSize('app:x:5000:5000::/:/bin/sh\n', '')).toBe(5001);
    const first = autoMaps(1024, [], 65537, []);
    const second = autoMaps(1024, first, 65537, []);
    expect([mapStrings(first), mapStrings(second)]).toEqual([['0:1:1024'], ['0:1025:1024']]);
    expect(mapStrings(autoMaps(1024, [{ containerId: 0, hostId: 2000, size: 10 }], 65537, []))).toEqual(['0:1:1024']);
    expect(mapStrings(autoMaps(10, [], 65537, [{ containerId: 0, hostId: 0, size: 1 }]))).toEqual(['1:2:9', '0:0:1']);
    expect(() => autoMaps(65537, [], 65537, [])).toThrow(/^not enough unused IDs are available for --userns=auto with size 65537/);
  });
});

describe('the runtime spec', () => {
  it('adds a user namespace with its maps, binds /sys when the network namespace is joined, and drops devpts gid=5 when 5 is unmapped', () => {
    const base = { rootfs: '/r', readOnly: false, image: { Cmd: ['sh'] }, command: [], env: [], user: { uid: 0, gid: 0, additionalGids: [], home: '/' }, terminal: false, hostname: 'h', capAdd: [], capDrop: [], noNewPrivileges: false, files: { resolvConf: '/rc', hostname: '/hn' } };
    const spec = generateSpec({ ...base, network: { path: '/run/netns/x' }, userNamespace: { uidMappings: [{ containerId: 0, hostId: 1, size: 3 }], gidMappings: [{ containerId: 0, hostId: 1, size: 3 }] } }) as { linux: Record<string, unknown>; mounts: Array<{ destination: string; type: string; options: string[] }> };
    expect(spec.linux.namespaces).toContainEqual({ type: 'user' });
    expect(spec.linux.uidMappings).toEqual([{ containerID: 0, hostID: 1, size: 3 }]);
    expect(spec.mounts.find((m) => m.destination === '/sys')?.type).toBe('bind');
    expect(spec.mounts.find((m) => m.type === 'devpts')?.options).not.toContain('gid=5');
    const own = generateSpec({ ...base, network: 'private' }) as { linux: { namespaces: Array<{ type: string }> }; mounts: Array<{ destination: string; type: string; options: string[] }> };
    expect(own.linux.namespaces.map((n) => n.type)).not.toContain('user');
    expect(own.mounts.find((m) => m.type === 'devpts')?.options).toContain('gid=5');
  });
});

describe('/etc/passwd and /etc/group additions', () => {
  const input: PasswdInput = {
    passwd: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
    group: 'root:x:0:\nwww-data:x:33:\n',
    hostPasswd: 'root:x:0:0:root:/root:/bin/bash\nalice:x:1001:1001:Alice A,,,:/home/alice:/bin/bash\n',
    hostGroup: 'root:x:0:\nalice:x:1001:\n',
    hostUsers: [],
    workdir: '/',
    mounts: [],
  };
  it('adds the keep-id user with the workdir as home unless its home is mounted, and its group', () => {
    expect(passwdAdditions({ ...input, currentUser: { uid: 1001, gid: 1001 }, user: '1001:1001' })).toEqual({ passwd: 'alice:*:1001:1001:Alice A:/:/bin/sh\n', group: 'alice:x:1001:alice\n' });
    expect(passwdAdditions({ ...input, currentUser: { uid: 1001, gid: 1001 }, user: '1001:1001', mounts: ['/home'] }).passwd).toBe('alice:*:1001:1001:Alice A:/home/alice:/bin/sh\n');
    expect(passwdAdditions({ ...input, passwd: `${input.passwd}alice:x:1001:1001::/home/alice:/bin/sh\n`, currentUser: { uid: 1001, gid: 1001 } }).passwd).toBe('');
  });
  it('adds --hostuser and a numeric --user, with --passwd-entry as the template', () => {
    expect(passwdAdditions({ ...input, hostUsers: ['alice'] }).passwd).toBe('alice:*:1001:1001:Alice A:/:/bin/sh\n');
    expect(passwdAdditions({ ...input, user: '4000' })).toEqual({ passwd: '4000:*:4000:0:container user:/:/bin/sh\n', group: '' });
    expect(passwdAdditions({ ...input, user: '200:200' })).toEqual({ passwd: '200:*:200:200:container user:/:/bin/sh\n', group: '200:x:200:200\n' });
    expect(passwdAdditions({ ...input, user: '4000', passwdEntry: '$USERNAME:x:$UID:$GID:$NAME:$HOME:/bin/false' }).passwd).toBe('4000:x:4000:0:container user:/:/bin/false\n');
    expect(passwdAdditions({ ...input, user: 'nobody' })).toEqual({ passwd: '', group: '' });
  });
  it('resolves --group-add names in the image and refuses unknown ones', () => {
    expect(groupAddIds(['10', 'www-data'], input.group, 'abc')).toEqual([10, 33]);
    expect(() => groupAddIds(['mail'], input.group, 'abc')).toThrow(/^looking up supplemental groups for container abc: unable to find group mail: no matching entries in group file/);
  });
});

describe('the default --userns', () => {
  it("is $PODMAN_USERNS, else containers.conf's userns, when no mapping flag is given", async () => {
    const { usernsWithDefault } = await import('../../../../libpod/container/create-spec');
    const { applyConfig, defaultConfig } = await import('../../../../libpod/config/config');
    expect(applyConfig(defaultConfig(), { containers: { userns: 'auto' } }, 'c.conf').containers.userns).toBe('auto');
    expect(usernsWithDefault(undefined, 'auto', {})?.userns).toBe('auto');
    expect(usernsWithDefault(undefined, 'auto', { PODMAN_USERNS: 'keep-id' })?.userns).toBe('keep-id');
    expect(usernsWithDefault(undefined, '', {})).toBeUndefined();
    expect(usernsWithDefault(opts({ uidmap: ['0:1:10'] }), 'auto', {})?.userns).toBeUndefined();
    expect(usernsWithDefault(opts({ groupAdd: ['10'] }), 'nomap', {})).toMatchObject({ userns: 'nomap', groupAdd: ['10'] });
  });
});
