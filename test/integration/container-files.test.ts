// A container's files and figures as the unprivileged user: cp in both directions (running and
// stopped, owners as the container's user sees them, tar streams), diff and commit (an image that
// run and push use, deletions carried as whiteouts), stats read from /proc, and pause's refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Store, mirrorDockerHub, registry, userEnv } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('container-files');
let env: Record<string, string> = {};
const tspod = (args: string[], input?: string | Buffer) => store.tspod(args, { env, input: input as string });
const user = userEnv();
let host: string;

/** A file or directory on the host that the test user owns, as files of theirs would be. */
function own(p: string): void {
  fs.chownSync(p, user.uid, user.gid);
}

beforeAll(() => {
  env = mirrorDockerHub(store, ['debian', 'busybox']);
  host = path.join(store.dir, 'host');
  fs.mkdirSync(host);
  own(host);
});

afterAll(() => {
  tspod(['rm', '-af']);
  store.cleanup();
});

describe('cp', () => {
  it('copies a file into a running container and back out; owners inside are the user inside', () => {
    fs.writeFileSync(`${host}/note.txt`, 'from the host\n', { mode: 0o751 });
    own(`${host}/note.txt`);
    fs.chmodSync(`${host}/note.txt`, 0o751);
    expect(tspod(['run', '-d', '--name', 'box', '--user', '1000:1000', 'busybox', 'sleep', '1000']).code).toBe(0);
    const into = tspod(['cp', `${host}/note.txt`, 'box:/tmp/']);
    expect(into.code, into.stderr).toBe(0);
    expect(into.stdout).toBe('');
    expect(tspod(['exec', 'box', 'stat', '-c', '%u:%g %a %s', '/tmp/note.txt']).stdout).toBe('1000:1000 751 14\n');
    // --archive=false keeps the owner it had: the host user is root inside.
    expect(tspod(['cp', '--archive=false', `${host}/note.txt`, 'box:/tmp/kept']).code).toBe(0);
    expect(tspod(['exec', 'box', 'stat', '-c', '%u', '/tmp/kept']).stdout).toBe('0\n');
    // Out again: the user's own file on the host, same bytes and mode.
    const out = tspod(['cp', 'box:/tmp/note.txt', `${host}/back.txt`]);
    expect(out.code, out.stderr).toBe(0);
    expect(fs.readFileSync(`${host}/back.txt`, 'utf8')).toBe('from the host\n');
    const st = fs.statSync(`${host}/back.txt`);
    expect([st.uid, st.mode & 0o777]).toEqual([user.uid, 0o751]);
    // diff lists the change.
    expect(tspod(['diff', 'box']).stdout).toMatch(/^A \/tmp\/note.txt$/m);
  });

  it('copies into and out of a stopped container, and directories by Docker\'s rules', () => {
    expect(tspod(['create', '--name', 'idle', 'debian', 'true']).code).toBe(0);
    fs.mkdirSync(`${host}/site/css`, { recursive: true });
    fs.writeFileSync(`${host}/site/index.html`, '<h1>hi</h1>\n');
    fs.writeFileSync(`${host}/site/css/a.css`, 'b{}\n');
    for (const p of [`${host}/site`, `${host}/site/css`, `${host}/site/index.html`, `${host}/site/css/a.css`]) own(p);
    expect(tspod(['cp', `${host}/site`, 'idle:/srv/www']).code).toBe(0); // a new name
    expect(tspod(['cp', `${host}/site`, 'idle:/srv']).code).toBe(0); // inside an existing directory
    expect(tspod(['cp', `${host}/site/.`, 'idle:/opt']).code).toBe(0); // only the contents
    const list = tspod(['cp', 'idle:/srv', '-']);
    expect(list.code, list.stderr).toBe(0);
    fs.writeFileSync(`${host}/srv.tar`, list.stdout, 'latin1');
    const names = spawnSync('tar', ['tf', `${host}/srv.tar`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort();
    expect(names).toEqual(['srv/', 'srv/site/', 'srv/site/css/', 'srv/site/css/a.css', 'srv/site/index.html', 'srv/www/', 'srv/www/css/', 'srv/www/css/a.css', 'srv/www/index.html']);
    expect(tspod(['cp', 'idle:/opt/index.html', `${host}/idx`]).code).toBe(0);
    expect(fs.readFileSync(`${host}/idx`, 'utf8')).toBe('<h1>hi</h1>\n');
    // The rootfs was mounted for the copy only: the container starts and sees the files.
    expect(tspod(['start', '-a', 'idle']).code).toBe(0);
    const run = spawnSync('tar', ['cf', '-', '-C', `${host}/site`, 'index.html'], { encoding: 'latin1' });
    expect(tspod(['cp', '-', 'idle:/root'], Buffer.from(run.stdout, 'latin1')).code).toBe(0);
    expect(tspod(['diff', 'idle']).stdout).toMatch(/^A \/root\/index.html$/m);
  });

  it('says what is wrong, with exit 125, and copies nothing', () => {
    const missing = tspod(['cp', 'box:/no/such', host]);
    expect([missing.code, missing.stderr.trim()]).toEqual([125, 'Error: "/no/such" in container box could not be found: no such file or directory']);
    const twoHosts = tspod(['cp', `${host}/a`, `${host}/b`]);
    expect(twoHosts.code).toBe(125);
    expect(twoHosts.stderr).toMatch(/one of .* must be CONTAINER:PATH/);
    expect(tspod(['cp', `${host}/idx`, 'nobox:/tmp']).stderr).toMatch(/no container with name or ID "nobox" found/);
    const dirOnFile = tspod(['cp', `${host}/site`, 'box:/tmp/note.txt']);
    expect(dirOnFile.code).toBe(125);
    expect(dirOnFile.stderr).toMatch(/cannot copy a directory onto the file "\/tmp\/note.txt" in container box/);
    expect(tspod(['exec', 'box', 'cat', '/tmp/note.txt']).stdout).toBe('from the host\n');
  });
});

describe('commit', () => {
  it('makes an image of the changes, deletions included, that run sees and push sends', () => {
    const made = tspod(['run', '--name', 'changer', 'debian', 'sh', '-c', 'echo built > /root/made && rm /etc/debian_version && rm -rf /etc/apt && mkdir /etc/apt && touch /etc/apt/only']);
    expect(made.code, made.stderr).toBe(0);
    const commit = tspod(['commit', '-m', 'my change', '-a', 'Tess <t@example.com>', '-c', 'CMD=["cat","/root/made"]', '-c', 'ENV=STAGE=two', 'changer', 'localhost/changed:v1']);
    expect(commit.code, commit.stderr).toBe(0);
    expect(commit.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(tspod(['run', '--rm', 'localhost/changed:v1']).stdout).toBe('built\n');
    const seen = tspod(['run', '--rm', 'localhost/changed:v1', 'sh', '-c', 'ls /etc/apt; test -e /etc/debian_version || echo gone; echo $STAGE']);
    expect(seen.stdout).toBe('only\ngone\ntwo\n');
    const inspect = JSON.parse(tspod(['image', 'inspect', 'localhost/changed:v1']).stdout)[0];
    expect(inspect.Author).toBe('Tess <t@example.com>');
    expect(inspect.Comment ?? inspect.History?.at(-1)?.comment).toBe('my change');
    expect(tspod(['image', 'history', '--format', '{{.Comment}}', 'localhost/changed:v1']).stdout.split('\n')[0]).toBe('my change');
    // Push it and pull it back under another name.
    const push = tspod(['push', '--tls-verify=false', 'localhost/changed:v1', `${registry}/tests/changed:v1`]);
    expect(push.code, push.stderr).toBe(0);
    expect(tspod(['rmi', 'localhost/changed:v1']).code).toBe(0);
    expect(tspod(['pull', '-q', '--tls-verify=false', `${registry}/tests/changed:v1`]).code).toBe(0);
    expect(tspod(['run', '--rm', `${registry}/tests/changed:v1`]).stdout).toBe('built\n');
    expect(tspod(['events', '--since', '2000-01-01T00:00:00Z', '--stream=false', '--filter', 'event=commit', '--format', '{{.Name}}']).stdout).toBe('changer\n');
  });

  it('commits a running container, and refuses bad changes and --pause without a freezer', () => {
    expect(tspod(['run', '-d', '--name', 'live', 'busybox', 'sh', '-c', 'echo 1 > /state; sleep 1000']).code).toBe(0);
    const bad = tspod(['commit', '-c', 'FROB=x', 'live', 'localhost/bad']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toMatch(/FROB/);
    expect(tspod(['image', 'exists', 'localhost/bad']).code).toBe(1);
    const paused = tspod(['commit', '--pause', 'live', 'localhost/bad']);
    expect(paused.code).toBe(125);
    expect(paused.stderr).toMatch(/cannot pause live: .*freezer/);
    const ok = tspod(['commit', 'live', 'localhost/live']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(tspod(['run', '--rm', 'localhost/live', 'cat', '/state']).stdout).toBe('1\n');
    // Without a name: a dangling image, listed by its ID.
    const anon = tspod(['commit', 'live']).stdout.trim();
    expect(tspod(['images', '-q', '--no-trunc']).stdout).toContain(anon);
  });
});

describe('stats and pause', () => {
  it('reports CPU, memory and PIDs of running containers from /proc', async () => {
    expect(tspod(['run', '-d', '--name', 'busy', 'busybox', 'sh', '-c', 'sleep 1000 & while :; do :; done']).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    const table = tspod(['stats', '--no-stream']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET IO\s+BLOCK IO\s+PIDS\s+CPU TIME\s+AVG CPU %$/);
    const rows = JSON.parse(tspod(['stats', '--no-stream', '--format', 'json', 'busy']).stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0].name).toBe('busy');
    expect(Number(rows[0].cpu_percent.replace('%', ''))).toBeGreaterThan(30);
    expect(rows[0].pids).toBe('2'); // sh and sleep
    expect(rows[0].mem_usage).toMatch(/^[\d.]+[kM]B \/ [\d.]+GB$/);
    expect(tspod(['stats', '--no-stream', '--format', '{{.Name}} {{.PIDs}}', 'box']).stdout).toBe('box 1\n');
    const stopped = tspod(['stats', '--no-stream', 'changer']);
    expect(stopped.code).toBe(125);
    expect(stopped.stderr).toMatch(/cannot get stats of changer: it is exited/);
  });

  it('pause says why it cannot freeze a rootless container here, and changes nothing', () => {
    const r = tspod(['pause', 'busy']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/cannot pause busy: pause needs the cgroup freezer, and on this host \(cgroups v1\)/);
    expect(tspod(['ps', '--filter', 'name=busy', '--format', '{{.State}}']).stdout).toBe('running\n');
    const u = tspod(['unpause', 'busy']);
    expect([u.code, u.stderr.trim()]).toEqual([125, 'Error: busy is not paused: it is running']);
  });
});
