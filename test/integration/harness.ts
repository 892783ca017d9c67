// Runs the built tspod the way a user does: as the unprivileged test user (TSPOD_TEST_USER, set up
// by scripts/test.sh when it runs as root) or as the developer running the tests, with isolated
// --root/--runroot directories. Under CI a missing prerequisite throws: nothing is skipped.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const testUser = process.env.TSPOD_TEST_USER || '';
export const noSubUser = process.env.TSPOD_NOSUB_USER || '';
export const registry = process.env.TSPOD_TEST_REGISTRY || '';
const app = process.env.TSPOD_TEST_APP || path.resolve(__dirname, '../..');
export const tspodBin = path.join(app, 'bin', 'tspod');
export const appDir = app;

if (process.getuid?.() === 0 && !testUser) {
  throw new Error('integration tests run tspod as an unprivileged user: run them through scripts/test.sh, which sets TSPOD_TEST_USER');
}

function idOf(user: string, flag: '-u' | '-g'): number {
  const r = spawnSync('id', [flag, user], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`test user ${user} does not exist: run sudo scripts/setup-host.sh --test-users`);
  return Number(r.stdout.trim());
}

export interface UserEnv {
  user: string;
  uid: number;
  gid: number;
  home: string;
  env: Record<string, string>;
}

/** The environment a login shell of that user would have (HOME, USER, PATH, XDG_RUNTIME_DIR). */
export function userEnv(user = testUser): UserEnv {
  if (!user) {
    const info = os.userInfo();
    return { user: info.username, uid: info.uid, gid: info.gid, home: info.homedir, env: { ...process.env } as Record<string, string> };
  }
  const uid = idOf(user, '-u');
  const gid = idOf(user, '-g');
  const home = spawnSync('getent', ['passwd', user], { encoding: 'utf8' }).stdout.split(':')[5];
  return {
    user,
    uid,
    gid,
    home,
    env: {
      HOME: home,
      USER: user,
      LOGNAME: user,
      PATH: '/usr/local/bin:/usr/bin:/bin',
      XDG_RUNTIME_DIR: `/run/user/${uid}`,
      LANG: 'C.UTF-8',
    },
  };
}

/** argv that runs cmd as the user: through runuser with a clean environment when tests run as root. */
export function asUser(cmd: string[], extraEnv: Record<string, string> = {}, user = testUser): string[] {
  const u = userEnv(user);
  const env = { ...u.env, ...extraEnv };
  if (!user) return ['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...cmd];
  return ['runuser', '-u', user, '--', 'env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...cmd];
}

function result(r: SpawnSyncReturns<string>): RunResult {
  if (r.error) throw r.error;
  return { code: r.status ?? 128 + 9, stdout: r.stdout, stderr: r.stderr };
}

export interface RunOptions {
  env?: Record<string, string>;
  user?: string;
  input?: string;
  timeoutMs?: number;
  /** The directory the command runs in (one the user can enter). */
  cwd?: string;
}

export function run(cmd: string[], opts: RunOptions = {}): RunResult {
  const argv = asUser(cmd, opts.env, opts.user ?? testUser);
  return result(spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', input: opts.input, timeout: opts.timeoutMs ?? 120_000, cwd: opts.cwd }));
}

/** Runs many commands at once as the user and waits for all. */
export function runConcurrently(cmds: string[][], opts: RunOptions = {}): Promise<RunResult[]> {
  return Promise.all(
    cmds.map(
      (cmd) =>
        new Promise<RunResult>((resolve, reject) => {
          const argv = asUser(cmd, opts.env, opts.user ?? testUser);
          const child = spawn(argv[0], argv.slice(1));
          child.stdin.end(opts.input ?? '');
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d) => (stdout += d));
          child.stderr.on('data', (d) => (stderr += d));
          child.on('error', reject);
          child.on('close', (code) => resolve({ code: code ?? 137, stdout, stderr }));
        }),
    ),
  );
}

/** A fresh directory owned by the user, removed by the caller's cleanup. */
export function userTempDir(prefix: string, user = testUser): string {
  const base = process.env.TSPOD_TEST_STATE ? path.join(process.env.TSPOD_TEST_STATE, 'tmp') : os.tmpdir();
  fs.mkdirSync(base, { recursive: true, mode: 0o755 });
  fs.chmodSync(base, 0o1777);
  const dir = fs.mkdtempSync(path.join(base, `${prefix}-`));
  if (user) {
    const u = userEnv(user);
    fs.chownSync(dir, u.uid, u.gid);
  }
  return dir;
}

/** Removes a test directory; files the user's namespace created may need root or the user to delete. */
export function removeTree(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A tspod bound to one isolated store, started by its own #! line as a user starts it: `t.tspod('info')`. */
export class Store {
  readonly dir: string;
  readonly root: string;
  readonly runroot: string;

  constructor(name: string, readonly user = testUser) {
    this.dir = userTempDir(name, user);
    this.root = path.join(this.dir, 'root');
    this.runroot = path.join(this.dir, 'run');
  }

  tspod(args: string[], opts: RunOptions = {}): RunResult {
    return run([tspodBin, '--root', this.root, '--runroot', this.runroot, ...args], { user: this.user, ...opts });
  }

  /** The same without blocking this process: for tests that serve the tspod they run (a proxy). */
  async tspodAsync(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    const [r] = await runConcurrently([[tspodBin, '--root', this.root, '--runroot', this.runroot, ...args]], { user: this.user, ...opts });
    return r;
  }

  /** Ends this store's namespace holder (if any), then removes its files. */
  cleanup(): void {
    if (fs.existsSync(path.join(this.runroot, 'pause.pid'))) this.tspod(['system', 'migrate']);
    removeTree(this.dir);
  }
}

/**
 * A registries.conf in the store's directory that makes the local registry Docker Hub's mirror
 * (so `debian` takes the real short-name path), and the images pulled through it: the env to use.
 */
export function mirrorDockerHub(store: Store, images: string[]): Record<string, string> {
  const conf = path.join(store.dir, 'registries.conf');
  fs.writeFileSync(conf, `unqualified-search-registries = ["docker.io"]\n[[registry]]\nprefix = "docker.io"\nlocation = "docker.io"\n[[registry.mirror]]\nlocation = "${registry}"\ninsecure = true\n`);
  fs.chmodSync(conf, 0o644);
  const env = { CONTAINERS_REGISTRIES_CONF: conf };
  for (const img of images) {
    const r = store.tspod(['pull', '-q', img], { env });
    if (r.code !== 0) throw new Error(`pulling ${img} through the mirror: ${r.stderr}`);
  }
  return env;
}

/** tspod with no --root/--runroot at all, as a user first types it. */
export function tspodPlain(args: string[], opts: RunOptions = {}): RunResult {
  return run([tspodBin, ...args], opts);
}

/** Pulls image into the store (if needed) and mounts it: the mounted root and the image's Config JSON. */
export function mountedImage(store: Store, image: string): { root: string; config: string } {
  if (store.tspod(['image', 'exists', image]).code !== 0) {
    const pull = store.tspod(['pull', '-q', image]);
    if (pull.code !== 0) throw new Error(`pulling ${image}: ${pull.stderr}`);
  }
  const mount = store.tspod(['image', 'mount', image]);
  if (mount.code !== 0) throw new Error(`mounting ${image}: ${mount.stderr}`);
  return { root: mount.stdout.trim(), config: JSON.stringify(JSON.parse(store.tspod(['image', 'inspect', image]).stdout)[0].Config) };
}

/** A tmux server of the test user's, one session running cmd in a 100x30 window. */
export class Terminal {
  private readonly socket: string;
  constructor(name: string) {
    this.socket = `tspod-${name}-${process.pid}`;
  }
  private tmux(args: string[]) {
    const argv = asUser(['tmux', '-L', this.socket, ...args]);
    return spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  }
  start(cmd: string): void {
    const r = this.tmux(['new-session', '-d', '-x', '100', '-y', '30', cmd]);
    if (r.status !== 0) throw new Error(`tmux new-session: ${r.stderr}`);
    this.tmux(['set', '-g', 'status', 'off']);
    this.tmux(['set', '-g', 'remain-on-exit', 'on']);
  }
  keys(...keys: string[]): void {
    this.tmux(['send-keys', ...keys]);
  }
  type(text: string): void {
    this.tmux(['send-keys', '-l', text]);
    this.tmux(['send-keys', 'Enter']);
  }
  screen(): string {
    return this.tmux(['capture-pane', '-p', '-J']).stdout;
  }
  resize(cols: number, rows: number): void {
    this.tmux(['resize-window', '-x', String(cols), '-y', String(rows)]);
  }
  async waitFor(re: RegExp, ms = 30_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const s = this.screen();
      if (re.test(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${re} on the screen; the screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  kill(): void {
    this.tmux(['kill-server']);
  }
}

/** A port no one listens on now (the kernel's choice on 127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Whether the port can be listened on at host (no one holds it). */
export function portFree(port: number, host = '0.0.0.0'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** GET http://127.0.0.1:PORT/PATH: "<status> <body>", or the error code. */
export function get(port: number, urlPath = '/'): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(`${res.statusCode} ${body.trim()}`));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? e.message));
  });
}

/** Polls f until ok(value), at most ms. */
export async function until<T>(what: string, f: () => T | Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await f();
  while (!ok(v)) {
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(v)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
    v = await f();
  }
  return v;
}
