import { describe, expect, it } from 'vitest';
import { Command, Option, type CommandClass } from 'clipanion';
import { allCommands } from '../../../../commands/index';
import { complete, formatCompletion, NO_FILES, NO_SPACE, type NameSource } from '../../../../src/completion/candidates';

const STORE: NameSource = {
  containers: () => [
    { name: 'web', state: 'running' },
    { name: 'idle', state: 'created' },
    { name: 'done', state: 'exited' },
  ],
  images: () => ['docker.io/library/busybox:latest', 'localhost/mine:1'],
  volumes: () => ['myvol'],
  networks: () => ['mynet'],
};

/** Completes `tspod LINE` where the last space-separated word is the one being typed. */
function ask(line: string, names: NameSource = STORE, commands: CommandClass[] = allCommands()) {
  const words = line.split(' ');
  const current = words.pop()!;
  const roots: Array<string | undefined> = [];
  const result = complete(words, current, commands, (root) => (roots.push(root), names));
  return { values: result.candidates.map((c) => c.value), result, roots };
}

describe('command completion', () => {
  it('offers the verbs that start with the word, with their descriptions, and no files', () => {
    const { values, result, roots } = ask('st');
    expect(values).toEqual(['start', 'stats', 'stop']);
    expect(result.candidates[0].description).toBe('Start one or more containers');
    expect(result.directive).toBe(NO_FILES);
    expect(roots).toEqual([]); // command words never open the database
  });

  it("offers a noun's verbs and the nouns with their own description", () => {
    expect(ask('container ').values).toEqual(expect.arrayContaining(['stop', 'start', 'rm', 'inspect', 'cp']));
    expect(ask('network ').values).toEqual(expect.arrayContaining(['create', 'rm', 'connect', 'disconnect', 'exists']));
    expect(ask('net').result.candidates).toEqual([{ value: 'network', description: 'Manage networks' }]);
  });

  it('never offers hidden commands', () => {
    expect(ask('').values).not.toContain('__complete');
    expect(ask('__').values).toEqual([]);
    expect(ask('container ').values).not.toContain('cleanup');
    expect(ask('').values).toEqual(expect.arrayContaining(['completion', 'run', 'container', 'image', 'volume']));
  });

  it('offers nothing after an unknown command', () => {
    expect(ask('frobnicate ').result).toEqual({ candidates: [], directive: NO_FILES });
  });

  it('completes `help` with command words', () => {
    expect(ask('help container sto').values).toEqual(['stop']);
  });
});

describe('flag completion', () => {
  it("offers the command's flags with descriptions, hidden ones left out", () => {
    const { values, result } = ask('run --ne');
    expect(values).toEqual(['--network', '--net', '--network-alias']);
    expect(result.candidates[0].description).toMatch(/network mode/);
    expect(ask('stop -').values).toEqual(expect.arrayContaining(['-a', '--all', '-t', '--time', '--help']));
    expect(ask('stop --').values).not.toContain('--root');
  });

  it('offers the global flags before the verb', () => {
    expect(ask('--r').values).toEqual(['--registries-conf', '--root', '--runroot', '--runtime', '--runtime-flag']);
    expect(ask('--log-level ').values).toEqual(['debug', 'info', 'warn', 'error']);
    expect(ask('--log-level=w').values).toEqual(['--log-level=warn']);
  });

  it('completes finite flag values, after a space or an =', () => {
    expect(ask('run --restart ').values).toEqual(['no', 'always', 'unless-stopped', 'on-failure']);
    expect(ask('create --pull n').values).toEqual(['never', 'newer']);
    expect(ask('run --network=sl').values).toEqual(['--network=slirp4netns']);
    expect(ask('ps --format ').values).toEqual(['json']);
    expect(ask('save --format ').values).toEqual(['docker-archive', 'oci-archive']);
    expect(ask('kill -s TE').values).toEqual(['TERM']);
    expect(ask('kill --signal SIGK').values).toEqual(['SIGKILL']);
    expect(ask('run --stop-signal ').values).toContain('HUP');
  });

  it('completes --sdnotify wherever a command has it', () => {
    class Notify extends Command {
      static override paths = [['notify']];
      sdnotify = Option.String('--sdnotify', 'container');
      override async execute() {}
    }
    expect(ask('notify --sdnotify ', STORE, [Notify as unknown as CommandClass]).values).toEqual(['conmon', 'container', 'ignore']);
  });

  it('offers the network modes, container: and user-defined networks for --network', () => {
    const { values, result } = ask('run --network ');
    expect(values).toEqual(['none', 'host', 'slirp4netns', 'pasta', 'private', 'container:', 'mynet']);
    expect(result.directive).toBe(NO_FILES);
    expect(ask('run --network cont').result).toEqual({ candidates: [{ value: 'container:', description: "join another container's network" }], directive: NO_FILES | NO_SPACE });
    expect(ask('run --network container:w').values).toEqual(['container:web']);
  });

  it('leaves other flag values to the shell (file names)', () => {
    expect(ask('run --env-file ').result).toEqual({ candidates: [], directive: 0 });
  });
});

describe('names from the state database', () => {
  it('offers only running containers where only those make sense', () => {
    for (const verb of ['stop', 'kill', 'exec', 'attach', 'pause', 'top', 'stats', 'port', 'container stop']) expect(ask(`${verb} `).values).toEqual(['web']);
    expect(ask('stop ').result.candidates[0]).toEqual({ value: 'web', description: 'running' });
  });

  it('offers created and exited containers to start, every container elsewhere', () => {
    expect(ask('start ').values).toEqual(['idle', 'done']);
    expect(ask('generate systemd ').values).toEqual(['web', 'idle', 'done']);
    for (const verb of ['rm', 'logs', 'inspect', 'wait', 'restart', 'rename', 'diff', 'commit']) expect(ask(`${verb} `).values).toEqual(expect.arrayContaining(['web', 'idle', 'done']));
  });

  it('stops offering names where the command takes no more of them', () => {
    expect(ask('rename web ').result).toEqual({ candidates: [], directive: NO_FILES });
    expect(ask('stop web ').values).toEqual(['web']);
    expect(ask('network connect mynet ').values).toEqual(['web', 'idle', 'done']);
  });

  it('skips flags and their values when counting positionals', () => {
    expect(ask('logs --tail 5 ').values).toEqual(['web', 'idle', 'done']);
    expect(ask('network connect --alias x mynet w').values).toEqual(['web']);
  });

  it('offers images, also by their Docker Hub short name', () => {
    expect(ask('rmi ').values).toEqual(['docker.io/library/busybox:latest', 'localhost/mine:1', 'busybox:latest']);
    expect(ask('run b').values).toEqual(['busybox:latest']);
    expect(ask('image inspect l').values).toEqual(['localhost/mine:1']);
    expect(ask('tag busybox:latest ').values).toEqual([]);
  });

  it('offers volumes and networks to their nouns', () => {
    expect(ask('volume rm ').values).toEqual(['myvol']);
    expect(ask('volume import myvol ').result.directive).toBe(0);
    expect(ask('network inspect ').values).toEqual(['mynet']);
  });

  it('completes NAME: for cp and -v without a space, and leaves host paths to the shell', () => {
    expect(ask('cp w').result).toEqual({ candidates: [{ value: 'web:' }], directive: NO_SPACE });
    expect(ask('cp ./x web:').result).toEqual({ candidates: [], directive: NO_FILES });
    expect(ask('cp ./').result).toEqual({ candidates: [], directive: 0 });
    expect(ask('run -v m').values).toEqual(['myvol:']);
    expect(ask('run --volume=m').values).toEqual(['--volume=myvol:']);
  });

  it("leaves the words of the container's command to the shell", () => {
    expect(ask('run busybox ').result).toEqual({ candidates: [], directive: 0 });
    expect(ask('run -d busybox --net').result).toEqual({ candidates: [], directive: 0 });
    expect(ask('exec web ').result).toEqual({ candidates: [], directive: 0 });
  });

  it('opens the database named by --root wherever it is on the line', () => {
    expect(ask('--root /a stop ').roots).toEqual(['/a']);
    expect(ask('--root=/b stop ').roots).toEqual(['/b']);
    expect(ask('stop --root /c ').roots).toEqual(['/c']);
    expect(ask('stop ').roots).toEqual([undefined]);
  });

  it('offers no names, and no files, when the database cannot be read', () => {
    const broken: NameSource = {
      containers: () => {
        throw new Error('SQLITE_CANTOPEN');
      },
      images: () => {
        throw new Error('SQLITE_BUSY');
      },
      volumes: () => [],
      networks: () => {
        throw new Error('SQLITE_CORRUPT');
      },
    };
    expect(ask('stop ', broken).result).toEqual({ candidates: [], directive: NO_FILES });
    expect(ask('rmi ', broken).result).toEqual({ candidates: [], directive: NO_FILES });
    expect(ask('run --network ', broken).values).toEqual(['none', 'host', 'slirp4netns', 'pasta', 'private', 'container:']);
  });
});

describe('formatCompletion', () => {
  it('prints value<TAB>description lines and the directive last', () => {
    expect(formatCompletion({ candidates: [{ value: 'web', description: 'running\tnow' }, { value: 'x' }], directive: 4 })).toBe('web\trunning now\nx\n:4\n');
    expect(formatCompletion({ candidates: [], directive: 0 })).toBe(':0\n');
  });
});

describe('build completion (issue 21)', () => {
  const withSecrets: NameSource = { ...STORE, secrets: () => ['db_pass', 'tls_key'] };

  it("offers build's formats, isolation and network modes, under each of its paths", () => {
    expect(ask('build --format ').values).toEqual(['oci', 'docker']);
    expect(ask('buildx build --format d').values).toEqual(['docker']);
    expect(ask('build --isolation ').values).toEqual(['oci', 'rootless']);
    expect(ask('image build --network ').values).toEqual(['slirp4netns', 'none', 'host', 'private']);
    expect(ask('build --net=h').values).toEqual(['--net=host']);
  });

  it('offers no secret names to build --secret (it takes id=ID,src=FILE), and files for its context', () => {
    expect(ask('build --secret ', withSecrets).result).toEqual({ candidates: [], directive: NO_FILES });
    expect(ask('build -t app ').result).toEqual({ candidates: [], directive: 0 });
    expect(ask('build . ').result).toEqual({ candidates: [], directive: NO_FILES });
    expect(ask('builder prune ').result).toEqual({ candidates: [], directive: NO_FILES });
  });

  it('offers build and prune after builder, and build after buildx', () => {
    expect(ask('builder ').values).toEqual(['build', 'prune']);
    expect(ask('buildx ').values).toEqual(['build']);
  });
});

describe('secret completion (issue 19)', () => {
  const withSecrets: NameSource = { ...STORE, secrets: () => ['db_pass', 'tls_key'] };

  it('offers secret names to secret rm, inspect, exists and --secret, and the log drivers to --log-driver', () => {
    expect(ask('secret rm ', withSecrets).values).toEqual(['db_pass', 'tls_key']);
    expect(ask('secret inspect tl', withSecrets).values).toEqual(['tls_key']);
    expect(ask('run --secret d', withSecrets).values).toEqual(['db_pass']);
    expect(ask('run --log-driver ', withSecrets).values).toEqual(['k8s-file', 'json-file', 'none', 'passthrough']);
    expect(ask('secret rm ', STORE).values).toEqual([]); // a source without secrets offers none
  });
});

describe('pod completion (issue 22)', () => {
  const withPods: NameSource = { ...STORE, pods: () => ['shop', 'web'] };

  it('offers pod names to the pod verbs, pods or new: to run --pod, and containers, pods and volumes to kube generate', () => {
    expect(ask('pod rm ', withPods).values).toEqual(['shop', 'web']);
    expect(ask('pod start w', withPods).values).toEqual(['web']);
    expect(ask('run --pod ', withPods).values).toEqual(['shop', 'web', 'new:']);
    expect(ask('kube generate ', withPods).values).toEqual(expect.arrayContaining(['web', 'shop', 'myvol', 'idle']));
    // A store from before pods (no pods table) offers none, and nothing fails.
    expect(ask('pod stop ', { ...STORE, pods: () => { throw new Error('no such table: pods'); } }).values).toEqual([]);
  });
});
