// systemd units and quadlet files as the unprivileged user would use them: generated, checked by
// systemd's own verifier, and their Exec lines split as systemd splits them (systemd.syntax(7):
// continuation lines, quotes, C escapes, then %-specifiers and $$) and run by hand, since no user
// manager runs on these machines. Readiness goes to a real datagram socket that the test listens
// on (python3: Node's dgram has no Unix datagram sockets).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Store, freePort, mirrorDockerHub, registry, run, userEnv, userTempDir } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('systemd');
let env: Record<string, string> = {};
const tspod = (args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) => store.tspod(args, { env: { ...env, ...opts.env }, cwd: opts.cwd });
const runtimeDir = userEnv().env.XDG_RUNTIME_DIR;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox', 'debian']);
});

afterAll(() => {
  tspod(['rm', '-af']);
  store.cleanup();
});

/** The test's own reading of systemd's rules: one Exec line into argv, specifiers expanded. */
function systemdArgv(value: string, specifiers: Record<string, string>): string[] {
  const words: string[] = [];
  const text = value.replace(/\\\n/g, ' ');
  const escapes: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', '"': '"', "'": "'", ';': ';' };
  let i = 0;
  for (;;) {
    while (/\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) break;
    let w = '';
    let q = '';
    while (i < text.length && (q || !/\s/.test(text[i]))) {
      const ch = text[i++];
      if (ch === '\\') w += escapes[text[i]] ?? text[i], i++;
      else if (q && ch === q) q = '';
      else if (!q && (ch === '"' || ch === "'")) q = ch;
      else w += ch;
    }
    if (q) throw new Error(`unbalanced quote in ${value}`);
    words.push(w.replace(/%(.)/g, (_, s: string) => (s === '%' ? '%' : specifiers[s] ?? `%${s}`)).replace(/\$\$/g, '$'));
  }
  return words;
}

function unitEntries(text: string): Array<[string, string]> {
  return text
    .split(/\n(?![\t ])/)
    .filter((l) => /^[A-Za-z]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
}

function entry(text: string, key: string): string {
  const found = unitEntries(text).filter(([k]) => k === key);
  expect(found.length, `${key}= in\n${text}`).toBe(1);
  return found[0][1];
}

/** systemd's verifier, for the user's manager where it can run, else the system one. */
function verify(file: string): void {
  const user = run(['systemd-analyze', 'verify', '--user', file]);
  if (user.code === 0 && !user.stderr.trim()) return;
  if (/Failed to initialize manager|XDG_RUNTIME_DIR|No such device/.test(user.stderr)) {
    const sys = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    expect(sys.status, sys.stderr).toBe(0);
    expect(sys.stderr.trim()).toBe('');
    return;
  }
  throw new Error(`systemd-analyze verify --user ${file}: ${user.stderr}`);
}

/** Runs an Exec line the way systemd would: split, specifiers expanded, the unit's Environment= set. */
function execAsSystemd(unitText: string, key: string, unitName: string, extraEnv: Record<string, string> = {}) {
  const argv = systemdArgv(entry(unitText, key).replace(/^-/, ''), { t: runtimeDir, n: unitName, N: unitName.replace(/\.service$/, '') });
  return run(argv, { env: { ...env, TSPOD_SYSTEMD_UNIT: unitName, ...extraEnv }, timeoutMs: 60_000 });
}

function inspect(name: string) {
  const r = tspod(['inspect', name]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout)[0];
}

/**
 * What makes two containers "the same" for a unit: image, command, ports, mounts, environment
 * (the process's, as Podman 5 shows it, but for HOSTNAME: the container's own ID-derived name).
 */
function essentials(doc: { ImageName: string; Config: { Env: string[]; Cmd: string[]; Hostname: string }; HostConfig: { PortBindings: unknown }; Mounts: Array<{ Type: string; Name?: string; Source: string; Destination: string }> }) {
  return {
    image: doc.ImageName,
    cmd: doc.Config.Cmd,
    env: doc.Config.Env.filter((e) => e !== `HOSTNAME=${doc.Config.Hostname}`).sort(),
    ports: doc.HostConfig.PortBindings,
    mounts: doc.Mounts.map((m) => `${m.Type}:${m.Name ?? m.Source}:${m.Destination}`).sort(),
  };
}

/** A datagram socket the test listens on (python3), as systemd's $NOTIFY_SOCKET. */
class NotifyListener {
  readonly socketPath: string;
  private readonly child: ChildProcess;
  messages: string[] = [];
  constructor(dir: string) {
    this.socketPath = path.join(dir, 'notify.sock');
    const script = 'import socket,os,sys,json\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind(sys.argv[1]);os.chmod(sys.argv[1],0o777)\nprint("ready",flush=True)\nwhile True: print(json.dumps(s.recv(65536).decode()),flush=True)';
    this.child = spawn('python3', ['-c', script, this.socketPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) if (l !== 'ready') this.messages.push(JSON.parse(l));
    });
  }
  async ready(): Promise<void> {
    for (let i = 0; i < 200 && !fs.existsSync(this.socketPath); i++) await sleep(25);
    expect(fs.existsSync(this.socketPath)).toBe(true);
  }
  async waitFor(pred: (all: string[]) => boolean, ms = 15_000): Promise<string[]> {
    const end = Date.now() + ms;
    while (!pred(this.messages)) {
      if (Date.now() > end) throw new Error(`no matching notification in ${ms} ms; got ${JSON.stringify(this.messages)}`);
      await sleep(25);
    }
    return this.messages;
  }
  close(): void {
    this.child.kill();
  }
}

describe('generate systemd --new', () => {
  it('writes a unit systemd accepts whose ExecStart, run as systemd would, makes an equivalent container, and whose stop lines remove it', async () => {
    const dir = userTempDir('units');
    const port = await freePort();
    const created = tspod(['create', '--name', 'web', '--stop-timeout', '1', '-p', `${port}:80`, '-v', 'webdata:/data', '-e', 'GREETING=hello "big" world', '-e', "QUOTE=it's $HOME at 100% \\o/", '-e', 'EMPTY=', '--restart=always', 'busybox', 'sh', '-c', 'echo "$GREETING"; sleep 1000']);
    expect(created.code, created.stderr).toBe(0);
    const before = essentials(inspect('web'));

    const gen = tspod(['generate', 'systemd', '--new', '--files', '--name', 'web'], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    const file = path.join(dir, 'container-web.service');
    expect(gen.stdout.trim()).toBe(file);
    const unit = fs.readFileSync(file, 'utf8');
    verify(file);
    expect(entry(unit, 'Type')).toBe('notify');
    expect(entry(unit, 'NotifyAccess')).toBe('all');
    expect(entry(unit, 'Restart')).toBe('always');
    expect(entry(unit, 'Environment')).toBe('TSPOD_SYSTEMD_UNIT=%n');
    expect(entry(unit, 'WantedBy')).toBe('default.target');
    const start = systemdArgv(entry(unit, 'ExecStart'), { t: runtimeDir, n: 'container-web.service' });
    expect(path.isAbsolute(start[0])).toBe(true);
    expect(start).toEqual(expect.arrayContaining(['run', `--cidfile=${runtimeDir}/container-web.service.ctr-id`, '--rm', '-d', '--replace', '--sdnotify=conmon']));
    expect(start.some((w) => w.startsWith('--restart'))).toBe(false); // systemd restarts it now

    // The old container goes (--replace), a new one comes up from the unit's command line.
    const up = execAsSystemd(unit, 'ExecStart', 'container-web.service');
    expect(up.code, up.stderr).toBe(0);
    const doc = inspect('web');
    expect(doc.State.Status).toBe('running');
    expect(essentials(doc)).toEqual(before);
    expect(doc.HostConfig.AutoRemove).toBe(true);
    expect(doc.Config.Labels.TSPOD_SYSTEMD_UNIT).toBe('container-web.service');
    const cidFile = path.join(runtimeDir, 'container-web.service.ctr-id');
    expect(fs.readFileSync(cidFile, 'utf8').trim()).toBe(doc.Id);
    expect(tspod(['logs', 'web']).stdout).toBe('hello "big" world\n');

    // Started again without a stop in between (a crash, a reboot's leftovers): --replace copes.
    const again = execAsSystemd(unit, 'ExecStart', 'container-web.service');
    expect(again.code, again.stderr).toBe(0);

    const stop = execAsSystemd(unit, 'ExecStop', 'container-web.service');
    expect(stop.code, stop.stderr).toBe(0);
    const post = execAsSystemd(unit, 'ExecStopPost', 'container-web.service');
    expect(post.code, post.stderr).toBe(0);
    expect(tspod(['container', 'exists', 'web']).code).toBe(1);
    expect(fs.existsSync(cidFile)).toBe(false);
    // Stopping a unit whose start never wrote the ID file is no error either.
    expect(execAsSystemd(unit, 'ExecStop', 'container-web.service').code).toBe(0);
    expect(execAsSystemd(unit, 'ExecStopPost', 'container-web.service').code).toBe(0);
  });

  it('prints the unit, or JSON, without --files; refuses what it cannot do', () => {
    expect(tspod(['create', '--name', 'printed', 'busybox', 'true']).code).toBe(0);
    const text = tspod(['generate', 'systemd', '--no-header', '--restart-policy', 'on-abnormal', '--after', 'foo.target', '-t', '3', 'printed']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.startsWith('[Unit]\n')).toBe(true);
    const id = inspect('printed').Id;
    expect(entry(text.stdout, 'Restart')).toBe('on-abnormal');
    expect(entry(text.stdout, 'After')).toBe('network-online.target foo.target');
    expect(entry(text.stdout, 'TimeoutStopSec')).toBe('63');
    expect(entry(text.stdout, 'ExecStart')).toMatch(new RegExp(` start ${id}$`));
    const json = tspod(['generate', 'systemd', '--format', 'json', '--name', '--container-prefix', 'app', '--separator', '_', 'printed']);
    expect(json.code, json.stderr).toBe(0);
    expect(Object.keys(JSON.parse(json.stdout))).toEqual(['app_printed']);

    const missing = tspod(['generate', 'systemd', 'nosuch']);
    expect(missing.code).toBe(125);
    expect(missing.stderr).toMatch(/no such container/);
    const policy = tspod(['generate', 'systemd', '--restart-policy', 'sometimes', 'printed']);
    expect(policy.code).toBe(125);
    expect(policy.stderr).toMatch(/invalid --restart-policy "sometimes": use one of no, on-success/);
    const format = tspod(['generate', 'systemd', '--format', 'yaml', 'printed']);
    expect(format.code).toBe(125);
    const unreadable = tspod(['generate', 'systemd', '--files', 'printed'], { cwd: '/' });
    expect(unreadable.code).toBe(125);
    expect(unreadable.stderr).toMatch(/cannot write \/container-[0-9a-f]{64}\.service: EACCES: run it in a directory you can write/);
  });
});

describe('generate systemd for an existing container', () => {
  it('starts and stops it with Type=forking, and PIDFile= names the running monitor', () => {
    const dir = userTempDir('units-old');
    expect(tspod(['create', '--name', 'kept', '--stop-timeout', '1', 'busybox', 'sleep', '1000']).code).toBe(0);
    const gen = tspod(['generate', 'systemd', '--files', '--name', 'kept'], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    const unit = fs.readFileSync(gen.stdout.trim(), 'utf8');
    verify(gen.stdout.trim());
    expect(entry(unit, 'Type')).toBe('forking');

    const start = execAsSystemd(unit, 'ExecStart', 'container-kept.service');
    expect(start.code, start.stderr).toBe(0);
    const doc = inspect('kept');
    expect(doc.State.Status).toBe('running');
    const pidFile = entry(unit, 'PIDFile');
    const monitor = Number(fs.readFileSync(pidFile, 'utf8').trim());
    expect(monitor).toBe(doc.State.ConmonPid);
    expect(fs.readFileSync(`/proc/${monitor}/cmdline`, 'utf8')).toMatch(/conmon\.js/);

    const stop = execAsSystemd(unit, 'ExecStop', 'container-kept.service');
    expect(stop.code, stop.stderr).toBe(0);
    expect(inspect('kept').State.Status).toBe('exited');
    expect(execAsSystemd(unit, 'ExecStopPost', 'container-kept.service').code).toBe(0);
    // The unit starts it again, as after a reboot.
    expect(execAsSystemd(unit, 'ExecStart', 'container-kept.service').code).toBe(0);
    expect(inspect('kept').State.Status).toBe('running');
    expect(execAsSystemd(unit, 'ExecStop', 'container-kept.service').code).toBe(0);
  });
});

describe('--sdnotify', () => {
  it('conmon: READY=1 with the monitor as MAINPID reaches $NOTIFY_SOCKET once the container runs', async () => {
    const listener = new NotifyListener(userTempDir('notify'));
    try {
      await listener.ready();
      const r = tspod(['run', '-d', '--name', 'ready1', '--sdnotify=conmon', 'busybox', 'sleep', '1000'], { env: { NOTIFY_SOCKET: listener.socketPath } });
      expect(r.code, r.stderr).toBe(0);
      const messages = await listener.waitFor((m) => m.some((x) => x.includes('READY=1')));
      const monitor = inspect('ready1').State.ConmonPid;
      expect(monitor).toBeGreaterThan(0);
      expect(messages).toEqual([`MAINPID=${monitor}\nREADY=1\n`]);
    } finally {
      listener.close();
    }
  });

  it("container: the container's own READY=1 is passed on, then the monitor is named MAINPID", async () => {
    const listener = new NotifyListener(userTempDir('notify2'));
    try {
      await listener.ready();
      const program = 'sleep 1; my $s = IO::Socket::UNIX->new(Type => SOCK_DGRAM, Peer => $ENV{NOTIFY_SOCKET}) or die "socket: $!"; $s->send("READY=1") or die "send: $!"; sleep 1000';
      const started = Date.now();
      const r = tspod(['run', '-d', '--name', 'ready2', '--sdnotify=container', 'debian', 'perl', '-MIO::Socket::UNIX', '-MSocket', '-e', program], { env: { NOTIFY_SOCKET: listener.socketPath } });
      expect(r.code, r.stderr).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // run -d returned once the container was ready
      const doc = inspect('ready2');
      const messages = await listener.waitFor((m) => m.includes(`MAINPID=${doc.State.ConmonPid}\n`));
      expect(messages[0]).toBe('READY=1\n');
      expect(messages[messages.length - 1]).toBe(`MAINPID=${doc.State.ConmonPid}\n`);
    } finally {
      listener.close();
    }
  });

  it('ignore sends nothing; a bad mode is refused', async () => {
    const listener = new NotifyListener(userTempDir('notify3'));
    try {
      await listener.ready();
      const r = tspod(['run', '-d', '--name', 'quiet', '--sdnotify=ignore', 'busybox', 'sleep', '1000'], { env: { NOTIFY_SOCKET: listener.socketPath } });
      expect(r.code, r.stderr).toBe(0);
      await sleep(500);
      expect(listener.messages).toEqual([]);
    } finally {
      listener.close();
    }
    const bad = tspod(['run', '--sdnotify=always', 'busybox', 'true']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toMatch(/invalid --sdnotify "always": use conmon, container or ignore/);
  });
});

describe('quadlet', () => {
  it('generate quadlet writes a .container file that tspod quadlet turns into a unit making an equivalent container', async () => {
    const dir = userTempDir('quadlet');
    const port = await freePort();
    const made = tspod(['run', '-d', '--name', 'qweb', '-p', `${port}:80`, '-v', 'qdata:/data', '-e', 'MOTTO=two words "quoted"', '--label', 'tier=front end', '--read-only', '--restart', 'on-failure', 'busybox', 'sleep', '1000']);
    expect(made.code, made.stderr).toBe(0);
    const before = essentials(inspect('qweb'));
    const gen = tspod(['generate', 'quadlet', '--files', 'qweb'], { cwd: dir });
    expect(gen.code, gen.stderr).toBe(0);
    const containerFile = path.join(dir, 'qweb.container');
    expect(gen.stdout.trim()).toBe(containerFile);
    const quadlet = fs.readFileSync(containerFile, 'utf8');
    expect(quadlet).toMatch(/^\[Container\]$/m);
    expect(quadlet).toMatch(new RegExp(`^PublishPort=${port}:80$`, 'm'));
    expect(quadlet).toMatch(/^Volume=qdata:\/data$/m);
    expect(quadlet).toMatch(/^ReadOnly=true$/m);
    expect(quadlet).toMatch(/^Restart=on-failure$/m);

    const conv = tspod(['quadlet', '--output', dir, containerFile]);
    expect(conv.code, conv.stderr).toBe(0);
    const unitFile = path.join(dir, 'qweb.service');
    expect(conv.stdout.trim()).toBe(unitFile);
    const unit = fs.readFileSync(unitFile, 'utf8');
    verify(unitFile);
    expect(entry(unit, 'SourcePath')).toBe(containerFile);

    expect(tspod(['rm', '-f', 'qweb']).code).toBe(0);
    const up = execAsSystemd(unit, 'ExecStart', 'qweb.service');
    expect(up.code, up.stderr).toBe(0);
    const doc = inspect('qweb');
    expect(doc.State.Status).toBe('running');
    expect(essentials(doc)).toEqual(before);
    expect(doc.Config.Labels.tier).toBe('front end');
    expect(doc.HostConfig.ReadonlyRootfs).toBe(true);
    expect(execAsSystemd(unit, 'ExecStop', 'qweb.service').code).toBe(0);
    expect(tspod(['container', 'exists', 'qweb']).code).toBe(1);
  });

  it('finds .container files in the user directory, and explains bad files', () => {
    const home = userEnv().home;
    const dir = path.join(home, '.config', 'containers', 'systemd');
    const mk = run(['mkdir', '-p', dir]);
    expect(mk.code, mk.stderr).toBe(0);
    run(['sh', '-c', `printf '[Unit]\\nDescription=hello\\n[Container]\\nImage=busybox\\nExec=echo "hi there"\\nEnvironment=A=1 "B=2 3"\\n' > ${dir}/hello.container`]);
    try {
      const r = tspod(['quadlet']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^---hello\.service---$/m);
      const unit = r.stdout.split('---hello.service---\n')[1];
      const argv = systemdArgv(entry(unit, 'ExecStart'), { t: runtimeDir, n: 'hello.service', N: 'hello' });
      expect(argv.slice(-3)).toEqual(['busybox', 'echo', 'hi there']);
      expect(argv).toEqual(expect.arrayContaining(['--name=systemd-hello', '--env=A=1', '--env=B=2 3']));

      run(['sh', '-c', `printf '[Container]\\nImage=busybox\\nFrobnicate=yes\\n' > ${dir}/bad.container`]);
      const bad = tspod(['quadlet', path.join(dir, 'bad.container')]);
      expect(bad.code).toBe(125);
      expect(bad.stderr).toMatch(/unsupported key "Frobnicate" in \[Container\]/);
      run(['sh', '-c', `printf '[Container]\\nExec=true\\n' > ${dir}/noimage.container`]);
      const noImage = tspod(['quadlet', path.join(dir, 'noimage.container')]);
      expect(noImage.code).toBe(125);
      expect(noImage.stderr).toMatch(/has no Image=/);
      const notContainer = tspod(['quadlet', '/etc/hostname']);
      expect(notContainer.code).toBe(125);
    } finally {
      run(['rm', '-rf', path.join(home, '.config', 'containers', 'systemd')]);
    }
  });
});
