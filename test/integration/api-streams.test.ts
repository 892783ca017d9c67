// The API's streams and files as the unprivileged user's service serves them: logs (framed, tail,
// since, timestamps, follow until the client goes), exec sessions over an upgraded connection
// (stdin in, stdout and stderr framed, exit code and PID in inspect; a TTY one raw, with its size),
// attach (to a running container; to a created one before its start, as docker run does), export
// and archive GET/HEAD/PUT (a client that stalls mid-transfer holds no one up); then Docker's own
// CLI on the same endpoints.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { Store, Terminal, registry, until, userTempDir } from './harness';
import { ApiService } from './api-harness';
import { unframe } from '../../api/stream-frames';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('api-streams');
const api = new ApiService(store);
const busybox = `${registry}/library/busybox`;
const tspod = (args: string[], input?: string) => store.tspod(args, { input });

/** A request upgraded to a raw stream (as Docker's CLI makes attach and exec start): the head, then everything until the server closes. */
function upgraded(method: string, urlPath: string, body: unknown, input?: (sock: net.Socket) => void): Promise<{ head: string; data: Buffer }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(api.socket);
    const payload = Buffer.from(body === undefined ? '' : JSON.stringify(body));
    sock.write(`${method} ${urlPath} HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`);
    sock.write(payload);
    let buf = Buffer.alloc(0);
    let head: string | undefined;
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (head === undefined) {
        const at = buf.indexOf('\r\n\r\n');
        if (at < 0) return;
        head = buf.subarray(0, at).toString();
        buf = buf.subarray(at + 4);
        input?.(sock);
      }
    });
    const timer = setTimeout(() => reject(new Error(`no end of ${urlPath} within 30 s; got ${JSON.stringify(buf.toString())}`)), 30_000);
    sock.on('end', () => {
      clearTimeout(timer);
      resolve({ head: head ?? '', data: buf });
    });
    sock.on('error', reject);
  });
}

/** The framed chunks of a multiplexed stream as text per stream (1 stdout, 2 stderr); nothing left over. */
function streams(data: Buffer): { out: string; err: string } {
  const { chunks, rest } = unframe(data);
  expect(rest.length).toBe(0);
  return { out: chunks.filter((c) => c.stream === 1).map((c) => c.data.toString()).join(''), err: chunks.filter((c) => c.stream === 2).map((c) => c.data.toString()).join('') };
}

async function execCreate(container: string, body: Record<string, unknown>): Promise<string> {
  const r = await api.request('POST', `/v1.41/containers/${container}/exec`, body);
  expect(r.status, r.text).toBe(201);
  return r.json.Id as string;
}

beforeAll(async () => {
  expect(tspod(['pull', '-q', busybox]).code).toBe(0);
  await api.start();
  expect(tspod(['run', '-d', '--name', 'talker', busybox, 'sh', '-c', 'echo one; echo two >&2; sleep 0.3; echo three; exec sleep 600']).code).toBe(0);
  expect(tspod(['run', '-d', '-i', '--name', 'reader', busybox, 'sh', '-c', 'while read l; do echo "out:$l"; echo "err:$l" >&2; done; echo bye']).code).toBe(0);
  expect(tspod(['run', '-d', '--name', 'files', busybox, 'sleep', '600']).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await api.stop();
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

describe('logs', () => {
  it('frames stdout and stderr, keeps the last lines with tail, stamps them with timestamps', async () => {
    const all = await api.request('GET', '/v1.41/containers/talker/logs?stdout=1&stderr=1');
    expect(all.status).toBe(200);
    expect(streams(all.body)).toEqual({ out: 'one\nthree\n', err: 'two\n' });
    expect(streams((await api.request('GET', '/v1.41/containers/talker/logs?stdout=1')).body)).toEqual({ out: 'one\nthree\n', err: '' });
    expect(streams((await api.request('GET', '/v1.41/containers/talker/logs?stdout=1&stderr=1&tail=1')).body).out).toBe('three\n');
    const stamped = streams((await api.request('GET', '/v1.41/containers/talker/logs?stdout=1&timestamps=1&tail=1')).body).out;
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) three\n$/);
    const future = Math.floor(Date.now() / 1000) + 3600;
    expect(streams((await api.request('GET', `/v1.41/containers/talker/logs?stdout=1&since=${future}`)).body).out).toBe('');
    expect(streams((await api.request('GET', '/v1.41/containers/talker/logs?stdout=1&until=1')).body).out).toBe(''); // 1 s after the epoch: before every line
  });

  it('refuses no stream and an unknown container', async () => {
    const none = await api.request('GET', '/v1.41/containers/talker/logs');
    expect(none.status).toBe(400);
    expect(none.json.message).toMatch(/at least one stream/);
    expect((await api.request('GET', '/v1.41/containers/nosuch/logs?stdout=1')).status).toBe(404);
  });

  it('follows a running container until the client goes, and serves on after', async () => {
    const got = await new Promise<string>((resolve, reject) => {
      const req = http.get({ socketPath: api.socket, path: '/v1.41/containers/talker/logs?stdout=1&follow=1', headers: { Host: 'docker' } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString('latin1');
          if (text.includes('three')) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', (e) => (/socket hang up|aborted/.test(e.message) ? undefined : reject(e)));
    });
    expect(got).toContain('one');
    expect((await api.request('GET', '/_ping')).status).toBe(200);
  });
});

describe('exec', () => {
  it('runs with stdin from the upgraded connection, frames the output and keeps the exit code and PID', async () => {
    const id = await execCreate('talker', { Cmd: ['sh', '-c', 'cat; echo oops >&2; exit 3'], AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const before = await api.request('GET', `/v1.41/exec/${id}/json`);
    expect(before.json).toMatchObject({ ID: id, Running: false, ExitCode: null, OpenStdin: true });
    const r = await upgraded('POST', `/v1.41/exec/${id}/start`, { Detach: false, Tty: false }, (sock) => sock.end('piped in\n'));
    expect(r.head).toMatch(/^HTTP\/1.1 101 UPGRADED/);
    expect(r.head).toMatch(/application\/vnd.docker.multiplexed-stream/);
    expect(streams(r.data)).toEqual({ out: 'piped in\n', err: 'oops\n' });
    const after = await api.request('GET', `/v1.41/exec/${id}/json`);
    expect(after.json).toMatchObject({ Running: false, ExitCode: 3, ProcessConfig: { entrypoint: 'sh', tty: false } });
    expect(after.json.Pid).toBeGreaterThan(0);
    // An exec runs once.
    expect((await api.request('POST', `/v1.41/exec/${id}/start`, {})).status).toBe(409);
  });

  it('gives a TTY exec a terminal of the size asked, raw output, and resizes it while it runs', async () => {
    const id = await execCreate('talker', { Cmd: ['sh', '-c', 'tty; stty size; read x; stty size'], AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true });
    let resized = 0;
    const r = await upgraded('POST', `/v1.41/exec/${id}/start`, { Tty: true, ConsoleSize: [30, 100] }, async (sock) => {
      // Once the first size is shown, a new one, then the line that lets it print it.
      let seen = '';
      sock.on('data', async (d: Buffer) => {
        seen += d.toString();
        if (resized === 0 && /30 100/.test(seen)) {
          resized = 1;
          const res = await api.request('POST', `/v1.41/exec/${id}/resize?h=40&w=120`);
          resized = res.status;
          sock.write('go\n');
        }
      });
    });
    expect(r.head).toMatch(/application\/vnd.docker.raw-stream/);
    const text = r.data.toString();
    expect(text).toMatch(/\/dev\/pts\/\d+\r\n30 100\r\n/);
    expect(resized).toBe(200);
    expect(text).toMatch(/40 120\r\n$/);
    expect((await api.request('GET', `/v1.41/exec/${id}/json`)).json).toMatchObject({ ExitCode: 0, Running: false, ProcessConfig: { tty: true } });
  });

  it('leaves a TTY exec running when the client sends the detach keys', async () => {
    const id = await execCreate('talker', { Cmd: ['sh', '-c', 'echo ready; read x; echo never'], AttachStdin: true, AttachStdout: true, Tty: true, DetachKeys: 'ctrl-x,x' });
    const r = await upgraded('POST', `/v1.41/exec/${id}/start`, { Tty: true }, (sock) => {
      sock.on('data', (d: Buffer) => d.toString().includes('ready') && sock.write(Buffer.from([24, 120])));
    });
    expect(r.data.toString()).toContain('ready');
    expect(r.data.toString()).not.toContain('never');
    const doc = (await api.request('GET', `/v1.41/exec/${id}/json`)).json;
    expect(doc).toMatchObject({ Running: true, ExitCode: null });
    expect(doc.Pid).toBeGreaterThan(0);
  });

  it("ends the process's stdin when the client's connection is reset, so that the session ends", async () => {
    const id = await execCreate('talker', { Cmd: ['cat'], AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const sock = net.connect(api.socket);
    await new Promise((r) => sock.once('connect', r));
    const body = Buffer.from('{"Detach":false,"Tty":false}');
    sock.write(`POST /v1.41/exec/${id}/start HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`);
    sock.write(body);
    expect(await new Promise<string>((r) => sock.once('data', (d) => r(d.toString())))).toMatch(/^HTTP\/1.1 101 UPGRADED/);
    // More than the client reads: what cat echoes back is left unread, so the close is a reset
    // (ECONNRESET) for the service rather than the clean end a half-close would give.
    sock.pause();
    sock.write(`${'x'.repeat(1023)}\n`.repeat(256));
    await new Promise((ok) => setTimeout(ok, 500));
    expect((await api.request('GET', `/v1.41/exec/${id}/json`)).json.Running).toBe(true);
    sock.destroy();
    let doc = (await api.request('GET', `/v1.41/exec/${id}/json`)).json;
    for (let i = 0; i < 50 && doc.Running; i++) {
      await new Promise((ok) => setTimeout(ok, 100));
      doc = (await api.request('GET', `/v1.41/exec/${id}/json`)).json;
    }
    expect(doc).toMatchObject({ Running: false, ExitCode: 0 });
    expect(tspod(['exec', 'talker', 'ps', '-o', 'comm']).stdout.split('\n')).not.toContain('cat');
  });

  it('runs detached: answered at once, inspect shows it running, then its exit code', async () => {
    const id = await execCreate('talker', { Cmd: ['sh', '-c', 'sleep 1; exit 4'] });
    const r = await api.request('POST', `/v1.41/exec/${id}/start`, { Detach: true });
    expect(r.status).toBe(200);
    await new Promise((ok) => setTimeout(ok, 300));
    expect((await api.request('GET', `/v1.41/exec/${id}/json`)).json.Running).toBe(true);
    for (let i = 0; i < 50 && (await api.request('GET', `/v1.41/exec/${id}/json`)).json.Running; i++) await new Promise((ok) => setTimeout(ok, 100));
    expect((await api.request('GET', `/v1.41/exec/${id}/json`)).json).toMatchObject({ Running: false, ExitCode: 4 });
  });

  it('refuses an unknown session, a missing command and a stopped container', async () => {
    expect((await api.request('GET', '/v1.41/exec/nosuch/json')).status).toBe(404);
    const noCmd = await api.request('POST', '/v1.41/containers/talker/exec', { AttachStdout: true });
    expect(noCmd.status).toBe(400);
    expect(tspod(['create', '--name', 'idle', busybox, 'true']).code).toBe(0);
    expect((await api.request('POST', '/v1.41/containers/idle/exec', { Cmd: ['true'] })).status).toBe(409);
  });
});

describe('attach', () => {
  it('sends stdin to a running container and frames its output until it exits', async () => {
    const r = await upgraded('POST', '/v1.41/containers/reader/attach?stream=1&stdin=1&stdout=1&stderr=1', undefined, (sock) => sock.end('hello\n'));
    expect(r.head).toMatch(/^HTTP\/1.1 101 UPGRADED/);
    expect(streams(r.data)).toEqual({ out: 'out:hello\nbye\n', err: 'err:hello\n' });
  });

  it('attached to a created container, gets all of its output once it is started (docker run)', async () => {
    expect(tspod(['create', '--name', 'later', busybox, 'sh', '-c', 'echo first; echo second >&2']).code).toBe(0);
    const attached = upgraded('POST', '/v1.41/containers/later/attach?stream=1&stdout=1&stderr=1', undefined);
    await new Promise((ok) => setTimeout(ok, 500));
    expect(tspod(['start', 'later']).code).toBe(0);
    expect(streams((await attached).data)).toEqual({ out: 'first\n', err: 'second\n' });
    // With -i, what the client sends before the start reaches the container once it runs.
    expect(tspod(['create', '-i', '--name', 'asker', busybox, 'sh', '-c', 'read x; echo "got $x"']).code).toBe(0);
    const asked = upgraded('POST', '/v1.41/containers/asker/attach?stream=1&stdin=1&stdout=1&stderr=1', undefined, (sock) => sock.end('early\n'));
    await new Promise((ok) => setTimeout(ok, 500));
    expect(tspod(['start', 'asker']).code).toBe(0);
    expect(streams((await asked).data)).toEqual({ out: 'got early\n', err: '' });
    // logs=1 without stream: what it printed, and done.
    expect(streams((await upgraded('POST', '/v1.41/containers/later/attach?logs=1&stdout=1', undefined)).data)).toEqual({ out: 'first\n', err: '' });
  });
});

describe('export and archive', () => {
  it('exports the rootfs as a tar', async () => {
    const r = await api.request('GET', '/v1.41/containers/files/export');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-tar');
    const list = spawnSync('tar', ['tf', '-'], { input: r.body, encoding: 'utf8' }).stdout.split('\n');
    expect(list).toContain('bin/busybox');
  });

  it('stats a path with HEAD, sends it as a tar with GET, unpacks a tar into a directory with PUT', async () => {
    const head = await api.request('HEAD', '/v1.41/containers/files/archive?path=/etc/hostname');
    expect(head.status).toBe(200);
    const stat = JSON.parse(Buffer.from(String(head.headers['x-docker-container-path-stat']), 'base64').toString());
    expect(stat).toMatchObject({ name: 'hostname', mode: 0o644, linkTarget: '' });
    expect(stat.size).toBeGreaterThan(0);
    const dir = JSON.parse(Buffer.from(String((await api.request('HEAD', '/v1.41/containers/files/archive?path=/etc')).headers['x-docker-container-path-stat']), 'base64').toString());
    expect(dir.mode).toBe(2 ** 31 + 0o755);
    const got = await api.request('GET', '/v1.41/containers/files/archive?path=/etc/hostname');
    expect(got.headers['x-docker-container-path-stat']).toBeDefined();
    expect(spawnSync('tar', ['xOf', '-', 'hostname'], { input: got.body, encoding: 'utf8' }).stdout.trim()).toMatch(/^[0-9a-f]{12}$/);
    const missing = await api.request('GET', '/v1.41/containers/files/archive?path=/nope');
    expect(missing.status).toBe(404);
    const src = userTempDir('api-streams-put');
    fs.writeFileSync(path.join(src, 'put.txt'), 'put through the API\n');
    const tarball = spawnSync('tar', ['cf', '-', '-C', src, 'put.txt']).stdout;
    const put = await api.request('PUT', '/v1.41/containers/files/archive?path=/tmp', tarball, { 'Content-Type': 'application/x-tar' });
    expect(put.status, put.text).toBe(200);
    expect(tspod(['exec', 'files', 'cat', '/tmp/put.txt']).stdout).toBe('put through the API\n');
    const onFile = await api.request('PUT', '/v1.41/containers/files/archive?path=/etc/hostname', tarball);
    expect(onFile.status).toBe(400);
    expect(onFile.json.message).toMatch(/not a directory/);
    fs.rmSync(src, { recursive: true, force: true });
  });
});

describe('a slow client holds no one up', () => {
  // A test that fails midway still lets its stalled client go, or it would hold up the tests after it.
  let stalled: net.Socket | undefined;
  afterEach(() => stalled?.destroy());

  /** How long a request through the queue (the archive stat) and the container list take now, in ms. */
  async function othersAnswered(): Promise<number> {
    const t0 = Date.now();
    // Bounded: with the queue held, these would wait as long as the stalled client does.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 5 s: the stalled client holds them up')), 5000)));
    const [stat, list] = await Promise.race([Promise.all([api.request('HEAD', '/v1.41/containers/files/archive?path=/etc'), api.request('GET', '/v1.41/containers/json')]), late]).finally(() => clearTimeout(timer));
    expect(stat.status).toBe(200);
    expect(list.status).toBe(200);
    return Date.now() - t0;
  }

  it('a client that does not read its export: others are answered, and its spool file goes with it', async () => {
    const sock = (stalled = api.rawRequest('GET', '/v1.41/containers/files/export'));
    // The answer began (the engine's part is done), then the client reads no more of the rootfs.
    const first = await new Promise<Buffer>((resolve) => sock.once('data', (d: Buffer) => (sock.pause(), resolve(d))));
    expect(first.toString()).toMatch(/^HTTP\/1\.1 200 /);
    expect(await othersAnswered()).toBeLessThan(2000);
    expect(first.toString()).toMatch(/content-length: \d{6,}/i); // sent from the whole file
    expect(api.spoolFiles()).toHaveLength(1); // still being sent
    sock.destroy();
    await until('the spool file to go', () => api.spoolFiles().length, (n) => n === 0, 5000);
  });

  it('an archive PUT abandoned mid-body: others are answered meanwhile, nothing is unpacked, no file is left', async () => {
    const src = userTempDir('api-streams-half');
    fs.writeFileSync(path.join(src, 'half.txt'), 'x'.repeat(256 * 1024));
    const tarball = spawnSync('tar', ['cf', '-', '-C', src, 'half.txt']).stdout;
    fs.rmSync(src, { recursive: true, force: true });
    const sock = (stalled = api.rawRequest('PUT', '/v1.41/containers/files/archive?path=/tmp', { 'Content-Type': 'application/x-tar', 'Content-Length': String(tarball.length) }, tarball.subarray(0, 64 * 1024)));
    await new Promise((r) => setTimeout(r, 500)); // the half body has come
    expect(await othersAnswered()).toBeLessThan(2000);
    expect(api.spoolFiles()).toHaveLength(1); // where it is received
    sock.destroy();
    await until('the spool file to go', () => api.spoolFiles().length, (n) => n === 0, 5000);
    expect(tspod(['exec', 'files', 'ls', '/tmp/half.txt']).code).not.toBe(0);
    // The service serves on, and a whole upload still works.
    expect((await api.request('PUT', '/v1.41/containers/files/archive?path=/tmp', tarball)).status).toBe(200);
    expect(tspod(['exec', 'files', 'wc', '-c', '/tmp/half.txt']).stdout.trim()).toBe(`${256 * 1024} /tmp/half.txt`);
    expect(api.spoolFiles()).toEqual([]);
  });
});

describe("Docker's CLI", () => {
  it('docker logs', () => {
    const r = api.docker(['logs', 'talker']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('one\nthree\n');
    expect(r.stderr).toBe('two\n');
  });

  it('docker exec -i with piped input, and its exit code', () => {
    const r = api.docker(['exec', '-i', 'talker', 'sh', '-c', 'tr a-z A-Z; exit 5'], { input: 'shout\n' });
    expect(r.stdout).toBe('SHOUT\n');
    expect(r.code).toBe(5);
  });

  it('docker run -i with piped input (attach before start)', () => {
    const r = api.docker(['run', '--rm', '-i', busybox, 'sh', '-c', 'tr a-z A-Z; echo done >&2'], { input: 'piped\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('PIPED\n');
    expect(r.stderr).toBe('done\n');
  });

  it('docker exec -it in a terminal', async () => {
    const term = new Terminal('api-streams');
    try {
      term.start(`env DOCKER_HOST=${api.host} DOCKER_CONFIG=${path.join(store.dir, 'docker-config')} docker exec -it talker sh`);
      await term.waitFor(/# $/m);
      term.type('echo $((6*7)); stty size');
      await term.waitFor(/^42\s*$/m);
      expect(term.screen()).toMatch(/^30 100\s*$/m);
      term.type('exit 7');
      await term.waitFor(/Pane is dead|exit 7\s*\n(.*\n)*\s*$/);
    } finally {
      term.kill();
    }
  });

  it('docker cp both ways and docker export', () => {
    const dir = userTempDir('api-streams-cli');
    fs.writeFileSync(path.join(dir, 'in.txt'), 'copied in\n');
    fs.chmodSync(path.join(dir, 'in.txt'), 0o644);
    spawnSync('chown', ['-R', `${store.user}`, dir]);
    let r = api.docker(['cp', path.join(dir, 'in.txt'), 'files:/tmp/in.txt']);
    expect(r.code, r.stderr).toBe(0);
    expect(tspod(['exec', 'files', 'cat', '/tmp/in.txt']).stdout).toBe('copied in\n');
    r = api.docker(['cp', 'files:/etc/hostname', path.join(dir, 'hostname')]);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'hostname'), 'utf8').trim()).toMatch(/^[0-9a-f]{12}$/);
    r = api.docker(['export', '-o', path.join(dir, 'rootfs.tar'), 'files']);
    expect(r.code, r.stderr).toBe(0);
    expect(spawnSync('tar', ['tf', path.join(dir, 'rootfs.tar')], { encoding: 'utf8' }).stdout.split('\n')).toContain('bin/busybox');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
