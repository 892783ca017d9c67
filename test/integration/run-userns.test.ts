// run's and create's user-namespace options (issue 19), run as the unprivileged user in real
// containers: keep-id's user and its files, the root filesystem's owners inside a namespace of the
// container's own, --uidmap, auto's ranges, --group-add, the /etc/passwd options, inspect, and bad
// values refused with Podman's words and exit code before anything is made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Store, mirrorDockerHub, registry, removeTree, userEnv, userTempDir } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('run-userns');
const me = userEnv();
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });
const words = (text: string) => text.trim().split(/\s+/).join(' ');

beforeAll(() => {
  // A namespace that leaves the user's own ID out reaches the store as "others": its parents must
  // be searchable (mkdtemp made this one 0700; a home directory may be too: see the last test).
  fs.chmodSync(store.dir, 0o711);
  env = mirrorDockerHub(store, ['busybox']);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

describe('--userns=keep-id', () => {
  it('runs as the user, by name and number, with the image files still root\'s', () => {
    expect(tspod(['run', '--rm', '--userns=keep-id', 'busybox', 'id', '-un'])).toMatchObject({ code: 0, stdout: `${me.user}\n` });
    expect(tspod(['run', '--rm', '--userns=keep-id', 'busybox', 'id', '-u'])).toMatchObject({ code: 0, stdout: `${me.uid}\n` });
    const r = tspod(['run', '--rm', '--userns=keep-id', 'busybox', 'sh', '-c', 'id; grep "^$(id -un):" /etc/passwd /etc/group; cd "$HOME" && pwd; ls -lnd /bin /etc /root']);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      `uid=${me.uid}(${me.user}) gid=${me.gid}(${me.user}) groups=${me.gid}(${me.user})`,
      `/etc/passwd:${me.user}:*:${me.uid}:${me.gid}::/:/bin/sh`,
      `/etc/group:${me.user}:x:${me.gid}:${me.user}`,
      '/',
    ]);
    // Owner and group columns of ls -ln: root's inside, not nobody's (65534).
    expect(lines.slice(4).map((l) => l.split(/\s+/).slice(2, 4).join(':'))).toEqual(['0:0', '0:0', '0:0']);
  });

  it('is what PODMAN_USERNS names when --userns is not given, as in Podman', () => {
    expect(store.tspod(['run', '--rm', 'busybox', 'id', '-un'], { env: { ...env, PODMAN_USERNS: 'keep-id' } })).toMatchObject({ code: 0, stdout: `${me.user}\n` });
    expect(store.tspod(['run', '--rm', '--userns=host', 'busybox', 'id', '-un'], { env: { ...env, PODMAN_USERNS: 'keep-id' } })).toMatchObject({ code: 0, stdout: 'root\n' });
  });

  it('leaves files it makes in a bind mount to the user on the host', () => {
    const dir = userTempDir('userns-bind');
    try {
      expect(tspod(['run', '--rm', '--userns=keep-id', '-v', `${dir}:/w`, 'busybox', 'touch', '/w/made']).code).toBe(0);
      const st = fs.statSync(path.join(dir, 'made'));
      expect([st.uid, st.gid]).toEqual([me.uid, me.gid]);
    } finally {
      removeTree(dir);
    }
  });

  it('maps the user to uid= and gid= when given, and shows its map in /proc and inspect', () => {
    const r = tspod(['run', '--name', 'kid', '--userns=keep-id:uid=200,gid=200', 'busybox', 'sh', '-c', 'id; cat /proc/self/uid_map']);
    expect(r.stderr).toBe('');
    const [id, ...map] = r.stdout.trim().split('\n');
    expect(id).toBe('uid=200(200) gid=200(200) groups=200(200)');
    expect(map.map(words)).toEqual(['0 1 200', '200 0 1', '201 201 65336']);
    const hc = JSON.parse(tspod(['inspect', '--format', '{{json .HostConfig}}', 'kid']).stdout);
    expect([hc.UsernsMode, hc.IDMappings]).toEqual(['private', { UidMap: ['0:1:200', '200:0:1', '201:201:65336'], GidMap: ['0:1:200', '200:0:1', '201:201:65336'] }]);
    expect(tspod(['inspect', '--format', '{{.Config.User}}', 'kid']).stdout).toBe('200:200\n');
    // Without the flags, no namespace of its own: nothing to show.
    expect(tspod(['create', '--name', 'plain', 'busybox']).code).toBe(0);
    const plain = JSON.parse(tspod(['inspect', '--format', '{{json .HostConfig}}', 'plain']).stdout);
    expect([plain.UsernsMode, plain.IDMappings, plain.GroupAdd]).toEqual(['', undefined, []]);
  });


  it('can be entered with exec and serves its published ports, its network namespace owned by its own user namespace', () => {
    const r = tspod(['run', '-d', '--name', 'served', '--userns=keep-id', '-p', '127.0.0.1::8080', 'busybox', 'sh', '-c', 'mkdir -p /tmp/w && echo served > /tmp/w/i && exec httpd -f -p 8080 -h /tmp/w']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(tspod(['exec', 'served', 'id', '-un'])).toMatchObject({ code: 0, stdout: `${me.user}\n` });
    const port = tspod(['port', 'served', '8080']).stdout.trim().split(':').pop();
    let body = '';
    for (let i = 0; i < 50 && body !== 'served\n'; i++) body = spawnSync('curl', ['-s', '-m', '2', `http://127.0.0.1:${port}/i`], { encoding: 'utf8' }).stdout;
    expect(body).toBe('served\n');
    // cp gives what it copies in to the container's user (its ID inside, not shifted by the map).
    const file = path.join(store.dir, 'copied.txt');
    fs.writeFileSync(file, 'x\n', { mode: 0o644 });
    expect(tspod(['cp', file, 'served:/tmp/copied.txt']).code).toBe(0);
    expect(tspod(['exec', 'served', 'stat', '-c', '%u:%g', '/tmp/copied.txt']).stdout).toBe(`${me.uid}:${me.gid}\n`);
    // Another container joins its namespace by path, and sees the same map.
    const pid = tspod(['inspect', '--format', '{{.State.Pid}}', 'served']).stdout.trim();
    const joined = tspod(['run', '--rm', `--userns=ns:/proc/${pid}/ns/user`, 'busybox', 'sh', '-c', 'cat /proc/self/uid_map; ls -lnd /bin']);
    expect([joined.stderr, joined.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).slice(0, 4).join(' '))]).toEqual(['', [`0 1 ${me.uid}`, `${me.uid} 0 1`, `${me.uid + 1} ${me.uid + 1} ${65536 - me.uid}`, 'drwxr-xr-x 2 0 0']]);
    expect(tspod(['rm', '-f', '-t', '0', 'served']).code).toBe(0);
  });


  it('says why exec cannot enter one on a user-defined network, whose namespace it does not own', () => {
    expect(tspod(['network', 'create', 'usernsnet']).code).toBe(0);
    expect(tspod(['run', '-d', '--name', 'onnet', '--network', 'usernsnet', '--userns=keep-id', 'busybox', 'sleep', '1000']).code).toBe(0);
    const r = tspod(['exec', 'onnet', 'id']);
    expect([r.code, r.stderr]).toEqual([125, 'Error: cannot exec in onnet: it has a user namespace of its own (--userns keep-id) but a network namespace it does not own (--network usernsnet), which runc cannot enter after the user namespace; run it with --network slirp4netns or pasta to exec in it\n']);
    expect(tspod(['rm', '-f', '-t', '0', 'onnet']).code).toBe(0);
    expect(tspod(['network', 'rm', 'usernsnet']).code).toBe(0);
  });
});

describe('--uidmap, --gidmap and --userns=auto', () => {
  it('runs in the map given, the root filesystem still root\'s', () => {
    const r = tspod(['run', '--rm', '--uidmap', '0:1:1000', '--gidmap', '0:1:1000', 'busybox', 'sh', '-c', 'cat /proc/self/uid_map /proc/self/gid_map; id; ls -lnd /bin']);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 3).map(words)).toEqual(['0 1 1000', '0 1 1000', 'uid=0(root) gid=0(root) groups=0(root)']);
    expect(lines[3].split(/\s+/).slice(2, 4)).toEqual(['0', '0']);
  });

  it('gives two auto containers disjoint ranges of at least 1024 IDs', () => {
    const maps = ['auto1', 'auto2'].map((name) => {
      const r = tspod(['run', '--name', name, '--userns=auto', 'busybox', 'cat', '/proc/self/uid_map']);
      expect(r.stderr).toBe('');
      return words(r.stdout);
    });
    expect(maps).toEqual(['0 1 1024', '0 1025 1024']);
    expect(tspod(['inspect', '--format', '{{json .HostConfig.IDMappings.UidMap}}', 'auto2']).stdout).toBe('["0:1025:1024"]\n');
  });
});

describe('--group-add and /etc/passwd', () => {
  it('adds groups by number and by the image\'s names, and shows them in inspect', () => {
    expect(tspod(['run', '--name', 'groups', '--group-add', '10', '--group-add', 'www-data', 'busybox', 'id', '-G'])).toMatchObject({ code: 0, stdout: '0 10 33\n' });
    expect(tspod(['inspect', '--format', '{{json .HostConfig.GroupAdd}}', 'groups']).stdout).toBe('["10","www-data"]\n');
  });

  it('adds a host user, or a numeric --user, to /etc/passwd unless --passwd=false', () => {
    expect(tspod(['run', '--rm', '--hostuser', me.user, 'busybox', 'tail', '-1', '/etc/passwd']).stdout).toBe(`${me.user}:*:${me.uid}:${me.gid}::/:/bin/sh\n`);
    expect(tspod(['run', '--rm', '--user', '4000', 'busybox', 'sh', '-c', 'tail -1 /etc/passwd; id -un']).stdout).toBe('4000:*:4000:0:container user:/:/bin/sh\n4000\n');
    expect(tspod(['run', '--rm', '--user', '4000', '--passwd-entry', '$USERNAME:x:$UID:$GID:$NAME:$HOME:/bin/false', 'busybox', 'tail', '-1', '/etc/passwd']).stdout).toBe('4000:x:4000:0:container user:/:/bin/false\n');
    expect(tspod(['run', '--rm', '--user', '4000', '--passwd=false', 'busybox', 'tail', '-1', '/etc/passwd']).stdout).toBe('nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  });
});

describe('bad values', () => {
  it("are refused with Podman's words and exit code, and nothing is made", () => {
    const cases: Array<[string[], number, string]> = [
      [['--userns=bogus'], 125, 'Error: unrecognized namespace mode bogus passed: use host, keep-id'],
      [['--uidmap', 'x'], 125, 'Error: initializing ID mappings: UID setting is malformed expected ["[+ug]uint32:[@]uint32[:uint32]"] : ["x"]'],
      [['--userns=keep-id', '--uidmap', '0:1:1'], 125, 'Error: --userns and --uidmap/--gidmap/--subuidname/--subgidname are mutually exclusive'],
      [['--userns=keep-id:foo=1'], 125, 'Error: unknown option specified: "foo"'],
      [['--userns=ns:/nonexistent'], 125, 'Error: cannot find specified user namespace path: stat /nonexistent: no such file or directory'],
      [['--group-add', 'keep-groups', '--group-add', '10'], 125, "Error: the '--group-add keep-groups' option is not allowed with any other --group-add options"],
      [['--group-add', 'keep-groups'], 125, 'Error: --group-add keep-groups needs the crun runtime'],
      [['--subuidname', 'nosuchname'], 125, 'Error: no subuid ranges found for user "nosuchname" in /etc/subuid'],
      [['--uidmap', '0:70000:10'], 125, 'Error: the UID mapping 0:70000:10 needs intermediate IDs up to 70009'],
      [['--hostuser', 'nosuchuser'], 125, 'Error: --hostuser nosuchuser: user: unknown user nosuchuser'],
    ];
    for (const [flags, code, message] of cases) {
      const r = tspod(['run', '--rm', ...flags, 'busybox', 'true']);
      expect([r.code, r.stderr.split('\n')[0].slice(0, message.length)], flags.join(' ')).toEqual([code, message]);
    }
    const before = tspod(['ps', '-a', '--format', '{{.Names}}']).stdout;
    for (const [flags] of cases) expect(tspod(['create', '--name', 'bad', ...flags, 'busybox']).code).toBe(125);
    expect(tspod(['ps', '-a', '--format', '{{.Names}}']).stdout).toBe(before);
  });

  it('fails at start, as Podman does, on a --group-add name the image lacks', () => {
    const r = tspod(['run', '--rm', '--group-add', 'mail', 'busybox', 'true']);
    expect([r.code, r.stderr]).toEqual([126, expect.stringMatching(/^Error: looking up supplemental groups for container [0-9a-f]{64}: unable to find group mail: no matching entries in group file/)]);
  });
});
