import { describe, expect, it } from 'vitest';
import { createOptionsOf } from '../../../../commands/pod/clone-argv';
import type { TspodContext } from '../../../../commands/tspod-command';

const context = { commands: [], env: {}, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, colorDepth: 1 } as unknown as TspodContext;

describe("pod clone's reading of a member's create command", () => {
  it('gives the options create or run was given, the global flags before the verb left out', () => {
    const argv = ['--root', '/r', '--runroot', '/rr', 'run', '-d', '--pod', 'web', '--name', 'app', '-e', 'K=V', '-v', './site:/srv:ro', '-tip8081:80', 'busybox', 'sh', '-c', 'echo hi'];
    const o = createOptionsOf(argv, '/home/u', context)!;
    expect(o).toMatchObject({ image: 'busybox', command: ['sh', '-c', 'echo hi'], name: 'app', pod: 'web', env: ['K=V'], volumes: ['./site:/srv:ro'], createCommand: argv, createCwd: '/home/u', tty: true, interactive: true, publish: ['8081:80'] });
    expect(createOptionsOf(['container', 'create', '--pod=new:p', '-p', '8080:80', 'busybox'], undefined, context)).toMatchObject({ image: 'busybox', pod: 'new:p', publish: ['8080:80'] });
  });

  it('gives nothing for a command that was no create or run (kube play, a build)', () => {
    expect(createOptionsOf(['kube', 'play', 'web.yaml'], '/', context)).toBeUndefined();
    expect(createOptionsOf(['tspod', 'build'], '/', context)).toBeUndefined();
    expect(createOptionsOf([], '/', context)).toBeUndefined();
  });
});
