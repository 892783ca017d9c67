// testcontainers (Node, 11) and dockerode, in this test process, against `tspod system service` run
// as the unprivileged user (issue 24): GenericContainer started, waited on by a log message and by its
// port, content copied in before start and after, exec, logs, stop; Ryuk disabled as for Podman. Then
// dockerode alone: pull with its progress, create/start/inspect/logs/wait/remove, and the errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import Docker from 'dockerode';
import { ApiService } from './api-harness';
import { Store, registry } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('api-testcontainers');
const api = new ApiService(store);
const busybox = `${registry}/library/busybox:latest`;

function get(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: '/', agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body.trim()));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

beforeAll(async () => {
  await api.start();
  // testcontainers reads its configuration when it first needs the runtime: these are set before.
  process.env.DOCKER_HOST = api.host;
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  // Run inside a container (/.dockerenv), testcontainers reaches published ports at the "bridge"
  // network's gateway, as Docker-in-Docker would; a rootless network's gateway is inside the user's
  // network namespace, so published ports are on this host's localhost (docs/api.md).
  process.env.TESTCONTAINERS_HOST_OVERRIDE = 'localhost';
});

afterAll(async () => {
  store.tspod(['rm', '-af', '-t', '0']);
  await api.stop();
  store.cleanup();
});

describe('testcontainers against tspod system service', () => {
  it('starts a GenericContainer waited on by a log message, execs in it, copies into it and stops it', async () => {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(busybox)
      .withCommand(['sh', '-c', 'echo starting; sleep 0.5; echo "ready to serve"; exec sleep 300'])
      .withEnvironment({ GREETING: 'hi' })
      .withLabels({ 'test.tspod': 'tc' })
      .withCopyContentToContainer([{ content: 'copied before start\n', target: '/etc/before.txt' }])
      .withWaitStrategy(Wait.forLogMessage('ready to serve'))
      .start();
    try {
      const id = container.getId();
      expect(store.tspod(['ps', '--format', '{{.ID}} {{.Labels}}', '--no-trunc']).stdout).toContain(id);
      const r = await container.exec(['sh', '-c', 'echo $GREETING; cat /etc/before.txt; echo oops >&2; exit 3']);
      expect(r.exitCode).toBe(3);
      expect(r.stdout).toBe('hi\ncopied before start\n');
      expect(r.stderr).toBe('oops\n');
      await container.copyContentToContainer([{ content: 'copied after\n', target: '/tmp/after.txt' }]);
      expect((await container.exec(['cat', '/tmp/after.txt'])).output).toBe('copied after\n');
      const logs: string[] = [];
      const stream = await container.logs();
      await new Promise<void>((resolve) => {
        stream.on('data', (line: string | Buffer) => {
          logs.push(String(line));
          if (logs.join('').includes('ready to serve')) resolve();
        });
      });
      stream.destroy();
      expect(logs.join('')).toMatch(/starting\n(.|\n)*ready to serve\n/);
      expect(container.getLabels()['test.tspod']).toBe('tc');
    } finally {
      await container.stop({ timeout: 1 });
    }
    expect(store.tspod(['ps', '-aq']).stdout).toBe('');
  });

  it('waits on a port and the mapped port answers from the host', async () => {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(busybox)
      .withCommand(['sh', '-c', 'sleep 1; mkdir -p /www && echo from-container > /www/index.html && exec httpd -f -p 8080 -h /www'])
      .withExposedPorts(8080)
      .withWaitStrategy(Wait.forListeningPorts())
      .withStartupTimeout(30_000)
      .start();
    try {
      const port = container.getMappedPort(8080);
      expect(port).toBeGreaterThan(0);
      expect(await get(container.getHost(), port)).toBe('from-container');
      expect(container.getName()).toMatch(/^\/[a-z0-9_-]+$/);
    } finally {
      await container.stop({ timeout: 1 });
    }
  });

  it('a container whose log message never comes fails the start within the timeout', async () => {
    const { GenericContainer, Wait } = await import('testcontainers');
    const start = Date.now();
    await expect(
      new GenericContainer(busybox)
        .withCommand(['sh', '-c', 'echo something else; exec sleep 300'])
        .withWaitStrategy(Wait.forLogMessage('never printed'))
        .withStartupTimeout(3_000)
        .start(),
    ).rejects.toThrow(/log message|timed out|timeout/i);
    expect(Date.now() - start).toBeLessThan(30_000);
  });
});

describe('dockerode against tspod system service', () => {
  const docker = () => new Docker({ socketPath: store.dir + '/api.sock' });

  it('pulls with progress, then runs, inspects, reads logs, waits and removes a container', async () => {
    const d = docker();
    const events: { status?: string; id?: string; error?: string }[] = await new Promise((resolve, reject) => {
      d.pull(busybox, {}, (err: Error | null, stream?: NodeJS.ReadableStream) => {
        if (err || !stream) return reject(err);
        d.modem.followProgress(stream, (e: Error | null, out: any[]) => (e ? reject(e) : resolve(out))); // eslint-disable-line @typescript-eslint/no-explicit-any
      });
    });
    expect(events.find((e) => e.error)).toBeUndefined();
    expect(events.at(-1)?.status).toMatch(/^Status: (Downloaded newer image|Image is up to date) for /);
    const c = await d.createContainer({ Image: busybox, Cmd: ['sh', '-c', 'echo out; echo err >&2; exit 2'], name: 'dockerode1', Labels: { via: 'dockerode' } });
    await c.start();
    const waited = await c.wait();
    expect(waited.StatusCode).toBe(2);
    const info = await c.inspect();
    expect(info.Name).toBe('/dockerode1');
    expect(info.State.Status).toBe('exited');
    expect(info.State.ExitCode).toBe(2);
    expect(info.Config.Labels.via).toBe('dockerode');
    const raw = (await c.logs({ stdout: true, stderr: true })) as unknown as Buffer;
    // no TTY: Docker's 8-byte frames, stream 1 then 2
    expect(raw[0]).toBe(1);
    expect(raw.readUInt32BE(4)).toBe(4);
    expect(raw.subarray(8, 12).toString()).toBe('out\n');
    expect(raw[12]).toBe(2);
    expect(raw.subarray(20).toString()).toBe('err\n');
    const listed = await d.listContainers({ all: true, filters: { label: ['via=dockerode'] } });
    expect(listed.map((x) => x.Names)).toEqual([['/dockerode1']]);
    await c.remove();
    await expect(c.inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('answers a start of a running container with 304 and a delete of a running one with 409', async () => {
    const d = docker();
    const c = await d.createContainer({ Image: busybox, Cmd: ['sleep', '300'] });
    await c.start();
    await expect(c.start()).rejects.toMatchObject({ statusCode: 304 });
    await expect(c.remove()).rejects.toMatchObject({ statusCode: 409 });
    await c.remove({ force: true });
    await expect(d.getContainer('no-such-container').inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(d.createContainer({ Image: 'no-such-image-here:1' })).rejects.toMatchObject({ statusCode: 404 });
  });
});
