import { describe, expect, it } from 'vitest';
import { execInspect, parseExecCreate, parseSize } from '../../../api/docker/exec-session';
import { goFileMode, pathStat, statHeader } from '../../../api/docker/archive-stat';
import { ApiError } from '../../../api/types';

describe('exec create body', () => {
  it('takes Docker ExecConfig fields', () => {
    const c = parseExecCreate({ Cmd: ['sh', '-c', 'echo hi'], Env: ['A=1'], User: 'nobody', WorkingDir: '/tmp', Tty: true, AttachStdin: true, AttachStdout: true, DetachKeys: 'ctrl-x' });
    expect(c).toEqual({ cmd: ['sh', '-c', 'echo hi'], env: ['A=1'], user: 'nobody', workdir: '/tmp', privileged: false, tty: true, attachStdin: true, attachStdout: true, attachStderr: false, detachKeys: 'ctrl-x' });
  });
  it('refuses a missing command and wrong types with 400', () => {
    expect(() => parseExecCreate({})).toThrow(/no exec command/);
    expect(() => parseExecCreate({ Cmd: [] })).toThrow(ApiError);
    expect(() => parseExecCreate({ Cmd: ['ls'], Env: 'A=1' })).toThrow(/Env must be a list/);
    let status = 0;
    try {
      parseExecCreate({ Cmd: [1] });
    } catch (err) {
      status = (err as ApiError).status;
    }
    expect(status).toBe(400);
  });
});

describe('exec inspect', () => {
  it('shows the session in Docker shape', () => {
    const config = parseExecCreate({ Cmd: ['ls', '-l'], AttachStdout: true });
    const doc = execInspect({ id: 'e1', containerId: 'c1', config, running: false, exitCode: 3, pid: 42, started: true });
    expect(doc).toMatchObject({ ID: 'e1', ContainerID: 'c1', Running: false, ExitCode: 3, Pid: 42, OpenStdout: true, OpenStdin: false, ProcessConfig: { entrypoint: 'ls', arguments: ['-l'], tty: false, user: '' } });
    expect(execInspect({ id: 'e2', containerId: 'c1', config, running: true, exitCode: null, pid: 0, started: true }).ExitCode).toBeNull();
  });
  it('needs a positive size', () => {
    expect(parseSize(24, 80)).toEqual({ rows: 24, cols: 80 });
    expect(() => parseSize(undefined, 80)).toThrow(/h and w/);
    expect(() => parseSize(0, 80)).toThrow(/positive/);
  });
});

describe('archive path stat', () => {
  it('gives Go file modes', () => {
    expect(goFileMode(0o040755)).toBe(2 ** 31 + 0o755);
    expect(goFileMode(0o100644)).toBe(0o644);
    expect(goFileMode(0o120777)).toBe(2 ** 27 + 0o777);
    expect(goFileMode(0o104755)).toBe(2 ** 23 + 0o755);
    expect(goFileMode(0o041777)).toBe(2 ** 31 + 2 ** 20 + 0o777);
  });
  it('encodes the header as base64 JSON', () => {
    const s = pathStat('/etc/hosts', { size: 12, mode: 0o100644, mtime: new Date(0) });
    expect(s).toEqual({ name: 'hosts', size: 12, mode: 0o644, mtime: '1970-01-01T00:00:00.000Z', linkTarget: '' });
    expect(JSON.parse(Buffer.from(statHeader(s), 'base64').toString())).toEqual(s);
    expect(pathStat('/', { size: 0, mode: 0o40755, mtime: new Date(0) }).name).toBe('/');
  });
});
