// Exit codes verb by verb as Podman 5's (its test/system/*.bats `run_podman 125 ...` and
// test/e2e ExitWithError(125, ...) lines): a missing container, a container in the wrong state,
// --ignore where the verb has it; and what exec passes through (the command's code, 126, 127).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store, mirrorDockerHub, registry } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('exit-codes');
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });
const MISSING = 'Error: no container with name or ID "nosuch" found: no such container\n';

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
  expect(tspod(['run', '-d', '--name', 'up', 'busybox', 'sleep', '1000']).code).toBe(0);
  expect(tspod(['create', '--name', 'made', 'busybox', 'true']).code).toBe(0);
  expect(tspod(['run', '--name', 'done', 'busybox', 'true']).code).toBe(0);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

describe('exit codes as Podman 5', () => {
  it('a missing container is 125 with Podman\'s "no such container" for every verb that takes one', () => {
    const verbs = [
      ['stop', 'nosuch'],
      ['kill', 'nosuch'],
      ['start', 'nosuch'],
      ['restart', 'nosuch'],
      ['pause', 'nosuch'],
      ['unpause', 'nosuch'],
      ['logs', 'nosuch'],
      ['port', 'nosuch'],
      ['wait', 'nosuch'],
      ['exec', 'nosuch', 'true'],
      ['attach', 'nosuch'],
      ['top', 'nosuch'],
      ['rename', 'nosuch', 'other'],
      ['cp', 'nosuch:/etc/hostname', store.dir],
      ['diff', 'nosuch'],
      ['commit', 'nosuch'],
    ];
    for (const v of verbs) {
      const r = tspod(v);
      expect({ verb: v[0], code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ verb: v[0], code: 125, stdout: '', stderr: MISSING });
    }
  });

  it("start refuses --all with names or with --attach in Podman's words, starting nothing", () => {
    expect(tspod(['start', '--all', 'made'])).toEqual({ code: 125, stdout: '', stderr: 'Error: either start all containers or the container(s) provided in the arguments\n' });
    expect(tspod(['start', '--all', '--attach'])).toEqual({ code: 125, stdout: '', stderr: 'Error: you cannot start and attach all containers at once\n' });
    expect(tspod(['ps', '-a', '--filter', 'name=made', '--format', '{{.State}}']).stdout).toBe('created\n');
  });

  it('volume inspect of a missing volume prints an empty list and exits 125, as Podman', () => {
    expect(tspod(['volume', 'inspect', 'nosuch'])).toEqual({ code: 125, stdout: '[]\n', stderr: 'Error: no such volume nosuch\n' }); // pkg/domain/infra/abi/volumes.go in v5.8.2
  });

  it('--ignore: stop says nothing of a missing container, wait prints -1 for it, both exit 0', () => {
    expect(tspod(['stop', '--ignore', 'nosuch'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(tspod(['wait', '--ignore', 'nosuch', 'done'])).toEqual({ code: 0, stdout: '-1\n0\n', stderr: '' });
  });

  it('a container in the wrong state: 0 where Podman lets it pass, 125 where it refuses', () => {
    // Podman: stopping a stopped or never-started container, starting a running one, are no errors.
    expect(tspod(['stop', 'done'])).toEqual({ code: 0, stdout: 'done\n', stderr: '' });
    expect(tspod(['stop', 'made'])).toEqual({ code: 0, stdout: 'made\n', stderr: '' });
    expect(tspod(['start', 'up'])).toEqual({ code: 0, stdout: 'up\n', stderr: '' });
    const refused: Array<[string[], RegExp]> = [
      [['kill', 'done'], /^Error: can only kill running containers\. [0-9a-f]{12} is in state exited: container state improper\n$/],
      [['kill', 'made'], /^Error: can only kill running containers\. [0-9a-f]{12} is in state created: container state improper\n$/],
      [['pause', 'done'], /^Error: .*done.*\n$/],
      [['unpause', 'up'], /^Error: .*up.* not paused.*\n$/],
      [['exec', 'done', 'true'], /^Error: can only exec in running containers: .*container state improper\n$/],
      [['exec', 'made', 'true'], /^Error: can only exec in running containers: .*container state improper\n$/],
      [['attach', 'done'], /^Error: you can only attach to running containers/],
      [['top', 'made'], /^Error: top can only be used on running containers/],
      [['port', 'up', '99/tcp'], /^Error: .*99\/tcp.*\n$/],
      [['rename', 'up', 'made'], /^Error: .*"made" is already in use/],
      [['rename', 'up', 'bad/name'], /^Error: .*names must match \[a-zA-Z0-9\]\[a-zA-Z0-9_.-\]\*/],
      [['exec', 'up'], /^Error: must provide a non-empty command to start an exec session: invalid argument/],
    ];
    for (const [args, stderr] of refused) {
      const r = tspod(args);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 125, stdout: '' });
      expect(r.stderr).toMatch(stderr);
    }
    // restart of a stopped container starts it, and prints the name as given, as Podman's.
    expect(tspod(['restart', 'done'])).toEqual({ code: 0, stdout: 'done\n', stderr: '' });
  });

  it("exec passes the command's code through: its own, 126 when it cannot be run, 127 when it is not found", () => {
    expect(tspod(['exec', 'up', 'sh', '-c', 'exit 7']).code).toBe(7);
    expect(tspod(['exec', 'up', '/etc']).code).toBe(126);
    expect(tspod(['exec', 'up', '/no/such/command']).code).toBe(127);
  });
});
