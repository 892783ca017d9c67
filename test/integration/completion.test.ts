// Shell completion as the unprivileged user, in the real shells with the scripts `tspod completion`
// prints: bash (the completion function called as readline would), zsh (Tab typed in a terminal,
// tmux) and fish (complete -C). Each completes verbs, running containers only for stop, the
// --network modes with a user-defined network, and image names; a missing shell fails under CI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Store, asUser, mirrorDockerHub, registry, run, tspodBin, userTempDir } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('completion');
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });
/** `tspod` on PATH, as users have it: a directory with a link to the tspod under test. */
const bin = path.join(store.dir, 'bin');
const PATH = `${bin}:/usr/local/bin:/usr/bin:/bin`;
const line = (words: string) => `tspod --root ${store.root} --runroot ${store.runroot} ${words}`;
const script = (shell: string) => path.join(store.dir, `completion.${shell}`, shell === 'zsh' ? '_tspod' : 'tspod');

/** Each shell is a prerequisite, never a reason to skip: scripts/setup-host.sh installs them. */
function requireShell(shell: string): void {
  if (spawnSync('sh', ['-c', `command -v ${shell}`]).status !== 0) throw new Error(`${shell} is not installed: sudo scripts/setup-host.sh --test-users installs it (TEST_PACKAGES)`);
}
for (const shell of ['bash', 'zsh', 'fish']) requireShell(shell);

/** The lines a shell printed as the user, which must succeed quietly. */
function shellLines(argv: string[]): string[] {
  const r = run(argv, { env: { PATH } });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
}

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
  expect(tspod(['run', '-d', '--name', 'web', 'busybox', 'sleep', '1000']).code).toBe(0);
  expect(tspod(['run', '--name', 'done', 'busybox', 'true']).code).toBe(0);
  expect(tspod(['network', 'create', 'mynet']).code).toBe(0);
  fs.mkdirSync(bin);
  fs.symlinkSync(tspodBin, path.join(bin, 'tspod'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = tspod(['completion', shell]);
    expect(r.code).toBe(0);
    fs.mkdirSync(path.dirname(script(shell)));
    fs.writeFileSync(script(shell), r.stdout);
  }
  spawnSync('chmod', ['-R', 'a+rX', store.dir]);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

describe('tspod completion and __complete', () => {
  it('refuses a shell it has no script for', () => {
    const r = tspod(['completion', 'tcsh']);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Error: unsupported shell "tcsh": use one of bash, zsh, fish\n');
  });

  it('answers with candidates, descriptions and the directive', () => {
    expect(tspod(['__complete', 'st']).stdout).toBe(
      'start\tStart one or more containers\nstats\tDisplay the resource use of running containers\nstop\tStop one or more running containers\n:4\n',
    );
    const r = run([tspodBin, '__complete', '--root', store.root, 'stop', '']);
    expect(r).toEqual({ code: 0, stdout: 'web\trunning\n:4\n', stderr: '' });
  });

  it('is not in the help', () => {
    expect(tspod(['--help']).stdout).not.toContain('__complete');
    expect(tspod(['--help']).stdout).toContain('completion');
  });

  it('prints only the directive, exit 0, when the database is absent, unreadable or not a database', () => {
    const dir = userTempDir('completion-broken');
    try {
      const absent = path.join(dir, 'absent');
      expect(run([tspodBin, '__complete', '--root', absent, 'stop', ''])).toEqual({ code: 0, stdout: ':4\n', stderr: '' });
      expect(fs.existsSync(absent)).toBe(false); // completion creates nothing
      const garbage = path.join(dir, 'garbage');
      fs.mkdirSync(garbage);
      fs.writeFileSync(path.join(garbage, 'state.db'), 'this is not an SQLite database, whatever its name says\n'.repeat(100));
      spawnSync('chmod', ['-R', 'a+rwX', dir]);
      expect(run([tspodBin, '__complete', '--root', garbage, 'rmi', ''])).toEqual({ code: 0, stdout: ':4\n', stderr: '' });
      const unreadable = path.join(dir, 'unreadable');
      fs.mkdirSync(unreadable, { mode: 0o700 }); // root's, so the test user cannot enter it
      fs.copyFileSync(path.join(store.root, 'state.db'), path.join(unreadable, 'state.db'));
      expect(run([tspodBin, '__complete', '--root', unreadable, 'stop', ''])).toEqual({ code: 0, stdout: ':4\n', stderr: '' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bash', () => {
  /** COMPREPLY after _tspod ran for the line, as bash's programmable completion calls it. */
  function complete(text: string): string[] {
    const sh = `source ${script('bash')}
COMP_LINE=$1; COMP_POINT=\${#COMP_LINE}; read -r -a COMP_WORDS <<<"$COMP_LINE"
[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
_tspod tspod "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"`;
    return shellLines(['bash', '--norc', '--noprofile', '-c', sh, 'bash', text]);
  }

  it('completes verbs', () => {
    expect(complete('tspod st')).toEqual(['start', 'stats', 'stop']);
  });

  it('offers only running containers to stop', () => {
    expect(complete(line('stop '))).toEqual(['web']);
    expect(complete(line('start '))).toEqual(['done']);
  });

  it('offers the network modes and user-defined networks for --network', () => {
    expect(complete(line('run --network '))).toEqual(['none', 'host', 'slirp4netns', 'pasta', 'private', 'container:', 'mynet']);
    // readline replaces the text after '=' and ':' only, so the candidates start there
    expect(complete(line('run --network=sl'))).toEqual(['slirp4netns']);
    expect(complete(line('run --network container:w'))).toEqual(['web']);
  });

  it('offers image names', () => {
    expect(complete(line('rmi '))).toEqual(['docker.io/library/busybox:latest', 'busybox:latest']);
  });
});

/** A tmux server of the test user's running one interactive zsh. */
class ZshTerminal {
  private readonly socket = `tspod-completion-${process.pid}`;

  private tmux(args: string[]) {
    const argv = asUser(['tmux', '-L', this.socket, ...args], { PATH });
    return spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  }

  /** zsh without any rc file, then compinit with the script's directory first in fpath. */
  async start(): Promise<void> {
    expect(this.tmux(['new-session', '-d', '-x', '200', '-y', '40', '-c', store.dir, 'zsh -f -i']).status).toBe(0);
    this.tmux(['set', '-g', 'status', 'off']);
    await this.waitFor(/% $/m); // zsh drops what is typed before its line editor starts
    this.line(`fpath=(${path.dirname(script('zsh'))} $fpath); autoload -U compinit; compinit -u -D; PROMPT='zsh> '`);
    await this.waitFor(/^zsh> $/m);
  }

  private line(text: string): void {
    this.tmux(['send-keys', '-l', text]);
    this.tmux(['send-keys', 'Enter']);
  }

  /** Types text and Tab on a fresh screen; the screen once it shows what is expected. */
  async tab(text: string, expected: RegExp): Promise<string> {
    this.tmux(['send-keys', 'C-c']);
    this.line('clear');
    await this.waitFor(/^zsh> $/m);
    this.tmux(['send-keys', '-l', text]);
    this.tmux(['send-keys', 'Tab']);
    return this.waitFor(expected);
  }

  private async waitFor(expected: RegExp): Promise<string> {
    const deadline = Date.now() + 15_000;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.tmux(['capture-pane', '-p', '-J']).stdout;
      if (expected.test(screen)) return screen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${expected} never appeared; the screen:\n${screen}`);
  }

  kill(): void {
    this.tmux(['kill-server']);
  }
}

describe('zsh', () => {
  const term = new ZshTerminal();
  beforeAll(() => term.start());
  afterAll(() => term.kill());

  it('lists verbs with their descriptions', async () => {
    const screen = await term.tab('tspod st', /^stop\s+-- Stop one or more running containers$/m);
    expect(screen).toMatch(/^start\s+-- Start one or more containers$/m);
    expect(screen).toMatch(/^stats\s+-- /m);
  });

  it('completes the only running container for stop', async () => {
    const screen = await term.tab(line('stop '), / stop web $/m);
    expect(screen).not.toMatch(/\bdone\b/);
  });

  it('lists the network modes and user-defined networks for --network', async () => {
    const screen = await term.tab(line('run --network '), /\bmynet\b/);
    for (const mode of ['none', 'host', 'slirp4netns', 'pasta', 'private']) expect(screen).toMatch(new RegExp(`\\b${mode}\\b`));
    expect(screen).toMatch(/^container:\s+-- join another container's network$/m);
  });

  it('lists image names', async () => {
    const screen = await term.tab(line('rmi '), /^busybox:latest\s/m);
    expect(screen).toMatch(/docker\.io\/library\/busybox:latest/);
  });
});

describe('fish', () => {
  const complete = (text: string) => shellLines(['fish', '--no-config', '-c', `source ${script('fish')}; complete -C ${JSON.stringify(text)}`]);

  it('completes verbs with descriptions', () => {
    expect(complete('tspod st')).toEqual(['start\tStart one or more containers', 'stats\tDisplay the resource use of running containers', 'stop\tStop one or more running containers']);
  });

  it('offers only running containers to stop', () => {
    expect(complete(line('stop '))).toEqual(['web\trunning']);
  });

  it('offers the network modes and user-defined networks for --network', () => {
    expect(complete(line('run --network ')).map((c) => c.split('\t')[0]).sort()).toEqual(['container:', 'host', 'mynet', 'none', 'pasta', 'private', 'slirp4netns']);
  });

  it('offers image names', () => {
    expect(complete(line('rmi ')).sort()).toEqual(['busybox:latest', 'docker.io/library/busybox:latest']);
  });
});
