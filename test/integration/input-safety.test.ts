// Nothing lost, nothing leaked, nothing let in: what a user pipes into `run -i` reaches the
// container byte for byte (ctrl-p ctrl-q in data are data: detach keys belong to a terminal),
// however large, with EOF passed on, bounded memory on the way, and the container's exit code;
// and bad input to run/create gets Podman's error and exit code and leaves nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Store, asUser, mirrorDockerHub, registry, run, tspodBin } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('input-safety');
let env: Record<string, string> = {};
const tspod = (args: string[], input?: string) => store.tspod(args, { env, input });
const tspodArgv = (args: string[]) => [tspodBin, '--root', store.root, '--runroot', store.runroot, ...args];

beforeAll(() => {
  env = mirrorDockerHub(store, ['debian']);
});

afterAll(() => {
  tspod(['rm', '-af']);
  store.cleanup();
});

/** Nothing of any container is left: no entry, no directory in the store, no mount. */
function expectNothingLeft(): void {
  expect(tspod(['ps', '-a', '-q']).stdout).toBe('');
  const dir = path.join(store.root, 'containers');
  expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
  expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(dir);
}

/** A chunk of random bytes with ctrl-p ctrl-q (the default detach keys) at its start. */
function randomChunk(size: number): Buffer {
  const b = crypto.randomFillSync(Buffer.allocUnsafe(size));
  b[7] = 0x10;
  b[8] = 0x11;
  return b;
}

interface Streamed {
  code: number;
  stdout: Buffer;
  stderr: string;
  /** Bytes the command had accepted on its stdin when `sample` was taken. */
  sampled?: number;
  sent: number;
  sha256: string;
  ms: number;
}

/**
 * Runs tspod as the user with `total` random bytes written to its stdin chunk by chunk as it takes
 * them (never all in memory); `sampleAfter` reads how much it had taken that many ms after its
 * stderr first printed `marker`. A command that stops reading ends the writing (EPIPE).
 */
function streamInto(args: string[], total: number, opts: { marker?: string; sampleAfter?: number } = {}): Promise<Streamed> {
  const argv = asUser(tspodArgv(args), env);
  const started = Date.now();
  const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  const hash = crypto.createHash('sha256');
  const out: Buffer[] = [];
  let stderr = '';
  let sent = 0;
  let sampled: number | undefined;
  let closed = false;
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => {
    const first = opts.marker && !stderr.includes(opts.marker);
    stderr += d.toString();
    if (first && stderr.includes(opts.marker!)) setTimeout(() => (sampled = sent), opts.sampleAfter ?? 0);
  });
  child.stdin.on('error', () => undefined);
  const write = async () => {
    while (sent < total && !closed) {
      const chunk = randomChunk(Math.min(1 << 20, total - sent));
      hash.update(chunk);
      sent += chunk.length;
      if (!child.stdin.write(chunk)) await new Promise((r) => { child.stdin.once('drain', r); child.stdin.once('close', r); });
    }
    child.stdin.end();
  };
  void write();
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      closed = true;
      resolve({ code: code ?? 137, stdout: Buffer.concat(out), stderr, sampled, sent, sha256: hash.digest('hex'), ms: Date.now() - started });
    });
  });
}

describe('run -i without a terminal', () => {
  it('passes ctrl-p ctrl-q in piped input through as data, byte-exact, and returns the exit code', () => {
    const r = tspod(['run', '--rm', '-i', 'debian', 'od', '-c'], 'abc\x10\x11def\n');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('0000000   a   b   c 020 021   d   e   f  \\n\n0000011\n');
    expect(r.code).toBe(0);
    expect(tspod(['run', '--rm', '-i', 'debian', 'sh', '-c', 'cat >/dev/null; exit 3'], '\x10\x11\x10\x11').code).toBe(3);
    expectNothingLeft();
  });

  it('passes them through start -a -i and attach as well', () => {
    expect(tspod(['create', '-i', '--name', 'started', 'debian', 'od', '-c']).code).toBe(0);
    const started = tspod(['start', '-a', '-i', 'started'], 'abc\x10\x11def\n');
    expect(started.stdout).toBe('0000000   a   b   c 020 021   d   e   f  \\n\n0000011\n');
    expect(started.code).toBe(0);
    expect(tspod(['run', '-d', '-i', '--name', 'attached', 'debian', 'od', '-c']).code).toBe(0);
    const attached = tspod(['attach', 'attached'], 'xy\x10\x11z\n');
    expect(attached.stdout).toBe('0000000   x   y 020 021   z  \\n\n0000006\n');
    expect(attached.code).toBe(0);
    expect(tspod(['ps', '-a', '--format', '{{.Names}} {{.State}}']).stdout.split('\n').sort().join(' ')).toBe(' attached exited started exited');
    expect(tspod(['rm', 'started', 'attached']).code).toBe(0);
    expectNothingLeft();
  });

  it('reads a file redirected to stdin to the end (md5sum) and leaves nothing running', () => {
    const data = randomChunk(10 * 1024);
    data[5000] = 0x10;
    data[5001] = 0x11;
    const file = path.join(store.dir, 'random-10KB');
    fs.writeFileSync(file, data, { mode: 0o644 });
    const md5 = crypto.createHash('md5').update(data).digest('hex');
    const cmd = tspodArgv(['run', '--rm', '-i', 'debian', 'md5sum']).map((a) => `'${a}'`).join(' ');
    const r = run(['sh', '-c', `${cmd} < ${file}`], { env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${md5}  -\n`);
    expect(r.code).toBe(0);
    expectNothingLeft();
  });

  it('carries 1 GiB of random bytes with the same sha256, reading no faster than the container takes them', async () => {
    const total = 1024 * 1024 * 1024;
    // The container reads nothing for 4 s: meanwhile tspod and its monitor may take in no more
    // than their buffers hold (without backpressure they would swallow the whole GiB).
    const r = await streamInto(['run', '--rm', '-i', 'debian', 'sh', '-c', 'echo waiting >&2; sleep 4; exec sha256sum'], total, { marker: 'waiting', sampleAfter: 2500 });
    console.log(`1 GiB through run -i: ${(r.ms / 1000).toFixed(1)} s (${r.sampled} bytes taken while the container slept)`);
    expect(r.stderr).toBe('waiting\n');
    expect(r.sent).toBe(total);
    expect(r.stdout.toString()).toBe(`${r.sha256}  -\n`);
    expect(r.code).toBe(0);
    expect(r.sampled).toBeDefined();
    expect(r.sampled!).toBeLessThan(8 * 1024 * 1024);
    expectNothingLeft();
  });

  it('ends when the container stops reading its input early, with its exit code', async () => {
    const r = await streamInto(['run', '--rm', '-i', 'debian', 'sh', '-c', 'head -c 9 | od -An -tx1; exit 3'], 256 * 1024 * 1024);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString().trim().split(/\s+/).slice(7)).toEqual(['10', '11']);
    expect(r.code).toBe(3);
    expect(r.sent).toBeLessThan(256 * 1024 * 1024);
    expectNothingLeft();
  });
});

describe('output to a slow reader', () => {
  it('waits for the reader instead of piling the output up, and loses none of it', async () => {
    // seq's numbered lines (1.5 million of 121 bytes: 181 MB): a byte lost, doubled or moved changes the sum.
    const seq = ['seq', '-f', '%0120.0f', '1', '1500000'];
    const expected = spawnSync('sh', ['-c', `${seq.map((a) => `'${a}'`).join(' ')} | sha256sum`], { encoding: 'utf8' }).stdout.split(' ')[0];
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
    const argv = asUser(tspodArgv(['run', '--rm', 'debian', ...seq]), env);
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 137)));
    // Nobody reads for 4 s: the container's output may fill the buffers on the way, no more, and
    // the container waits for its reader (as it would writing into a pipe).
    await new Promise((r) => setTimeout(r, 4000));
    expect(tspod(['ps', '-a', '--format', '{{.State}}']).stdout).toBe('running\n');
    const dir = path.join(store.root, 'containers');
    const logs = fs.readdirSync(dir).map((id) => path.join(dir, id, 'userdata', 'ctr.log')).filter((f) => fs.existsSync(f));
    expect(logs.length).toBe(1);
    const logged = fs.statSync(logs[0]).size;
    const hash = crypto.createHash('sha256');
    child.stdout.on('data', (d: Buffer) => hash.update(d));
    child.stdout.resume();
    const code = await closed;
    expect(logged).toBeLessThan(16 * 1024 * 1024);
    expect(stderr).toBe('');
    expect(hash.digest('hex')).toBe(expected);
    expect(code).toBe(0);
    expectNothingLeft();
  });
});

describe('bad input to run and create', () => {
  /** Nothing of a failed run is left: no container, no directory in the store or the runroot, no socket, no mount. */
  function expectNoTrace(): void {
    expectNothingLeft();
    for (const d of ['containers', 'sock', 'netns', 'locks']) {
      const dir = path.join(store.runroot, d);
      expect(fs.existsSync(dir) ? fs.readdirSync(dir) : [], dir).toEqual([]);
    }
  }

  it('refuses a label without a name, as Podman does, before anything is made', () => {
    for (const label of ['=', '=v']) {
      for (const verb of [['run', '--rm'], ['create']]) {
        const r = tspod([...verb, '--label', label, 'debian', 'true']);
        expect(r.stderr).toBe(`Error: invalid label format: "${label}": a label needs a name (--label name=value)\n`);
        expect(r.code).toBe(125);
      }
    }
    expectNoTrace();
  });

  it('takes a value that starts with "-" as the value (--user -1, --stop-timeout -5) and says what is wrong with it', () => {
    for (const args of [['--user', '-1'], ['-u', '-1'], ['--user', '0:-1']]) {
      const r = tspod(['run', '--rm', ...args, 'debian', 'id']);
      expect(r.stderr).toBe(`Error: invalid user "${args[1]}": uids and gids must be in range 0-2147483647\n`);
      expect(r.code).toBe(126);
    }
    const timeout = tspod(['run', '--rm', '--stop-timeout', '-5', 'debian', 'true']);
    expect(timeout.stderr).toBe('Error: invalid value "-5" for --stop-timeout: give a whole number of seconds\n');
    expect(timeout.code).toBe(125);
    // The program's own arguments are its own: nothing after the image is rewritten.
    const own = tspod(['run', '--rm', 'debian', 'sh', '-c', 'echo "$@"', 'sh', '--user', '-1']);
    expect(own.stdout).toBe('--user -1\n');
    expect(own.code).toBe(0);
    expectNoTrace();
  });

  it('run --rm with a user the image does not have: Podman\'s error and 126, and nothing left behind', () => {
    const r = tspod(['run', '--rm', '--user', 'nosuchuser', 'debian', 'id']);
    expect(r.stderr).toBe("Error: unable to find user nosuchuser: no matching entries in the image's /etc/passwd\n");
    expect(r.code).toBe(126);
    expectNoTrace();
    const missing = tspod(['run', '--rm', 'debian', 'nosuchcmd']);
    expect(missing.code).toBe(127);
    expectNoTrace();
  });

  it('run without --rm that cannot start keeps a created container, with no log of a start that never was', () => {
    const r = tspod(['run', '--name', 'nouser', '--user', 'nosuchuser', 'debian', 'id']);
    expect(r.stderr).toBe("Error: unable to find user nosuchuser: no matching entries in the image's /etc/passwd\n");
    expect(r.code).toBe(126);
    expect(tspod(['ps', '-a', '--format', '{{.Names}} {{.State}}']).stdout).toBe('nouser created\n');
    const id = tspod(['inspect', '--format', '{{.Id}}', 'nouser']).stdout.trim();
    expect(fs.existsSync(path.join(store.root, 'containers', id, 'userdata', 'ctr.log'))).toBe(false);
    expect(tspod(['rm', 'nouser']).code).toBe(0);
    expectNoTrace();
  });

  // Blocked on Node 20 itself while bin/tspod runs under node: node reads `--env-file` from the
  // script's arguments and exits 9 ("node: /nonexistent: not found") before tspod runs, even
  // through `node -- bin/tspod` and in the namespace re-exec. It passes once that is fixed.
  it('--env-file naming a missing file: a clear error and 125, and nothing left behind', () => {
    const r = tspod(['run', '--rm', '--env-file', '/nonexistent', 'debian', 'true']);
    expect(r.stderr).toBe('Error: parsing env file "/nonexistent": open /nonexistent: no such file or directory: check the path given to --env-file\n');
    expect(r.code).toBe(125);
    expectNoTrace();
  });
});
