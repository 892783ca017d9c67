// Faults of the store and of the registry, as the unprivileged user: a registry that resets every
// download and one that answers 429 to its ping (a fault-injecting proxy in front of the real
// local registry), a store whose filesystem is full (a small tmpfs), and a damaged state database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Store, asUser, registry, run, tspodBin, userEnv } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

/**
 * A proxy in front of the registry. resetAfter: every layer download (a blob GET of more than
 * 100 kB) is cut with a TCP reset after that many bytes. ping429: that many GET /v2/ are answered
 * 429 with Retry-After first.
 */
class FaultProxy {
  resetAfter = 0;
  /** Layer downloads stop sending (the connection stays open) after this many bytes. */
  stallAfter = 0;
  ping429 = 0;
  retryAfter = '1';
  readonly pings: number[] = [];
  readonly layerGets: Array<{ range?: string; sent: number }> = [];
  private server?: http.Server;

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    return `127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.url === '/v2/') {
      this.pings.push(Date.now());
      if (this.pings.length <= this.ping429) {
        res.writeHead(429, { 'retry-after': this.retryAfter, 'content-type': 'application/json' });
        res.end('{"errors":[{"code":"TOOMANYREQUESTS","message":"too many requests"}]}');
        return;
      }
    }
    const [host, port] = registry.split(':');
    const up = http.request({ host, port: Number(port), path: req.url, method: req.method, headers: { ...req.headers, host: registry } }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      const layer = /\/blobs\/sha256:/.test(req.url ?? '') && req.method === 'GET' && Number(upRes.headers['content-length'] ?? 0) > 100_000;
      if (!layer || !(this.resetAfter || this.stallAfter)) {
        upRes.pipe(res);
        return;
      }
      const get = { range: req.headers.range, sent: 0 };
      this.layerGets.push(get);
      upRes.on('data', (chunk: Buffer) => {
        if (this.stallAfter && get.sent >= this.stallAfter) return void upRes.pause();
        res.write(chunk);
        get.sent += chunk.length;
        if (this.resetAfter && get.sent >= this.resetAfter) {
          upRes.destroy();
          res.socket?.resetAndDestroy();
        }
      });
      upRes.on('end', () => res.end());
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  }
}

/** Entries of the store's staging area: stage directories and partial downloads. */
function leftovers(store: Store): string[] {
  const tmp = path.join(store.root, 'tmp');
  const names = fs.existsSync(tmp) ? fs.readdirSync(tmp).filter((n) => n !== 'partial') : [];
  const partial = path.join(tmp, 'partial');
  return [...names, ...(fs.existsSync(partial) ? fs.readdirSync(partial).map((n) => `partial/${n}`) : [])];
}

describe('a registry that resets every layer download', () => {
  let proxy: FaultProxy;
  let via = '';
  beforeAll(async () => {
    proxy = new FaultProxy();
    proxy.resetAfter = 1024 * 1024;
    via = await proxy.start();
  });
  afterAll(() => proxy.stop());

  it.each([[[]], [['--log-level=debug']]])('gives up saying what happened and keeps nothing (%j)', async (flags: string[]) => {
    const store = new Store('faults-reset');
    try {
      proxy.layerGets.length = 0;
      const r = await store.tspodAsync([...flags, 'pull', `${via}/library/debian`]);
      expect(r.code).toBe(125);
      expect(r.stderr).not.toMatch(/internal error/);
      const last = r.stderr.trimEnd().split('\n').pop();
      expect(last).toMatch(
        new RegExp(
          `^Error: downloading layer sha256:[0-9a-f]{12} of ${via.replace(/\./g, '\\.')}/library/debian:latest: gave up after 5 attempts, the last one ended by (the registry closing the connection|a connection reset by the registry) \\((\\d+(\\.\\d+)?) (kB|MB) of 49\\.3 MB received\\): nothing of the layer was kept; pull again once the registry and the network are steady$`,
        ),
      );
      // Five GETs of the layer: the first, then four resumes each from where the last one ended.
      expect(proxy.layerGets).toHaveLength(5);
      expect(proxy.layerGets[0].range).toBeUndefined();
      for (const g of proxy.layerGets.slice(1)) expect(g.range).toMatch(/^bytes=[1-9]\d*-$/);
      expect(leftovers(store)).toEqual([]);
      expect((await store.tspodAsync(['images', '-q'])).stdout).toBe('');
    } finally {
      store.cleanup();
    }
  });
});

describe('a registry that answers 429 to its ping', () => {
  let proxy: FaultProxy;
  let via = '';
  beforeAll(async () => {
    proxy = new FaultProxy();
    via = await proxy.start();
  });
  afterAll(() => proxy.stop());

  it('waits as Retry-After says and pulls', async () => {
    const store = new Store('faults-429');
    try {
      proxy.pings.length = 0;
      proxy.ping429 = 2;
      proxy.retryAfter = '1';
      const r = await store.tspodAsync(['pull', '-q', `${via}/library/busybox`]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^[0-9a-f]{64}\n$/);
      expect(proxy.pings).toHaveLength(3);
      expect(proxy.pings[1] - proxy.pings[0]).toBeGreaterThanOrEqual(950);
      expect(proxy.pings[2] - proxy.pings[1]).toBeGreaterThanOrEqual(950);
    } finally {
      store.cleanup();
    }
  });

  it('says the registry is limiting requests when it never stops', async () => {
    const store = new Store('faults-429-always');
    try {
      proxy.pings.length = 0;
      proxy.ping429 = 1000;
      proxy.retryAfter = '0';
      const r = await store.tspodAsync(['pull', '-q', `${via}/library/busybox`]);
      expect(r.code).toBe(125);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`Error: registry ${via} answered 429 (too many requests) to 5 requests in a row: wait a while and try again\n`);
      expect(proxy.pings).toHaveLength(5);
      expect(leftovers(store)).toEqual([]);
    } finally {
      store.cleanup();
    }
  });
});

/** A store whose --root is a tmpfs of sizeMb (mounted by the test, which runs as root), owned by the user. */
function storeOnTmpfs(name: string, sizeMb: number): Store {
  const store = new Store(name);
  const u = userEnv();
  fs.mkdirSync(store.root);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700,uid=${u.uid},gid=${u.gid}`, 'tmpfs', store.root], { encoding: 'utf8' });
  if (m.status !== 0) throw new Error(`mounting a tmpfs on ${store.root}: ${m.stderr}`);
  return store;
}

function unmountAndClean(store: Store): void {
  if (fs.existsSync(path.join(store.runroot, 'pause.pid'))) store.tspod(['system', 'migrate']);
  spawnSync('umount', [store.root]);
  store.cleanup();
}

/** Fills the filesystem of dir to the last byte with one file; returns its path. */
function fill(dir: string): string {
  const file = path.join(dir, 'filler');
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (let size = chunk.length; size >= 1; size = Math.floor(size / 2)) {
      for (;;) {
        try {
          fs.writeSync(fd, chunk, 0, size);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  expect(fs.statfsSync(dir).bavail).toBe(0);
  return file;
}

describe('a store whose filesystem is full', () => {
  const image = `${registry}/library/busybox`;
  let store: Store;
  let filler = '';
  beforeAll(() => {
    store = storeOnTmpfs('faults-full', 16);
    expect(store.tspod(['pull', '-q', image]).code).toBe(0);
    expect(store.tspod(['create', '--name', 'created', image, 'true']).code).toBe(0);
    expect(store.tspod(['run', '--name', 'exited', image, 'sh', '-c', 'echo hello']).stdout).toBe('hello\n');
    // An image with a layer of its own that no container uses, for rmi.
    const content = path.join(store.dir, 'tiny');
    fs.mkdirSync(content);
    fs.writeFileSync(path.join(content, 'hello'), 'tiny\n');
    expect(run(['tar', '-C', content, '-cf', `${content}.tar`, 'hello']).code).toBe(0);
    expect(store.tspod(['import', '-q', `${content}.tar`, 'tiny']).code).toBe(0);
    filler = fill(store.root);
  });
  afterAll(() => unmountAndClean(store));

  const full = () =>
    `the filesystem of ${store.root} is full \\(0 B free of 16\\.8 MB\\): free space there: remove containers \\(tspod rm\\), unused images \\(tspod image prune -a\\) or other files on that filesystem, then try again`;

  it('still answers reading commands', () => {
    const ps = store.tspod(['ps', '-a', '--format', '{{.Names}} {{.Status}}']);
    expect(ps.stderr).toBe('');
    expect(ps.code).toBe(0);
    expect(ps.stdout).toMatch(/^exited Exited \(0\) .*\ncreated Created\n$/);
    const images = store.tspod(['images', '--format', '{{.Repository}}:{{.Tag}}']);
    expect(images).toMatchObject({ code: 0, stderr: '', stdout: `localhost/tiny:latest\n${image}:latest\n` });
    expect(store.tspod(['logs', 'exited'])).toMatchObject({ code: 0, stdout: 'hello\n' });
    expect(store.tspod(['inspect', '--format', '{{.State.Status}}', 'created'])).toMatchObject({ code: 0, stdout: 'created\n' });
  });

  it('refuses run with ENOSPC, naming the full filesystem and what to free', () => {
    const r = store.tspod(['run', '--rm', image, 'true']);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^Error: no space left on device \\(ENOSPC\\) writing the state database ${store.root}/state\\.db: ${full()}\\n$`));
    expect(store.tspod(['ps', '-a', '--format', '{{.Names}}']).stdout).toBe('exited\ncreated\n');
  });

  it('refuses a pull with ENOSPC and keeps nothing of it', () => {
    const r = store.tspod(['pull', '-q', `${registry}/library/debian`]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(new RegExp(`^Error: no space left on device \\(ENOSPC\\) pulling layer sha256:[0-9a-f]{12} of ${registry}/library/debian:latest: ${full().replace(store.root, `${store.root}/tmp`)}\\n$`));
    expect(leftovers(store)).toEqual([]);
  });

  it('refuses rmi with ENOSPC and keeps the image whole (its layer is not left in the trash)', () => {
    const layers = () => fs.readdirSync(path.join(store.root, 'overlay')).sort();
    const before = layers();
    const r = store.tspod(['rmi', 'tiny']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(new RegExp(`^Error: no space left on device \\(ENOSPC\\) writing the state database ${store.root}/state\\.db: ${full()}\\n$`));
    expect(layers()).toEqual(before);
    const trash = path.join(store.root, 'trash');
    expect(fs.existsSync(trash) ? fs.readdirSync(trash) : []).toEqual([]);
    expect(store.tspod(['images', '--format', '{{.Repository}}']).stdout).toBe(`localhost/tiny\n${image}\n`);
  });

  it('keeps no lock while events --stream waits, so other commands go on', async () => {
    const argv = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, 'events', '--since', '2000-01-01T00:00:00Z', '--format', '{{.Status}} {{.Name}}']);
    const events = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      events.stdout.on('data', (d) => (out += d));
      const deadline = Date.now() + 15_000;
      while (!out.includes('create exited') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(out).toMatch(/create created\n/);
      await new Promise((r) => setTimeout(r, 500));
      const started = Date.now();
      const ps = await store.tspodAsync(['ps', '-a', '--format', '{{.Names}}']);
      expect(ps).toMatchObject({ code: 0, stdout: 'exited\ncreated\n' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      process.kill(-events.pid!, 'SIGTERM');
      await new Promise((r) => events.on('exit', r));
    }
  }, 30_000);

  it('lets rm free space: the files go first, then the row', () => {
    const r = store.tspod(['rm', 'exited']);
    // The row goes in any case; its event too when the freed pages hold both (not with this store's layout).
    expect(r.stderr).toMatch(/^(WARN\[\d+\] the remove event of container exited was not recorded: no space left on device \(ENOSPC\) writing the state database [^\n]*\n)?$/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('exited\n');
    expect(store.tspod(['ps', '-a', '--format', '{{.Names}}']).stdout).toBe('created\n');
    expect(fs.readdirSync(path.join(store.root, 'containers'))).toHaveLength(1);
    // With the filler gone, the store works as before.
    fs.rmSync(filler);
    expect(store.tspod(['run', '--rm', image, 'true'])).toMatchObject({ code: 0, stderr: '' });
    const tiny = store.tspod(['image', 'mount', 'tiny']);
    expect(tiny.code).toBe(0);
    expect(store.tspod(['unshare', 'cat', `${tiny.stdout.trim()}/hello`]).stdout).toBe('tiny\n');
    expect(store.tspod(['image', 'unmount', 'tiny']).code).toBe(0);
  });
});

describe('image prune -a', () => {
  let proxy: FaultProxy;
  let via = '';
  beforeAll(async () => {
    proxy = new FaultProxy();
    proxy.stallAfter = 2 * 1024 * 1024;
    via = await proxy.start();
  });
  afterAll(() => proxy.stop());

  it('removes the partial download and the stage directory a killed pull left', { timeout: 60_000 }, async () => {
    const store = new Store('faults-prune');
    try {
      const argv = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, 'pull', '-q', `${via}/library/debian`]);
      const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: 'ignore' });
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && !(leftovers(store).some((n) => n.endsWith('.partial')) && leftovers(store).some((n) => n.startsWith('stage-')) && proxy.layerGets[0]?.sent >= 2 * 1024 * 1024)) {
        await new Promise((r) => setTimeout(r, 50));
      }
      process.kill(-child.pid!, 'SIGKILL');
      await new Promise((r) => child.on('exit', r));
      const left = leftovers(store);
      expect(left.filter((n) => /^partial\/[0-9a-f]{64}\.partial$/.test(n))).toHaveLength(1);
      expect(left.filter((n) => /^stage-\d+-/.test(n))).toHaveLength(1);
      // The killed pull's download lock counts as held until it goes stale (10 s without refresh).
      await new Promise((r) => setTimeout(r, 11_000));
      // Plain prune keeps the bytes for the next pull to resume from.
      expect((await store.tspodAsync(['image', 'prune', '-f'])).code).toBe(0);
      expect(leftovers(store).filter((n) => n.endsWith('.partial'))).toHaveLength(1);
      const r = await store.tspodAsync(['image', 'prune', '-a', '-f']);
      expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
      expect(leftovers(store)).toEqual([]);
    } finally {
      store.cleanup();
    }
  });
});

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

/** Every file under dir with its size: what "touching nothing" is checked against. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const st = fs.lstatSync(p);
      out.push(`${path.relative(dir, p)} ${e.isDirectory() ? 'dir' : st.size}`);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

describe('a damaged state database', () => {
  const image = `${registry}/library/busybox`;
  let store: Store;
  let db = '';
  let good = '';
  beforeAll(() => {
    store = new Store('faults-db');
    expect(store.tspod(['pull', '-q', image]).code).toBe(0);
    for (const n of ['one', 'two']) expect(store.tspod(['create', '--name', n, image, 'true']).code).toBe(0);
    db = path.join(store.root, 'state.db');
    good = path.join(store.dir, 'state.db.good');
    expect(restore(db, good).code).toBe(0);
  });
  afterAll(() => {
    restore(good, db);
    store.cleanup();
  });
  /** Copies as the user, so that the copy is the user's as the database was. */
  const restore = (from: string, to: string) => run(['cp', from, to]);

  const lost = (how: string) =>
    `Error: the state database ${db} is ${how}, but the store ${store.root} still holds 2 containers, 1 image layer: a new database would forget them, so nothing was changed; restore ${db} from a backup, or move the store aside (mv ${store.root} ${store.root}.old) to start with an empty one\n`;

  it.each([
    ['emptied', 'empty (0 bytes)', () => run(['truncate', '-s', '0', db])],
    ['removed', 'missing', () => run(['rm', db])],
  ])('refuses a store whose database was %s while its containers and layers remain, touching nothing', (_what, how, damage) => {
    expect(damage().code).toBe(0);
    const before = tree(store.root);
    for (const args of [['ps', '-a'], ['images'], ['run', '--rm', image, 'true'], ['rm', '-a']]) {
      const r = store.tspod(args);
      expect(r.stderr, args.join(' ')).toBe(lost(how));
      expect(r.code).toBe(125);
      expect(r.stdout).toBe('');
    }
    expect(tree(store.root)).toEqual(before);
    // Restored, the store is whole again.
    expect(restore(good, db).code).toBe(0);
    expect(store.tspod(['ps', '-a', '--format', '{{.Names}}'])).toMatchObject({ code: 0, stdout: 'two\none\n' });
  });

  it('names a malformed database by its path and leaves it as it was', () => {
    const bytes = fs.readFileSync(good);
    // Every page but the first gets a b-tree page header that cannot be right (written into the user's file).
    for (let off = 4096; off < bytes.length; off += 4096) Buffer.from('0dffffffff00ffffffffffff', 'hex').copy(bytes, off);
    expect(restore(good, db).code).toBe(0);
    fs.writeFileSync(db, bytes);
    const before = sha(db);
    for (const args of [['ps', '-a'], ['images'], ['rm', 'one']]) {
      const r = store.tspod(args);
      expect(r.code, args.join(' ')).toBe(125);
      expect(r.stderr).toBe(
        `Error: state database ${db} is corrupt or not a tspod database (SQLITE_CORRUPT): nothing was changed; restore it from a backup, or move the whole store aside (mv ${store.root} ${store.root}.old) to start with an empty one (it holds 2 containers, 1 image layer that a new database would not know)\n`,
      );
    }
    expect(sha(db)).toBe(before);
    expect(restore(good, db).code).toBe(0);
  });
});

describe('the events table', () => {
  it('stays within events_logfile_max_size, keeping the newest events', () => {
    const store = new Store('faults-events');
    try {
      const conf = path.join(store.dir, 'containers.conf');
      fs.writeFileSync(conf, '[engine]\nevents_logfile_max_size = "8k"\n');
      fs.chmodSync(conf, 0o644);
      const env = { TSPOD_CONF: conf };
      expect(store.tspod(['pull', '-q', `${registry}/library/busybox`], { env }).code).toBe(0);
      expect(store.tspod(['create', '--name', 'n0', `${registry}/library/busybox`, 'true'], { env }).code).toBe(0);
      for (let i = 1; i <= 70; i++) expect(store.tspod(['rename', `n${i - 1}`, `n${i}`], { env }).code).toBe(0);
      const events = store.tspod(['events', '--since', '2000-01-01T00:00:00Z', '--stream=false', '--format', '{{.Status}} {{.Name}}'], { env });
      expect(events.code).toBe(0);
      const lines = events.stdout.trimEnd().split('\n');
      // 72 were recorded (pull, create, 70 renames); the oldest went, the newest are all there in order.
      expect(lines.length).toBeLessThan(50);
      expect(lines.length).toBeGreaterThan(10);
      expect(lines).toEqual(Array.from({ length: lines.length }, (_, i) => `rename n${70 - lines.length + 1 + i}`));
      const bytes = Buffer.byteLength(events.stdout);
      expect(bytes).toBeLessThan(8000);
      // Without the setting (Podman's default, 1m) nothing of so few goes.
      const other = new Store('faults-events-default');
      try {
        expect(other.tspod(['create', '--name', 'n0', `${registry}/library/busybox`, 'true']).code).toBe(0);
        for (let i = 1; i <= 40; i++) expect(other.tspod(['rename', `n${i - 1}`, `n${i}`]).code).toBe(0);
        const all = other.tspod(['events', '--since', '2000-01-01T00:00:00Z', '--stream=false', '--format', '{{.Status}}']).stdout.trimEnd().split('\n');
        expect(all.filter((l) => l === 'rename')).toHaveLength(40);
        expect(all.slice(0, 2)).toEqual(['pull', 'create']);
      } finally {
        other.cleanup();
      }
    } finally {
      store.cleanup();
    }
  });
});
