// tspod build as the unprivileged user (issue 21): the cache (an unchanged context reuses every
// step; one changed file reruns its step and those after; a changed mtime reruns nothing), a failing
// RUN (Podman's exit code, the step named, nothing but the cached steps left), ctrl-c in a terminal
// in the middle of a RUN, build containers in ps --external and refused by rm, a secret that reaches
// its RUN and nothing else, and sources outside the context.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Store, Terminal, registry, tspodBin, userEnv, userTempDir } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('build');
const busybox = `${registry}/library/busybox`;
const tspod = (args: string[], input?: string) => store.tspod(args, input === undefined ? {} : { input });
const u = userEnv();

/** A context directory owned by the user, with these files. */
function context(files: Record<string, string>): string {
  const dir = userTempDir('ctx');
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  execFileSync('chown', ['-R', `${u.uid}:${u.gid}`, dir]);
  return dir;
}

const steps = (out: string) => out.split('\n').filter((l) => /^(\[\d+\/\d+\] )?STEP /.test(l)).length;
const cached = (out: string) => out.split('\n').filter((l) => l.startsWith('--> Using cache ')).length;
/** The STEP lines each followed by whether that step came from the cache. */
function stepCache(out: string): Array<[string, boolean]> {
  const lines = out.split('\n');
  const result: Array<[string, boolean]> = [];
  lines.forEach((l, i) => {
    const m = /STEP \d+\/\d+: (.*)$/.exec(l);
    if (m && !m[1].startsWith('FROM')) result.push([m[1], (lines[i + 1] ?? '').startsWith('--> Using cache ')]);
  });
  return result;
}

beforeAll(() => {
  expect(tspod(['pull', '-q', busybox]).code).toBe(0);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

describe('build cache', () => {
  it('reuses every step of an unchanged context, reruns a changed file\'s COPY and what follows, and ignores mtimes', () => {
    const dir = context({
      Containerfile: `FROM ${busybox}\nENV A=1\nCOPY one /one\nRUN cat /one > /copy-of-one\nCOPY two /two\nRUN cat /two /copy-of-one > /both\nLABEL done=yes\n`,
      one: 'first\n',
      two: 'second\n',
    });
    const first = tspod(['build', '-t', 'cachetest', dir]);
    expect(first.code, first.stderr).toBe(0);
    expect(cached(first.stdout)).toBe(0);
    const id = first.stdout.trim().split('\n').at(-1)!;
    expect(id).toMatch(/^[0-9a-f]{64}$/);

    const second = tspod(['build', '-t', 'cachetest', dir]);
    expect(second.code).toBe(0);
    expect(stepCache(second.stdout).every(([, hit]) => hit)).toBe(true);
    expect(cached(second.stdout)).toBe(6);
    expect(second.stdout.trim().split('\n').at(-1)).toBe(id);

    // Only the mtime changes: the content decides.
    fs.utimesSync(path.join(dir, 'one'), new Date('2001-01-01'), new Date('2001-01-01'));
    const touched = tspod(['build', '-t', 'cachetest', dir]);
    expect(cached(touched.stdout)).toBe(6);
    expect(touched.stdout.trim().split('\n').at(-1)).toBe(id);

    // The second copied file changes: its COPY and what follows run again, not what comes before.
    fs.writeFileSync(path.join(dir, 'two'), 'changed\n');
    const changed = tspod(['build', '-t', 'cachetest', dir]);
    expect(changed.code).toBe(0);
    expect(stepCache(changed.stdout)).toEqual([
      ['ENV A=1', true],
      ['COPY one /one', true],
      ['RUN cat /one > /copy-of-one', true],
      ['COPY two /two', false],
      ['RUN cat /two /copy-of-one > /both', false],
      ['LABEL done=yes', false],
    ]);
    const run = tspod(['run', '--rm', 'cachetest', 'cat', '/both']);
    expect(run.stdout).toBe('changed\nfirst\n');
    // --no-cache runs every step again.
    const fresh = tspod(['build', '--no-cache', '-t', 'cachetest', dir]);
    expect(fresh.code).toBe(0);
    expect(cached(fresh.stdout)).toBe(0);
    expect(steps(fresh.stdout)).toBe(7);
  });
});

describe('a failing RUN', () => {
  it("exits with the command's code, names the step, and leaves only the cached steps", () => {
    const dir = context({ Containerfile: `FROM ${busybox}\nRUN echo before > /before\nRUN echo failing; exit 7\nRUN echo never\n` });
    const before = tspod(['images', '-a', '-q']).stdout.split('\n').filter(Boolean).length;
    const r = tspod(['build', dir]);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('Error: building at STEP "RUN echo failing; exit 7": while running runtime: exit status 7');
    expect(r.stdout).toContain('failing\n');
    expect(r.stdout).not.toContain('never');
    // The step before the failure is in the cache (one image), no container is left.
    expect(tspod(['images', '-a', '-q']).stdout.split('\n').filter(Boolean).length).toBe(before + 1);
    expect(tspod(['ps', '-a', '--external', '-q']).stdout).toBe('');
    const again = tspod(['build', dir]);
    expect(again.code).toBe(7);
    expect(stepCache(again.stdout)[0]).toEqual(['RUN echo before > /before', true]);
  });
});

describe('build containers', () => {
  it('are listed by ps --external while their RUN runs, refused by rm, and gone after ctrl-c in a terminal', async () => {
    const dir = context({ Containerfile: `FROM ${busybox}\nRUN echo started-sleeping; sleep 60\n` });
    const term = new Terminal('build');
    try {
      term.start(`${tspodBin} --root ${store.root} --runroot ${store.runroot} build ${dir}; echo "EXIT=$?"`);
      await term.waitFor(/started-sleeping/, 30_000);
      expect(tspod(['ps', '-a', '-q']).stdout).toBe('');
      const listed = tspod(['ps', '--external', '--format', '{{.Names}} {{.Status}}']).stdout.trim().split('\n');
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatch(/^tspod-build-[0-9a-f]{12} Up /);
      const name = listed[0].split(' ')[0];
      const rm = tspod(['rm', '-f', name]);
      expect(rm.code).toBe(2);
      expect(rm.stderr).toMatch(new RegExp(`container ${name} is a build container of the build running as process \\d+: it is removed when that build ends`));
      term.keys('C-c');
      const screen = await term.waitFor(/EXIT=\d+/, 20_000);
      expect(screen).toMatch(/Error: build interrupted/);
      expect(screen).toContain('EXIT=130');
      expect(tspod(['ps', '-a', '--external', '-q']).stdout).toBe('');
    } finally {
      term.kill();
    }
  });
});

describe('secrets', () => {
  it('are readable in their RUN and found in no layer, history entry, config or the state database', () => {
    const secretText = `tok-${Date.now()}-s3cr3t`;
    const dir = context({
      Containerfile: `FROM ${busybox}\nRUN --mount=type=secret,id=tok test "$(cat /run/secrets/tok)" = "${secretText.slice(0, 4)}$(echo ${secretText.slice(4)})" && echo secret-matched\nRUN --mount=type=secret,id=tok,target=/etc/tok cp /etc/tok /leaked-copy-is-allowed-but-not-the-mount; ls /run/secrets /etc/tok 2>&1 | head -3\n`,
    });
    const secretFile = path.join(userTempDir('secret'), 'tok');
    fs.writeFileSync(secretFile, secretText);
    fs.chownSync(secretFile, u.uid, u.gid);
    const r = tspod(['build', '--secret', `id=tok,src=${secretFile}`, '-t', 'secrettest', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('secret-matched\n');
    const archive = path.join(store.dir, 'secret.tar');
    expect(tspod(['save', '-o', archive, 'secrettest']).code).toBe(0);
    const all = execFileSync('sh', ['-c', `mkdir -p ${archive}.d && tar -xf ${archive} -C ${archive}.d && for f in $(find ${archive}.d -type f); do case "$f" in *.tar) tar -xOf "$f";; *) cat "$f";; esac; done`], { maxBuffer: 256 << 20 }).toString('latin1');
    // The copy made on purpose by the second RUN is the only place the bytes may be; the mount points are not in a layer.
    expect(all.split(secretText).length - 1).toBe(1);
    const files = execFileSync('sh', ['-c', `for f in $(find ${archive}.d -name '*.tar'); do tar -tf "$f"; done`], { maxBuffer: 64 << 20 }).toString();
    expect(files).not.toMatch(/run\/secrets/);
    expect(files).not.toMatch(/^etc\/tok$/m);
    const history = tspod(['image', 'inspect', '--format', '{{json .History}}', 'secrettest']).stdout;
    expect(history).not.toContain(secretText);
    const db = execFileSync('sh', ['-c', `cat ${store.root}/*.db* 2>/dev/null; cat ${store.root}/state/* 2>/dev/null; true`], { maxBuffer: 256 << 20 }).toString('latin1');
    expect(db).not.toContain(secretText);
  });

  it('is refused when required and not given, naming the flag to add', () => {
    const dir = context({ Containerfile: `FROM ${busybox}\nRUN --mount=type=secret,id=missing,required=true true\n` });
    const r = tspod(['build', dir]);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('secret "missing" is required by RUN --mount=type=secret but was not given: add --secret id=missing,src=FILE');
  });
});

describe('the context boundary', () => {
  it('keeps COPY ../x and symlinks pointing out of the context inside it', () => {
    const outside = userTempDir('outside');
    fs.writeFileSync(path.join(outside, 'host-secret'), 'host-only\n');
    fs.chownSync(path.join(outside, 'host-secret'), u.uid, u.gid);
    const dir = context({ Containerfile: `FROM ${busybox}\nCOPY escape /escape\n`, 'host-secret': 'inside-context\n' });
    fs.symlinkSync(path.join(outside, 'host-secret'), path.join(dir, 'escape'));
    fs.lchownSync(path.join(dir, 'escape'), u.uid, u.gid);
    const linked = tspod(['build', '-t', 'escapetest', dir]);
    // The link's absolute target is resolved inside the context, where it does not exist.
    expect(linked.code).toBe(125);
    expect(linked.stderr).toBe(`Error: checking on sources under "${dir}": copier: stat: "/escape": no such file or directory\n`);
    const rel = path.relative(dir, path.join(outside, 'host-secret'));
    const dir2 = context({ Containerfile: `FROM ${busybox}\nCOPY ${rel} /up\n` });
    const up = tspod(['build', '-t', 'uptest', dir2]);
    expect(up.code).toBe(125);
    expect(up.stderr).toBe(`Error: checking on sources under "${dir2}": copier: stat: "/${path.basename(outside)}/host-secret": no such file or directory\n`);
  });
});
