// `tspod system service` itself, as the unprivileged user: where it listens and who may connect,
// Docker's errors for bad requests, the idle exit with containers left running (held off by a
// running exec, not by clients that left streams behind), socket activation
// (systemd's LISTEN_FDS through systemd-socket-activate) and the system endpoints Docker's CLI uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Store, asUser, noSubUser, registry, run, tspodBin, until } from './harness';
import { ApiService } from './api-harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('api-service');
const api = new ApiService(store);
const busybox = `${registry}/library/busybox`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  expect(store.tspod(['pull', '-q', busybox]).code).toBe(0);
  await api.start();
});

afterAll(async () => {
  await api.stop();
  store.tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

/** Connects to a Unix socket as another user (node, as that user): 'ok' or the error's code. */
function connectAs(user: string, socket: string): string {
  const script = `require('net').connect(${JSON.stringify(socket)}).on('connect', () => { console.log('ok'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); });`;
  return run(['node', '-e', script], { user }).stdout.trim();
}

describe('tspod system service', () => {
  it('makes its socket 0600 and refuses another user; the default is $XDG_RUNTIME_DIR/tspod/tspod.sock in a 0700 directory', async () => {
    expect(fs.statSync(api.socket).mode & 0o777).toBe(0o600);
    if (!noSubUser) throw new Error('TSPOD_NOSUB_USER is not set: run the tests through scripts/test.sh as root');
    // The store's directory is private already; the socket's mode is what refuses, so open the way to it.
    fs.chmodSync(store.dir, 0o755);
    try {
      expect(connectAs(noSubUser, api.socket)).toBe('EACCES');
      expect(connectAs(store.user, api.socket)).toBe('ok');
    } finally {
      fs.chmodSync(store.dir, 0o700);
    }
    // The default address, under a runtime directory of the test's own.
    const xdg = path.join(store.dir, 'xdg');
    expect(run(['mkdir', '-m', '0700', xdg]).code).toBe(0);
    const argv = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, 'system', 'service', '--time', '3'], { XDG_RUNTIME_DIR: xdg }, store.user);
    const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    const sock = path.join(xdg, 'tspod', 'tspod.sock');
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(sock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(fs.statSync(sock).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(sock)).mode & 0o777).toBe(0o700);
    expect(await exited).toBe(0);
  });

  it("answers Docker's errors: unknown endpoint, malformed JSON, no such object, a version out of range", async () => {
    expect(await api.request('GET', '/v1.41/nothing/here')).toMatchObject({ status: 404, json: { message: 'page not found' } });
    expect(await api.request('GET', '/v1.12/version')).toMatchObject({ status: 400, json: { message: 'client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version' } });
    expect(await api.request('GET', '/v1.99/version')).toMatchObject({ status: 400, json: { message: 'client version 1.99 is too new. Maximum supported API version is 1.41' } });
    const bad = await api.request('POST', '/v1.41/containers/create', '{"Image": ', { 'Content-Type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/^invalid JSON: /);
    expect(store.tspod(['ps', '-aq']).stdout).toBe('');
    expect(await api.request('GET', '/v1.41/containers/nosuch/json')).toMatchObject({ status: 404 });
    expect((await api.request('GET', '/v1.41/containers/nosuch/json')).json.message).toBe('No such container: nosuch');
    expect(await api.request('GET', '/events?filters=notjson')).toMatchObject({ status: 400, json: { message: 'invalid filter: notjson' } });
    // Every answer names the API version.
    expect((await api.request('GET', '/_ping')).headers['api-version']).toBe('1.41');
  });

  it("serves the system endpoints Docker's CLI reads: version, info, system df, events", async () => {
    const v = api.docker(['version', '--format', '{{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Server.Os}}']);
    expect([v.code, v.stdout]).toEqual([0, '1.41 1.24 linux\n']);
    const info = api.docker(['info', '--format', '{{json .}}']);
    expect(info.code, info.stderr).toBe(0);
    const i = JSON.parse(info.stdout);
    expect(i).toMatchObject({ OSType: 'linux', Driver: 'overlay', DockerRootDir: store.root, Images: 1, Containers: 0 });
    const df = api.docker(['system', 'df', '--format', '{{.Type}} {{.TotalCount}}']);
    expect(df.stdout).toBe('Images 1\nContainers 0\nLocal Volumes 0\nBuild Cache 0\n');
    // Events: a stream the CLI reads while a volume is made and removed by tspod's own CLI.
    const since = Math.floor(Date.now() / 1000) - 1;
    expect(store.tspod(['volume', 'create', 'evvol']).code).toBe(0);
    expect(store.tspod(['volume', 'rm', 'evvol']).code).toBe(0);
    const until = Math.floor(Date.now() / 1000) + 1;
    const ev = api.docker(['events', '--since', String(since), '--until', String(until), '--format', '{{.Type}} {{.Action}} {{.Actor.ID}}']);
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.stdout).toBe('volume create evvol\nvolume destroy evvol\n');
  });

  it('a client that goes away mid-stream ends its stream only; the service goes on answering', async () => {
    const sock = net.connect(api.socket);
    await new Promise((r) => sock.once('connect', r));
    sock.write('GET /v1.41/events HTTP/1.1\r\nHost: d\r\n\r\n');
    const head = await new Promise<string>((r) => sock.once('data', (d) => r(d.toString())));
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    sock.destroy();
    expect((await api.request('GET', '/_ping')).text).toBe('OK');
  });

  it('exits after --time idle seconds; what it started keeps running and tspod ps shows it', async () => {
    const idle = new ApiService(store, 'idle.sock');
    await idle.start(2);
    const created = await idle.request('POST', '/v1.41/containers/create?name=outlives', { Image: busybox, Cmd: ['sleep', '1000'] });
    expect(created.status, created.text).toBe(201);
    expect((await idle.request('POST', `/v1.41/containers/${created.json.Id}/start`)).status).toBe(204);
    const t0 = Date.now();
    expect(await idle.exited).toBe(0);
    // Two idle seconds after the last request; a loaded machine gets some slack.
    expect(Date.now() - t0).toBeGreaterThan(1500);
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(fs.existsSync(idle.socket)).toBe(false);
    expect(store.tspod(['ps', '--format', '{{.Names}} {{.State}}']).stdout).toBe('outlives running\n');
    expect(store.tspod(['rm', '-f', '-t', '0', 'outlives']).code).toBe(0);
  });

  it('stays up while a detached exec runs, records its end, then exits after the idle time', async () => {
    // The container first: the service would be gone after one idle second of `tspod run`.
    expect(store.tspod(['run', '-d', '--name', 'execheld', busybox, 'sleep', '1000']).code).toBe(0);
    const held = new ApiService(store, 'exec-held.sock');
    await held.start(1);
    try {
      const created = await held.request('POST', '/v1.41/containers/execheld/exec', { Cmd: ['sh', '-c', 'sleep 3; echo done > /tmp/f'] });
      expect(created.status, created.text).toBe(201);
      const t0 = Date.now();
      expect((await held.request('POST', `/v1.41/exec/${created.json.Id}/start`, { Detach: true })).status).toBe(200);
      // Twice the idle time with no request open: the exec alone holds the service.
      await sleep(2000);
      expect((await held.request('GET', `/v1.41/exec/${created.json.Id}/json`)).json).toMatchObject({ Running: true, ExitCode: null });
      for (let i = 0; i < 100; i++) {
        const doc = (await held.request('GET', `/v1.41/exec/${created.json.Id}/json`)).json;
        if (!doc.Running) break;
        await sleep(100);
      }
      expect((await held.request('GET', `/v1.41/exec/${created.json.Id}/json`)).json).toMatchObject({ Running: false, ExitCode: 0 });
      expect(await Promise.race([held.exited, sleep(8000).then(() => 'still running')])).toBe(0);
      expect(Date.now() - t0).toBeGreaterThan(3000);
      expect(store.tspod(['exec', 'execheld', 'cat', '/tmp/f']).stdout).toBe('done\n');
    } finally {
      await held.stop();
      store.tspod(['rm', '-f', '-t', '0', 'execheld']);
    }
  });

  it('exits after the idle time though clients left a wait and an attach on a running container', async () => {
    expect(store.tspod(['run', '-d', '--name', 'quiet', busybox, 'sleep', '1000']).code).toBe(0);
    const left = new ApiService(store, 'left.sock');
    await left.start(1);
    try {
      // Each request gets its answer's head, then the client is gone without a word.
      const abandon = async (head: string, expected: RegExp) => {
        const sock = net.connect(left.socket);
        await new Promise((r) => sock.once('connect', r));
        sock.write(head);
        expect(await new Promise<string>((r) => sock.once('data', (d) => r(d.toString())))).toMatch(expected);
        sock.destroy();
      };
      await abandon('POST /v1.41/containers/quiet/wait HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n', /^HTTP\/1\.1 200 OK\r\n/);
      await abandon('POST /v1.41/containers/quiet/attach?stream=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n', /^HTTP\/1\.1 101 UPGRADED\r\n/);
      await abandon('POST /v1.41/containers/quiet/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n', /^HTTP\/1\.1 101 UPGRADED\r\n/);
      expect(await Promise.race([left.exited, sleep(8000).then(() => 'still running')])).toBe(0);
      // The attach was left as a detach is: the container runs on.
      expect(store.tspod(['ps', '--filter', 'name=quiet', '--format', '{{.State}}']).stdout).toBe('running\n');
    } finally {
      await left.stop();
      store.tspod(['rm', '-f', '-t', '0', 'quiet']);
    }
  });

  it('stopped (SIGTERM) with a stream, an attach and an exec open, exits 0 at once; the container and the detached exec run on', async () => {
    const stopped = new ApiService(store, 'stopped.sock');
    await stopped.start(0);
    try {
      expect(store.tspod(['run', '-d', '--name', 'staying', busybox, 'sleep', '1000']).code).toBe(0);
      const open = async (head: string) => {
        const sock = net.connect(stopped.socket);
        sock.on('error', () => undefined);
        await new Promise((r) => sock.once('connect', r));
        sock.write(head);
        await new Promise((r) => sock.once('data', r));
        return sock;
      };
      const events = await open('GET /v1.41/events HTTP/1.1\r\nHost: d\r\n\r\n');
      const attach = await open('POST /v1.41/containers/staying/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
      // A detached exec that writes output after the stop: it must not die of a broken pipe.
      const script = 'for i in 1 2 3 4; do echo out $i; echo err $i >&2; sleep 0.5; done; echo lived > /tmp/after-stop';
      const created = await stopped.request('POST', '/v1.41/containers/staying/exec', { Cmd: ['sh', '-c', script], AttachStdout: false, AttachStderr: false });
      expect((await stopped.request('POST', `/v1.41/exec/${created.json.Id}/start`, { Detach: true })).status).toBe(200);
      // The service itself (runuser's child) gets the signal, as systemd's KillMode=process sends
      // it; runuser would pass a signal of its own on and then end by that signal, not by the code.
      const pid = Number(run(['pgrep', '-P', String(stopped.child!.pid)]).stdout.trim());
      expect(pid).toBeGreaterThan(0);
      const t0 = Date.now();
      process.kill(pid, 'SIGTERM');
      expect(await stopped.exited).toBe(0);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(stopped.stderr).toBe('');
      events.destroy();
      attach.destroy();
      expect(store.tspod(['ps', '--filter', 'name=staying', '--format', '{{.State}}']).stdout).toBe('running\n');
      await until('the detached exec finished after the stop', () => store.tspod(['exec', 'staying', 'cat', '/tmp/after-stop']).stdout, (out) => out === 'lived\n', 10_000);
    } finally {
      await stopped.stop();
      store.tspod(['rm', '-f', '-t', '0', 'staying']);
    }
  });

  it('takes the listening socket systemd passes (LISTEN_FDS), started on the first connection', async () => {
    const sock = path.join(store.dir, 'activated.sock');
    const argv = asUser(['systemd-socket-activate', '-l', sock, tspodBin, '--root', store.root, '--runroot', store.runroot, 'system', 'service', '--time', '1'], {}, store.user);
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    try {
      const deadline = Date.now() + 10_000;
      while (!fs.existsSync(sock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const activated = new ApiService(store, 'activated.sock');
      const r = await activated.request('GET', '/v1.41/version');
      expect(r.status, stderr).toBe(200);
      expect(r.json.ApiVersion).toBe('1.41');
      const info = activated.docker(['info', '--format', '{{.OSType}}']);
      expect(info.stdout, info.stderr).toBe('linux\n');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('listens on tcp only when asked, and warns that nothing authenticates there', async () => {
    const port = 20000 + (process.pid % 20000);
    const argv = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, 'system', 'service', '--time', '1', `tcp://127.0.0.1:${port}`], {}, store.user);
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    let answer = '';
    const deadline = Date.now() + 20_000;
    while (!answer && Date.now() < deadline) {
      answer = await fetch(`http://127.0.0.1:${port}/_ping`).then((r) => r.text(), () => '');
      if (!answer) await new Promise((r) => setTimeout(r, 100));
    }
    expect(answer).toBe('OK');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/the API on tcp:\/\/127\.0\.0\.1:\d+ has no authentication/);
    const bad = store.tspod(['system', 'service', 'http://x']);
    expect([bad.code, bad.stderr]).toEqual([125, 'Error: invalid service address "http://x": use unix:///path/to/socket or tcp://127.0.0.1:PORT\n']);
  });
});
