// Docker's own CLI (28, API 1.41) against `tspod system service` as the unprivileged user (issue 24):
// pull, images, ps, run --rm, run -d -p with the port answering, run -it and exec -it in tmux, logs -f,
// exec, cp both ways, inspect, build -t with the legacy builder, rmi, volume and network
// create/ls/rm, stats --no-stream and events; what the CLI prints is checked, and then what tspod
// itself sees in the same store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ApiService } from './api-harness';
import { Store, Terminal, asUser, freePort, registry, run, until, userEnv, get, type RunResult } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('api-docker-cli');
const api = new ApiService(store);
const busybox = `${registry}/library/busybox:latest`;
const work = path.join(store.dir, 'work');
const u = userEnv(store.user);

/** The command succeeded; else its exit code and stderr in the failure. */
function ok(r: RunResult): RunResult {
  expect(`exit ${r.code}: ${r.stderr}`).toBe(`exit 0: ${r.stderr}`);
  return r;
}
const docker = (args: string[], env: Record<string, string> = {}) => api.docker(args, { env, timeoutMs: 90_000 });



/** A file the test user owns, in the work directory. */
function userFile(rel: string, text: string): string {
  const p = path.join(work, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  for (let d = p; d.startsWith(work); d = path.dirname(d)) fs.chownSync(d, u.uid, u.gid);
  return p;
}

beforeAll(async () => {
  fs.mkdirSync(work, { recursive: true });
  fs.chownSync(work, u.uid, u.gid);
  await api.start();
});

afterAll(async () => {
  store.tspod(['rm', '-af', '-t', '0']);
  // a service that died during the tests says why here (its stderr)
  if (api.child?.exitCode !== null) console.error(`the service exited with ${api.child?.exitCode}: ${api.stderr}`);
  await api.stop();
  store.cleanup();
});

describe('docker CLI against tspod system service', () => {
  let port = 0;
  const since = Math.floor(Date.now() / 1000) - 1;

  it('pull shows the progress and the image is listed by docker images and tspod images', () => {
    const pull = ok(docker(['pull', busybox]));
    expect(pull.stdout).toMatch(/Status: (Downloaded newer image|Image is up to date) for /);
    expect(pull.stdout.trim().split('\n').at(-1)).toBe(busybox);
    const images = ok(docker(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']));
    const line = images.stdout.split('\n').find((l) => l.startsWith(`${registry}/library/busybox:latest `));
    expect(line, images.stdout).toBeDefined();
    const id = store.tspod(['image', 'inspect', '--format', '{{.Id}}', busybox]).stdout.trim();
    expect(id.startsWith(line!.split(' ')[1])).toBe(true);
  });

  it('ps prints the header alone when nothing runs', () => {
    const ps = ok(docker(['ps']));
    expect(ps.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/)]);
  });

  it('run --rm prints the output, passes the exit code and leaves no container', () => {
    const r = ok(docker(['run', '--rm', busybox, 'echo', 'hello from docker']));
    expect(r.stdout).toBe('hello from docker\n');
    const failed = docker(['run', '--rm', busybox, 'sh', '-c', 'exit 3']);
    expect(failed.code).toBe(3);
    expect(ok(docker(['ps', '-aq'])).stdout).toBe('');
    expect(store.tspod(['ps', '-aq']).stdout).toBe('');
  });

  it('run -d -p publishes a port that answers, and ps, inspect and tspod ps show it', async () => {
    port = await freePort();
    const r = ok(docker(['run', '-d', '--name', 'web', '-p', `${port}:80`, busybox, 'sh', '-c', 'mkdir -p /www && echo served > /www/index.html && exec httpd -f -p 80 -h /www']));
    const id = r.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(await until('GET on the published port', () => get(port), (b) => b === '200 served', 20_000)).toBe('200 served');
    const ps = ok(docker(['ps', '--format', '{{.ID}} {{.Names}} {{.Ports}}']));
    expect(ps.stdout.trim()).toMatch(new RegExp(`^${id.slice(0, 12)} web .*${port}->80/tcp`));
    const inspect = JSON.parse(ok(docker(['inspect', 'web'])).stdout)[0];
    expect(inspect.Id).toBe(id);
    expect(inspect.Name).toBe('/web');
    expect(inspect.State.Running).toBe(true);
    expect(inspect.Config.Image).toBe(busybox);
    expect(inspect.NetworkSettings.Ports['80/tcp']).toEqual([expect.objectContaining({ HostPort: String(port) })]);
    expect(ok(docker(['inspect', '-f', '{{.State.Status}} {{.HostConfig.PortBindings}}', 'web'])).stdout.trim()).toMatch(new RegExp(`^running map\\[80/tcp:\\[\\{\\S* ${port}\\}\\]\\]$`));
    expect(store.tspod(['ps', '--format', '{{.ID}} {{.Names}}']).stdout.trim()).toBe(`${id.slice(0, 12)} web`);
  });

  it('inspect of a container that does not exist fails as Docker says', () => {
    const r = docker(['inspect', 'nosuchthing']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no such object: nosuchthing/i);
  });

  it('exec runs in the container and passes the exit code', () => {
    expect(ok(docker(['exec', 'web', 'cat', '/www/index.html'])).stdout).toBe('served\n');
    expect(docker(['exec', 'web', 'sh', '-c', 'exit 4']).code).toBe(4);
  });

  it('exec -i passes stdin through', () => {
    const r = api.docker(['exec', '-i', 'web', 'tr', 'a-z', 'A-Z'], { input: 'shout\n', timeoutMs: 30_000 });
    expect(`${r.code} ${r.stdout}`).toBe('0 SHOUT\n');
  });

  it('cp copies a file into the container and one out of it', () => {
    const src = userFile('in/greeting.txt', 'copied in\n');
    ok(docker(['cp', src, 'web:/tmp/greeting.txt']));
    expect(ok(docker(['exec', 'web', 'cat', '/tmp/greeting.txt'])).stdout).toBe('copied in\n');
    const out = path.join(work, 'out');
    fs.mkdirSync(out);
    fs.chownSync(out, u.uid, u.gid);
    ok(docker(['cp', 'web:/www/index.html', path.join(out, 'index.html')]));
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toBe('served\n');
    const missing = docker(['cp', 'web:/no/such/file', out]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file or directory|could not find the file/i);
  });

  it('logs -f follows until the container exits', () => {
    ok(docker(['run', '-d', '--name', 'counter', busybox, 'sh', '-c', 'for i in 1 2 3; do echo line$i; sleep 0.3; done; echo err >&2']));
    const r = ok(docker(['logs', '-f', 'counter']));
    expect(r.stdout).toBe('line1\nline2\nline3\n');
    expect(r.stderr).toBe('err\n');
    expect(ok(docker(['logs', '--tail', '1', 'counter'])).stderr).toBe('err\n');
    expect(ok(docker(['wait', 'counter'])).stdout.trim()).toBe('0');
    ok(docker(['rm', 'counter']));
  });

  it('run -it gives a terminal in tmux, and exec -it another', async () => {
    const explain = (err: Error) => {
      const ps = spawnSync('ps', ['-u', store.user, '-o', 'pid,ppid,stat,wchan:20,args'], { encoding: 'utf8' }).stdout;
      throw new Error(`${err.message}\nthe user's processes:\n${ps}\nthe service's stderr:\n${api.stderr}`);
    };
    // A shell around the client says when it returned and with what: tmux's own "Pane is dead" came
    // late now and then on a loaded machine (the client already a zombie tmux had not reaped).
    const ended = /^docker exited (\d+)$/m;
    const t = new Terminal('api-docker-it');
    const env = `DOCKER_HOST=${api.host} DOCKER_CONFIG=${path.join(store.dir, 'docker-config')}`;
    try {
      t.start(`env ${env} docker run -it --rm --name tty ${busybox} sh; echo docker exited $?`);
      await t.waitFor(/^\/ #/m);
      t.type('echo $((6*7)) $(tty)');
      await t.waitFor(/^42 \/dev\/pts\/\d+/m);
      t.type('exit 3');
      expect(ended.exec(await t.waitFor(ended).catch(explain))?.[1]).toBe('3');
      t.kill();
      const t2 = new Terminal('api-docker-exec-it');
      try {
        t2.start(`env ${env} docker exec -it web sh; echo docker exited $?`);
        await t2.waitFor(/^\/ #/m);
        t2.type('echo in-$(cat /www/index.html) $(tty)');
        await t2.waitFor(/^in-served \/dev\/pts\/\d+/m);
        t2.type('exit 4');
        expect(ended.exec(await t2.waitFor(ended).catch(explain))?.[1]).toBe('4');
      } finally {
        t2.kill();
      }
    } finally {
      t.kill();
      const left = docker(['ps', '-a', '--format', '{{.Names}}']).stdout.trim();
      if (left !== 'web') docker(['rm', '-f', 'tty']);
    }
    expect(ok(docker(['ps', '-a', '--format', '{{.Names}}'])).stdout.trim()).toBe('web');
  });

  it('stats --no-stream prints one row for the running container', () => {
    const r = ok(docker(['stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}', 'web']));
    expect(r.stdout.trim()).toMatch(/^web \d+(\.\d+)?[KMG]i?B \/ /);
  });

  it('build -t with the legacy builder, run the image, then rmi it', () => {
    const ctx = path.dirname(userFile('ctx/Dockerfile', `FROM ${busybox}\nCOPY hello.txt /hello.txt\nRUN echo built >> /hello.txt\nCMD ["cat", "/hello.txt"]\n`));
    userFile('ctx/hello.txt', 'from context\n');
    const b = ok(docker(['build', '-t', 'apibuilt:v1', ctx], { DOCKER_BUILDKIT: '0' }));
    expect(b.stdout).toMatch(/Step 1\/4 : FROM /);
    expect(b.stdout).toMatch(/Successfully built [0-9a-f]{12}/);
    expect(b.stdout).toMatch(/Successfully tagged apibuilt:v1/);
    expect(ok(docker(['run', '--rm', 'apibuilt:v1'])).stdout).toBe('from context\nbuilt\n');
    const bad = docker(['build', '-t', 'apibad', path.dirname(userFile('bad/Dockerfile', `FROM ${busybox}\nRUN exit 7\n`))], { DOCKER_BUILDKIT: '0' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr + bad.stdout).toMatch(/exit (code|status):? 7|returned a non-zero code: 7/);
    const rmi = ok(docker(['rmi', 'apibuilt:v1']));
    expect(rmi.stdout).toMatch(/Untagged: .*apibuilt:v1/);
    expect(rmi.stdout).toMatch(/Deleted: sha256:[0-9a-f]{64}/);
    expect(store.tspod(['image', 'exists', 'apibuilt:v1']).code).toBe(1);
    // a 404 in Docker's words
    const again = docker(['rmi', 'apibuilt:v1']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^Error response from daemon: No such image: apibuilt:v1$/m);
  });

  it('volume create/ls/rm, used by a container', () => {
    expect(ok(docker(['volume', 'create', 'apidata'])).stdout.trim()).toBe('apidata');
    ok(docker(['run', '--rm', '-v', 'apidata:/data', busybox, 'sh', '-c', 'echo kept > /data/f']));
    expect(ok(docker(['run', '--rm', '-v', 'apidata:/data', busybox, 'cat', '/data/f'])).stdout).toBe('kept\n');
    expect(ok(docker(['volume', 'ls', '--format', '{{.Name}} {{.Driver}}'])).stdout.trim()).toBe('apidata local');
    expect(ok(docker(['volume', 'inspect', '-f', '{{.Name}}', 'apidata'])).stdout.trim()).toBe('apidata');
    expect(ok(docker(['volume', 'rm', 'apidata'])).stdout.trim()).toBe('apidata');
    expect(store.tspod(['volume', 'ls', '-q']).stdout).toBe('');
    expect(docker(['volume', 'rm', 'apidata']).code).toBe(1);
  });

  it('network create/ls/rm, and containers on it find each other by name', () => {
    const id = ok(docker(['network', 'create', 'apinet'])).stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(ok(docker(['network', 'ls', '--format', '{{.Name}}'])).stdout.split('\n')).toContain('apinet');
    ok(docker(['run', '-d', '--name', 'peer', '--network', 'apinet', busybox, 'sleep', '300']));
    const peerIp = ok(docker(['inspect', '-f', '{{.NetworkSettings.Networks.apinet.IPAddress}}', 'peer'])).stdout.trim();
    expect(peerIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // busybox's own resolver (the static busybox's wget and nc crash in getaddrinfo)
    const lookup = ok(docker(['run', '--rm', '--network', 'apinet', busybox, 'nslookup', 'peer'])).stdout;
    expect(lookup).toMatch(new RegExp(`^Name:\\s+peer(\\.\\S+)?\\nAddress: ${peerIp.replace(/\./g, '\\.')}$`, 'm'));
    expect(ok(docker(['network', 'inspect', '-f', '{{.Name}} {{.Driver}}', 'apinet'])).stdout.trim()).toBe('apinet bridge');
    const busy = docker(['network', 'rm', 'apinet']);
    expect(busy.code).toBe(1);
    ok(docker(['rm', '-f', 'peer']));
    expect(ok(docker(['network', 'rm', 'apinet'])).stdout.trim()).toBe('apinet');
    expect(store.tspod(['network', 'exists', 'apinet']).code).toBe(1);
  });

  it('stop, start and rm -f, and events reports them in order', () => {
    ok(docker(['stop', '-t', '1', 'web']));
    expect(ok(docker(['inspect', '-f', '{{.State.Running}}', 'web'])).stdout.trim()).toBe('false');
    ok(docker(['start', 'web']));
    expect(ok(docker(['inspect', '-f', '{{.State.Running}}', 'web'])).stdout.trim()).toBe('true');
    ok(docker(['rm', '-f', 'web']));
    const until = Math.floor(Date.now() / 1000) + 1;
    const ev = ok(docker(['events', '--since', String(since), '--until', String(until), '--filter', 'container=web', '--format', '{{.Type}} {{.Action}}']));
    const actions = ev.stdout.trim().split('\n');
    // create, start, (kill/die/stop), start again, destroy last: Docker's action names, in order
    const seen = actions.filter((a) => ['container create', 'container start', 'container destroy'].includes(a));
    expect(seen, ev.stdout).toEqual(['container create', 'container start', 'container start', 'container destroy']);
    expect(actions, ev.stdout).toContain('container die');
    expect(store.tspod(['ps', '-aq']).stdout).toBe('');
  });

  it('generate systemd --api: its ExecStart under socket activation answers the CLI, and exits when idle', async () => {
    const units = JSON.parse(ok(store.tspod(['generate', 'systemd', '--api', '--time', '2', '--format', 'json'])).stdout);
    expect(Object.keys(units)).toEqual(['tspod.socket', 'tspod.service']);
    expect(units['tspod.socket']).toMatch(/^ListenStream=%t\/tspod\/tspod\.sock$/m);
    const execStart = /^ExecStart=(.*)$/m.exec(units['tspod.service'])![1];
    expect(execStart).toMatch(/ --root \S+ --runroot \S+ system service --time 2$/);
    // systemd-socket-activate does what tspod.socket asks systemd to do: listen, then start the service
    // at the first connection with the listening socket as fd 3 (LISTEN_FDS, LISTEN_PID)
    const sock = path.join(store.dir, 'activated.sock');
    const argv = asUser(['systemd-socket-activate', '-l', sock, '-E', 'HOME', '-E', 'PATH', '-E', 'XDG_RUNTIME_DIR', ...execStart.split(' ')], {}, store.user);
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until('the activation socket', () => fs.existsSync(sock), (v) => v);
      const v = run(['docker', 'version', '--format', '{{.Server.APIVersion}}'], { user: store.user, env: { DOCKER_HOST: `unix://${sock}` } });
      expect(`${v.code} ${v.stdout.trim()}`, v.stderr + stderr).toBe('0 1.41');
      const ps = run(['docker', 'ps', '-a', '--format', '{{.Names}}'], { user: store.user, env: { DOCKER_HOST: `unix://${sock}` } });
      expect(ps.stderr).toBe('');
      const started = Date.now();
      expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))]), stderr).toBe(0);
      expect(Date.now() - started).toBeGreaterThan(1000);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
