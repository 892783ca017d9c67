// run/create's log, pid-file, secret, rootfs, --mount and environment options (issue 19), each run
// in a real container as the unprivileged user and checked in the files, the container and
// inspect; bad values refused with Podman's exit code before anything is made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Store, mirrorDockerHub, registry, run, tspodBin, userEnv } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('run-logs-secrets');
let env: Record<string, string> = {};
const tspod = (args: string[], opts: { input?: string; env?: Record<string, string> } = {}) => store.tspod(args, { env: { ...env, ...opts.env }, input: opts.input });
const inspect = (name: string, format: string) => tspod(['inspect', '--format', format, name]).stdout.trim();
const names = () => tspod(['ps', '-a', '--format', '{{.Names}}']).stdout.split('\n').filter(Boolean).sort();

/** A file of the test user's in the store's directory. */
function userFile(name: string, text?: string): string {
  const file = path.join(store.dir, name);
  if (text !== undefined) {
    fs.writeFileSync(file, text);
    const u = userEnv(store.user);
    fs.chownSync(file, u.uid, u.gid);
  }
  return file;
}

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

describe('--log-driver and --log-opt', () => {
  it('none writes no log, and logs says why with exit 125', () => {
    expect(tspod(['run', '--name', 'nolog', '--log-driver', 'none', 'busybox', 'echo', 'hello'])).toMatchObject({ code: 0, stdout: 'hello\n' });
    expect(fs.existsSync(path.join(inspect('nolog', '{{.StaticDir}}'), 'ctr.log'))).toBe(false);
    expect(tspod(['logs', 'nolog'])).toMatchObject({ code: 125, stdout: '', stderr: "Error: this container is using the 'none' log driver, cannot read logs: this container is not logging output\n" });
    expect(JSON.parse(inspect('nolog', '{{json .HostConfig.LogConfig}}'))).toEqual({ Type: 'none', Config: null, Path: '', Tag: '', Size: '0B' });
  });

  it('path= puts the log in that file, and logs reads it there', () => {
    const file = userFile('moved.log');
    expect(tspod(['run', '--name', 'moved', '--log-opt', `path=${file}`, '--log-opt', 'tag=web', 'busybox', 'sh', '-c', 'echo out; echo err >&2']).code).toBe(0);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split(' ').slice(1).join(' ')).sort()).toEqual(['stderr F err', 'stdout F out']);
    expect(fs.existsSync(path.join(inspect('moved', '{{.StaticDir}}'), 'ctr.log'))).toBe(false);
    expect(tspod(['logs', 'moved'])).toMatchObject({ code: 0, stdout: 'out\n', stderr: 'err\n' });
    expect(JSON.parse(inspect('moved', '{{json .HostConfig.LogConfig}}'))).toEqual({ Type: 'k8s-file', Config: null, Path: file, Tag: 'web', Size: '0B' });
  });

  it('max-size= keeps the file under the limit by emptying it, as conmon does', () => {
    const r = tspod(['run', '--name', 'bounded', '--log-driver', 'json-file', '--log-opt', 'max-size=2k', 'busybox', 'sh', '-c', 'for i in $(seq 1 300); do echo line$i; done']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').length).toBe(301); // the client still saw every line
    const log = inspect('bounded', '{{.HostConfig.LogConfig.Path}}');
    expect(fs.statSync(log).size).toBeLessThanOrEqual(2000);
    const shown = tspod(['logs', 'bounded']).stdout.trim().split('\n');
    expect(shown[shown.length - 1]).toBe('line300');
    expect(shown.length).toBeLessThan(300);
    expect(JSON.parse(inspect('bounded', '{{json .HostConfig.LogConfig}}'))).toMatchObject({ Type: 'json-file', Size: '2kB' });
  });

  it('passthrough gives the container our stdout and stderr when they are pipes', () => {
    expect(tspod(['run', '--rm', '--log-driver', 'passthrough', 'busybox', 'sh', '-c', 'echo through; echo side >&2'])).toMatchObject({ code: 0, stdout: 'through\n', stderr: 'side\n' });
    // -i: it reads our stdin itself.
    expect(tspod(['run', '--rm', '-i', '--log-driver', 'passthrough', 'busybox', 'cat'], { input: 'typed\n' })).toMatchObject({ code: 0, stdout: 'typed\n' });
  });

  it('passthrough detached prints no ID, the container writes to our stdout later, and attach is refused', () => {
    const out = userFile('late.out', '');
    const tspodLine = `${tspodBin} --root ${store.root} --runroot ${store.runroot}`;
    const r = run(['sh', '-c', `${tspodLine} run -d --name late --log-driver passthrough busybox sh -c 'sleep 2; echo late' > ${out} 2>&1`], { env }); // the container holds what it was given: no pipe of ours may stay open
    expect(r.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(''); // no ID: the output is the container's
    expect(tspod(['attach', 'late'])).toMatchObject({ code: 125, stderr: "Error: this container is using the 'passthrough' log driver, cannot attach: this container is not logging output\n" });
    expect(tspod(['wait', 'late'])).toMatchObject({ code: 0, stdout: '0\n' });
    expect(fs.readFileSync(out, 'utf8')).toBe('late\n');
  });

  it('refuses bad drivers and options with exit 125 and creates nothing', () => {
    const before = names();
    const cases: Array<[string[], string]> = [
      [['--log-driver', 'journald'], 'Error: the journald log driver is not supported: '],
      [['--log-driver', 'syslog'], 'Error: invalid log driver "syslog": use k8s-file, json-file, none or passthrough'],
      [['--log-opt', 'max-size=lots'], "Error: invalid size: 'lots'"],
      [['--log-opt', 'colour'], 'Error: invalid log option "colour"'],
      [['--log-driver', 'none', '--log-opt', 'path=/tmp/x'], 'Error: --log-opt path= and max-size= apply to a log file'],
      [['--log-opt', 'path=/no/such/dir/ctr.log'], 'Error: --log-opt path=/no/such/dir/ctr.log: the directory /no/such/dir does not exist: create it first'],
    ];
    for (const [flags, message] of cases) {
      const r = tspod(['create', ...flags, 'busybox']);
      expect({ flags, code: r.code, stderr: r.stderr.startsWith(message) }).toEqual({ flags, code: 125, stderr: true });
    }
    expect(names()).toEqual(before);
  });
});

describe('--conmon-pidfile and --pidfile', () => {
  it('hold the monitor and container PIDs while it runs, and go with the container', () => {
    const monitor = userFile('monitor.pid');
    const container = userFile('container.pid');
    expect(tspod(['run', '-d', '--name', 'pids', '--conmon-pidfile', monitor, '--pidfile', container, 'busybox', 'sleep', '60']).code).toBe(0);
    expect(fs.readFileSync(container, 'utf8')).toBe(inspect('pids', '{{.State.Pid}}'));
    expect(fs.readFileSync(monitor, 'utf8')).toBe(inspect('pids', '{{.State.ConmonPid}}'));
    expect(inspect('pids', '{{.PidFile}} {{.ConmonPidFile}}')).toBe(`${container} ${monitor}`);
    expect(tspod(['rm', '-f', '-t', '0', 'pids']).code).toBe(0);
    expect([fs.existsSync(monitor), fs.existsSync(container)]).toEqual([false, false]);
    // A file in a directory that is not there is refused before anything is made.
    const before = names();
    expect(tspod(['run', '-d', '--pidfile', '/no/such/dir/c.pid', 'busybox', 'true'])).toMatchObject({ code: 125, stderr: 'Error: --pidfile /no/such/dir/c.pid: the directory /no/such/dir does not exist: create it first\n' });
    expect(tspod(['run', '-d', '--conmon-pidfile', '/no/such/dir/m.pid', 'busybox', 'true']).code).toBe(125);
    expect(names()).toEqual(before);
  });
});

describe('secrets', () => {
  it('a secret from stdin is at /run/secrets/NAME, or in a variable, and never in inspect', () => {
    const created = tspod(['secret', 'create', 'dbpass', '-'], { input: 'hunter2-secret' });
    expect(created.code).toBe(0);
    const id = created.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{25}$/);
    expect(tspod(['secret', 'exists', 'dbpass']).code).toBe(0);
    expect(tspod(['secret', 'exists', 'nosuch']).code).toBe(1);
    expect(tspod(['secret', 'ls', '--format', '{{.ID}} {{.Name}} {{.Driver}}'])).toMatchObject({ code: 0, stdout: `${id} dbpass file\n` });
    // Stored 0600 under the store root.
    expect(fs.statSync(path.join(store.root, 'secrets', 'filedriver', id)).mode & 0o777).toBe(0o600);

    expect(tspod(['run', '--name', 'mounted', '--secret', 'dbpass', 'busybox', 'sh', '-c', 'cat /run/secrets/dbpass; echo; stat -c %a /run/secrets/dbpass'])).toMatchObject({ code: 0, stdout: 'hunter2-secret\n444\n' });
    expect(tspod(['run', '--name', 'inenv', '--secret', 'dbpass,type=env,target=DB_PASS', 'busybox', 'sh', '-c', 'echo $DB_PASS'])).toMatchObject({ code: 0, stdout: 'hunter2-secret\n' });
    expect(tspod(['run', '--rm', '--secret', 'dbpass,target=/etc/app/pass,uid=7,mode=0400', 'busybox', 'stat', '-c', '%u %a', '/etc/app/pass'])).toMatchObject({ code: 0, stdout: '7 400\n' });

    for (const name of ['mounted', 'inenv']) {
      const doc = tspod(['inspect', name]).stdout;
      expect(doc).not.toContain('hunter2');
    }
    expect(JSON.parse(inspect('mounted', '{{json .Config.Secrets}}'))).toEqual([{ Name: 'dbpass', ID: id, UID: 0, GID: 0, Mode: 292 }]);
    expect(JSON.parse(inspect('inenv', '{{json .Config.Env}}'))).toContain('DB_PASS=*******');
    expect(tspod(['secret', 'inspect', 'dbpass']).stdout).not.toContain('hunter2');
    expect(tspod(['secret', 'inspect', '--showsecret', '--format', '{{.SecretData}}', 'dbpass'])).toMatchObject({ code: 0, stdout: 'hunter2-secret\n' });

    // Removed while containers use it (Podman allows it): they keep their own copy.
    expect(tspod(['secret', 'rm', 'dbpass'])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(tspod(['start', '-a', 'inenv'])).toMatchObject({ code: 0, stdout: 'hunter2-secret\n' });
    expect(tspod(['secret', 'rm', 'dbpass'])).toMatchObject({ code: 125, stderr: 'Error: no secret with name or id "dbpass": no such secret\n' });
    expect(tspod(['secret', 'rm', '-i', 'dbpass'])).toMatchObject({ code: 0, stdout: '' });
    // Events name the secret's ID only, as Podman's.
    const events = tspod(['events', '--since', '10m', '--stream=false', '--filter', 'type=secret', '--format', '{{.Status}} {{.ID}}']);
    expect(events).toMatchObject({ code: 0, stdout: `create ${id}\nremove ${id}\n` });
    expect(tspod(['events', '--since', '10m', '--stream=false', '--format', 'json']).stdout).not.toContain('hunter2');
  });

  it('refuses an unknown secret, a bad option, a taken name and empty data, and creates nothing', () => {
    const before = names();
    expect(tspod(['run', '--secret', 'missing', 'busybox', 'true'])).toMatchObject({ code: 125, stderr: 'Error: no secret with name or id "missing": no such secret\n' });
    expect(tspod(['secret', 'create', 'one', '-'], { input: 'x' }).code).toBe(0);
    expect(tspod(['run', '--secret', 'one,type=file', 'busybox', 'true']).stderr).toMatch(/^Error: type file is invalid: parsing secret/);
    expect(tspod(['run', '--secret', 'one,type=env,uid=1', 'busybox', 'true']).stderr).toMatch(/^Error: UID, GID, Mode options cannot be set with secret type env/);
    expect(names()).toEqual(before);
    expect(tspod(['secret', 'create', 'one', '-'], { input: 'y' })).toMatchObject({ code: 125, stderr: expect.stringMatching(/^Error: one: secret name in use/) });
    expect(tspod(['secret', 'create', 'two', '-'], { input: '' })).toMatchObject({ code: 125, stderr: 'Error: secret data must be larger than 0 and less than 512000 bytes\n' });
    expect(tspod(['secret', 'create', 'a/b', '-'], { input: 'x' }).stderr).toMatch(/^Error: secret name "a\/b" can not include/);
    const replaced = tspod(['secret', 'create', '--replace', 'one', '-'], { input: 'new' });
    expect(replaced.code).toBe(0);
    expect(tspod(['secret', 'inspect', '--showsecret', '--format', '{{.SecretData}}', 'one']).stdout).toBe('new\n');
    expect(tspod(['secret', 'rm', '-a']).code).toBe(0);
    expect(tspod(['secret', 'ls', '-q']).stdout).toBe('');
  });
});

describe('--rootfs', () => {
  it('runs from a directory, and :O leaves the directory as it was', () => {
    const dir = path.join(store.dir, 'exploded');
    fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'only-here'));
    const busybox = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
    fs.copyFileSync(busybox, path.join(dir, 'bin', 'busybox'));
    fs.chmodSync(path.join(dir, 'bin', 'busybox'), 0o755);
    for (const tool of ['sh', 'ls', 'touch']) fs.symlinkSync('busybox', path.join(dir, 'bin', tool));
    const u = userEnv(store.user);
    expect(spawnSync('chown', ['-R', `${u.uid}:${u.gid}`, dir]).status).toBe(0);

    const r = tspod(['run', '--rm', '--rootfs', dir, '/bin/ls', '/']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['bin', 'only-here']));
    expect(tspod(['run', '--rm', '--rootfs', `${dir}:O`, '/bin/sh', '-c', 'touch /made-inside && ls /made-inside'])).toMatchObject({ code: 0, stdout: '/made-inside\n' });
    expect(fs.existsSync(path.join(dir, 'made-inside'))).toBe(false);
    expect(tspod(['create', '--name', 'fromdir', '--rootfs', dir, '/bin/true']).code).toBe(0);
    expect(inspect('fromdir', '{{.Rootfs}}')).toBe(dir);
    expect(tspod(['rm', 'fromdir']).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'bin', 'busybox'))).toBe(true); // rm never deletes the user's directory
  });

  it('refuses a path that does not exist, creating nothing', () => {
    const before = names();
    expect(tspod(['run', '--rootfs', '/no/such/dir', 'ls'])).toMatchObject({ code: 125, stderr: expect.stringMatching(/^Error: stat \/no\/such\/dir: no such file or directory/) });
    expect(names()).toEqual(before);
  });
});

describe('--mount types', () => {
  it('type=image mounts an image read-only, type=devpts a new devpts', () => {
    expect(tspod(['run', '--rm', '--mount', 'type=image,source=busybox,target=/img', 'busybox', 'sh', '-c', 'ls /img/bin/busybox && touch /img/x'])).toMatchObject({ code: 1, stdout: '/img/bin/busybox\n', stderr: 'touch: /img/x: Read-only file system\n' });
    expect(tspod(['run', '--rm', '--mount', 'type=image,source=busybox,target=/etc2,subpath=/etc,rw=true', 'busybox', 'sh', '-c', 'touch /etc2/new && ls /etc2/passwd'])).toMatchObject({ code: 0, stdout: '/etc2/passwd\n' });
    expect(tspod(['run', '--rm', '--mount', 'type=devpts,target=/dev/pts2,mode=620', 'busybox', 'sh', '-c', 'grep " /dev/pts2 " /proc/mounts'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^devpts \/dev\/pts2 devpts .*mode=620/) });
    expect(tspod(['run', '--rm', '--mount', 'type=ramfs,target=/r', 'busybox', 'sh', '-c', 'grep -c " /r ramfs " /proc/mounts'])).toMatchObject({ code: 0, stdout: '1\n' });
  });

  it('refuses bad --mount values with exit 125 and creates nothing', () => {
    const before = names();
    const cases: Array<[string, string]> = [
      ['type=image,source=no-such-image,target=/x', 'Error: no-such-image: image not known'],
      ['type=bind,source=/tmp,target=/x,idmap', 'Error: invalid --mount type=bind,source=/tmp,target=/x,idmap: idmap is not supported'],
      ['type=devpts,target=/p,subpath=/a', 'Error: invalid --mount type=devpts,target=/p,subpath=/a: unknown key "subpath" for type=devpts'],
      ['type=image,target=/x', 'Error: invalid --mount type=image,target=/x: an image mount needs source=IMAGE'],
      ['type=volume,source=v,target=/x,subpath=../up', 'Error: invalid --mount type=volume,source=v,target=/x,subpath=../up: subpath must name a path inside'],
    ];
    for (const [mount, message] of cases) {
      const r = tspod(['create', '--mount', mount, 'busybox']);
      expect({ mount, code: r.code, stderr: r.stderr.startsWith(message) }).toEqual({ mount, code: 125, stderr: true });
    }
    expect(names()).toEqual(before);
  });
});

describe('--env-merge and --http-proxy', () => {
  it("merges the image's variables, and passes our proxy variables unless told not to", () => {
    expect(tspod(['run', '--rm', '--env-merge', 'PATH=/opt/bin:${PATH}', '--env-merge', 'NEW=x${NOPE}y', 'busybox', 'sh', '-c', 'echo $PATH; echo $NEW'])).toMatchObject({ code: 0, stdout: '/opt/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nxy\n' });
    const proxy = { http_proxy: 'http://proxy.test:3128', NO_PROXY: 'localhost' };
    expect(tspod(['run', '--rm', 'busybox', 'sh', '-c', 'echo $http_proxy $NO_PROXY'], { env: proxy })).toMatchObject({ code: 0, stdout: 'http://proxy.test:3128 localhost\n' });
    expect(tspod(['run', '--rm', '--http-proxy=false', 'busybox', 'sh', '-c', 'echo "[$http_proxy]"'], { env: proxy })).toMatchObject({ code: 0, stdout: '[]\n' });
    expect(tspod(['run', '--rm', '-e', 'http_proxy=mine', 'busybox', 'sh', '-c', 'echo $http_proxy'], { env: proxy })).toMatchObject({ code: 0, stdout: 'mine\n' });
  });
});
