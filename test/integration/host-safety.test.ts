// What a user types must never reach the Node runtime that runs tspod (Node 20 reads --env-file,
// and a NODE_OPTIONS in that file, anywhere on its command line), and tspod's runtime files must
// never land in a directory another user controls. Run as the unprivileged users, with each way
// tspod is started: its #! line, the re-run inside the user namespace, the monitor, and the
// `container cleanup` the monitor starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, mirrorDockerHub, registry, run, tspodBin, userEnv, userTempDir, type RunResult } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');
const norunUser = process.env.TSPOD_NORUN_USER || '';
if (!norunUser) throw new Error('TSPOD_NORUN_USER is not set: scripts/test.sh creates that user (scripts/setup-host.sh --test-users)');

describe('arguments never reach node', () => {
  const store = new Store('node-options');
  let env: Record<string, string> = {};
  const tspod = (args: string[]) => store.tspod(args, { env });
  const marker = path.join(store.dir, 'payload-ran');
  const envFile = path.join(store.dir, 'app.env');
  const payload = path.join(store.dir, 'payload.js');
  const ran = () => fs.existsSync(marker);

  beforeAll(() => {
    env = mirrorDockerHub(store, ['busybox']);
    fs.writeFileSync(payload, `require('fs').writeFileSync(${JSON.stringify(marker)}, process.argv.join(' '));\nconsole.log('PAYLOAD RAN');\n`);
    fs.writeFileSync(envFile, `NODE_OPTIONS=--require ${payload}\nGREETING=hello\n`);
    fs.chmodSync(payload, 0o644);
    fs.chmodSync(envFile, 0o644);
  });

  afterAll(() => {
    tspod(['rm', '-af']);
    store.cleanup();
  });

  const clean = (r: RunResult) => {
    expect(r.stdout + r.stderr).not.toContain('PAYLOAD RAN');
    expect(ran(), `the payload ran: ${fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : ''}`).toBe(false);
  };

  it('--env-file in both spellings is read by tspod for the container, never by node', () => {
    let r = tspod(['run', '--rm', '--env-file', envFile, 'busybox', 'sh', '-c', 'echo "$NODE_OPTIONS"; echo "$GREETING"']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`--require ${payload}\nhello\n`);
    expect(r.code).toBe(0);
    clean(r);
    r = tspod(['run', '--rm', `--env-file=${envFile}`, 'busybox', 'true']);
    expect(r.code, r.stderr).toBe(0);
    clean(r);
    // A container's own environment is the container's.
    r = tspod(['run', '--rm', '-e', `NODE_OPTIONS=--require ${payload}`, 'busybox', 'true']);
    expect(r.code, r.stderr).toBe(0);
    clean(r);
  });

  it('words meant for the container pass through as typed: run, exec, the monitor and its cleanup', () => {
    let r = tspod(['run', '--rm', 'busybox', 'echo', '--env-file=/x', '--env-file', envFile]);
    expect(r).toEqual({ code: 0, stdout: `--env-file=/x --env-file ${envFile}\n`, stderr: '' });
    clean(r);
    // Detached: the monitor runs it, and `container cleanup` runs after its exit.
    r = tspod(['run', '-d', '--name', 'words', 'busybox', 'sh', '-c', 'sleep 1000', '--env-file', envFile]);
    expect(r.code, r.stderr).toBe(0);
    r = tspod(['exec', 'words', 'echo', '--env-file=/x']);
    expect(r).toEqual({ code: 0, stdout: '--env-file=/x\n', stderr: '' });
    r = tspod(['exec', 'words', 'echo', '--env-file', envFile]);
    expect(r).toEqual({ code: 0, stdout: `--env-file ${envFile}\n`, stderr: '' });
    expect(tspod(['stop', '-t', '0', 'words']).code).toBe(0);
    r = tspod(['inspect', '--format', '{{.State.Status}}', 'words']);
    expect(r.stdout).toBe('exited\n');
    clean(r);
  });
});

describe('the runtime directory without XDG_RUNTIME_DIR', () => {
  const store = new Store('runtime-dir', norunUser);
  const u = userEnv(norunUser);
  const fallback = `/tmp/tspod-run-${u.uid}`;
  let env: Record<string, string> = {};
  // No XDG_RUNTIME_DIR, and this user has no /run/user/UID: tspod picks its own directory.
  const tspod = (args: string[], extra: Record<string, string> = {}) => run([tspodBin, '--root', store.root, ...args], { user: norunUser, env: { ...env, XDG_RUNTIME_DIR: '', ...extra } });

  beforeAll(() => {
    expect(fs.existsSync(`/run/user/${u.uid}`), `${norunUser} must have no /run/user directory`).toBe(false);
    fs.rmSync(fallback, { recursive: true, force: true });
    fs.rmSync('/tmp/tspod-0', { recursive: true, force: true });
    env = mirrorDockerHub(store, []);
    // Pulled with the store's own runroot: the tests below start without one.
    const pull = tspod(['--runroot', store.runroot, 'pull', '-q', 'busybox']);
    expect(pull.code, pull.stderr).toBe(0);
  });

  afterAll(() => {
    tspod(['rm', '-af']);
    tspod(['system', 'migrate']);
    store.cleanup();
    fs.rmSync(fallback, { recursive: true, force: true });
  });

  it('refuses one that another user made, and writes nothing into it', () => {
    fs.rmSync(fallback, { recursive: true, force: true });
    fs.mkdirSync(fallback);
    fs.chownSync(fallback, 65534, 65534);
    fs.chmodSync(fallback, 0o777);
    const r = tspod(['ps', '-a']);
    expect(r.code).toBe(125);
    expect(r.stderr).toBe(
      `Error: ${fallback} belongs to uid 65534, not to you (uid ${u.uid}): another user could read or replace tspod's sockets and locks there; remove it (as its owner or root), or set XDG_RUNTIME_DIR to a directory of yours with mode 0700\n`,
    );
    expect(fs.readdirSync(fallback)).toEqual([]);
    fs.rmdirSync(fallback);
    // A link someone else planted, even to a directory of the user's.
    const own = userTempDir('own-run', norunUser);
    fs.symlinkSync(own, fallback);
    const linked = tspod(['ps', '-a']);
    expect(linked.code).toBe(125);
    expect(linked.stderr).toContain(`${fallback} belongs to uid 0, not to you`);
    expect(fs.readdirSync(own)).toEqual([]);
    fs.unlinkSync(fallback);
  });

  it('refuses an XDG_RUNTIME_DIR of another user, and says what to do about a missing one', () => {
    const missing = tspod(['ps', '-a'], { XDG_RUNTIME_DIR: `/run/user/${u.uid}` });
    expect(missing).toEqual({ code: 125, stdout: '', stderr: `Error: cannot create /run/user/${u.uid}: permission denied: set XDG_RUNTIME_DIR (or --runroot, --root) to a directory of yours\n` });
    const other = userTempDir('other-xdg', '');
    fs.chmodSync(other, 0o777);
    const r = tspod(['ps', '-a'], { XDG_RUNTIME_DIR: other });
    expect(r.code).toBe(125);
    expect(r.stderr).toContain(`Error: ${other} belongs to uid 0, not to you (uid ${u.uid})`);
    expect(fs.readdirSync(other)).toEqual([]);
  });

  it('makes its own private one, decided outside the namespace and kept inside it', () => {
    expect(fs.existsSync(fallback)).toBe(false);
    let r = tspod(['run', '--rm', 'busybox', 'true']);
    expect(r.code, r.stderr).toBe(0);
    const st = fs.lstatSync(fallback);
    expect(st.isDirectory()).toBe(true);
    expect(st.uid).toBe(u.uid);
    expect(st.mode & 0o777).toBe(0o700);
    r = tspod(['run', '-d', '--name', 'netted', 'busybox', 'sleep', '1000']);
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    // The attach socket, the holder's pid file and the runtime's state are all below it.
    expect(fs.existsSync(path.join(fallback, 'tspod', 'pause.pid'))).toBe(true);
    expect(fs.readdirSync(path.join(fallback, 'tspod', 'containers'))).toContain(id);
    expect(fs.existsSync(path.join(fallback, 'tsrt', id))).toBe(true);
    // Inside the namespace the uid is 0: nothing may fall back to a path computed from that.
    expect(fs.existsSync('/tmp/tspod-0')).toBe(false);
    expect(tspod(['exec', 'netted', 'true']).code).toBe(0);
    expect(tspod(['rm', '-f', '-t', '0', 'netted']).code).toBe(0);
  });
});
