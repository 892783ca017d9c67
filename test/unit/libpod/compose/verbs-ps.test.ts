import { describe, expect, it } from 'vitest';
import { dockerState, listProjects, lsNames, psRow, psStatuses, selectPsRows } from '../../../../libpod/compose/verbs-ps';
import { pickContainer, publishedAt, parseCopyArg } from '../../../../libpod/compose/verbs-containers';
import type { PsSummary } from '../../../../libpod/container/container-report';

function summary(name: string, state: string, labels: Record<string, string>, ports: PsSummary['ports'] = []): PsSummary {
  return { id: `${name}-id`, name, image: 'busybox', imageId: 'abc', args: ['sh'], createdAt: 0, state, status: state, labels, ports, pid: 0, exitCode: 0, restarts: 0, autoRemove: false, startedAt: 0 };
}
const L = (project: string, service: string, n: number, extra: Record<string, string> = {}) => ({ 'com.docker.compose.project': project, 'com.docker.compose.service': service, 'com.docker.compose.container-number': String(n), 'com.docker.compose.oneoff': 'False', ...extra });

describe('compose ps rows', () => {
  const rows = [summary('p-web-2', 'running', L('p', 'web', 2)), summary('p-db-1', 'exited', L('p', 'db', 1)), summary('p-web-1', 'stopped', L('p', 'web', 1))].map(psRow);

  it('names states as Docker does', () => {
    expect(dockerState('stopped')).toBe('exited');
    expect(dockerState('configured')).toBe('created');
    expect(rows[2].state).toBe('exited');
    expect(rows[0].number).toBe(2);
    expect(rows[0].oneoff).toBe(false);
  });

  it('sorts by name and filters by service and status', () => {
    expect(selectPsRows(rows, { services: [], status: [] }).map((r) => r.summary.name)).toEqual(['p-db-1', 'p-web-1', 'p-web-2']);
    expect(selectPsRows(rows, { services: ['web'], status: [] }).map((r) => r.summary.name)).toEqual(['p-web-1', 'p-web-2']);
    expect(selectPsRows(rows, { services: [], status: ['exited'] }).map((r) => r.summary.name)).toEqual(['p-db-1', 'p-web-1']);
  });

  it('takes --status and --filter status=, and refuses others', () => {
    expect(psStatuses(['running'], ['status=exited'])).toEqual(['running', 'exited']);
    expect(() => psStatuses([], ['source=x'])).toThrow(/unknown filter "source"/);
    expect(() => psStatuses(['up'], [])).toThrow(/invalid status "up"/);
    expect(() => psStatuses([], ['status'])).toThrow(/KEY=VAL/);
  });
});

describe('compose ls', () => {
  it("groups containers by project with each state's count", () => {
    const files = { 'com.docker.compose.project.config_files': '/a/compose.yaml' };
    const list = listProjects([summary('b-x-1', 'running', L('b', 'x', 1)), summary('a-x-1', 'running', L('a', 'x', 1, files)), summary('a-y-1', 'stopped', L('a', 'y', 1)), summary('a-x-2', 'running', L('a', 'x', 2)), summary('plain', 'running', {})], []);
    expect(list).toEqual([
      { name: 'a', status: 'exited(1), running(2)', configFiles: '/a/compose.yaml' },
      { name: 'b', status: 'running(1)', configFiles: '' },
    ]);
    expect(listProjects([summary('b-x-1', 'running', L('b', 'x', 1))], lsNames(['name=a']))).toEqual([]);
    expect(() => lsNames(['status=running'])).toThrow(/by name only/);
  });
});

describe('a service container', () => {
  const rows = [
    summary('p-web-2', 'running', L('p', 'web', 2), [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 1 }]),
    summary('p-web-1', 'running', L('p', 'web', 1), [{ hostIp: '127.0.0.1', hostPort: 9000, containerPort: 5000, protocol: 'udp', range: 3 }]),
    summary('p-db-1', 'exited', L('p', 'db', 1)),
    summary('p-web-run-1', 'running', L('p', 'web', 1, { 'com.docker.compose.oneoff': 'True' })),
  ].map(psRow);

  it('is the lowest-numbered running one, or the --index asked', () => {
    expect(pickContainer(rows, 'web', {}).summary.name).toBe('p-web-1');
    expect(pickContainer(rows, 'web', { index: 2 }).summary.name).toBe('p-web-2');
    expect(() => pickContainer(rows, 'web', { index: 3 })).toThrow('service "web" is not running container #3');
    expect(() => pickContainer(rows, 'db', {})).toThrow('service "db" is not running');
    expect(pickContainer(rows, 'db', { stopped: true }).summary.name).toBe('p-db-1');
  });

  it('says where a private port is published, ranges included', () => {
    expect(publishedAt(rows[0], 80, 'tcp')).toBe('0.0.0.0:8080');
    expect(publishedAt(rows[1], 5002, 'udp')).toBe('127.0.0.1:9002');
    expect(() => publishedAt(rows[0], 81, 'tcp')).toThrow(/no port 81\/tcp for container p-web-2/);
    expect(() => publishedAt(rows[0], 80, 'udp')).toThrow(/no port 80\/udp/);
  });

  it('reads cp arguments', () => {
    expect(parseCopyArg('web:/etc/hosts')).toEqual({ service: 'web', path: '/etc/hosts' });
    expect(parseCopyArg('./a:b')).toEqual({ path: './a:b' });
    expect(parseCopyArg('/x')).toEqual({ path: '/x' });
    expect(parseCopyArg('-')).toEqual({ path: '-' });
  });
});
