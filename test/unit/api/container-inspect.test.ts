import { describe, expect, it } from 'vitest';
import { dockerInspect, dockerListEntry, dockerNetworkMode, dockerPorts, dockerState, psFilters } from '../../../api/docker/container-inspect';
import { dockerStats } from '../../../api/docker/container-stats';
import type { PsSummary } from '../../../libpod/entities';

const doc = {
  Id: 'abc',
  Created: '2026-01-01T00:00:00Z',
  Path: 'sleep',
  Args: ['5'],
  Name: 'web',
  Image: '1234',
  State: { Status: 'running', Running: true, Pid: 42, ExitCode: 0, StartedAt: 's', FinishedAt: 'f', OciVersion: '1.0.2' },
  Config: { Image: 'busybox', Cmd: ['sleep', '5'], Env: ['A=1'], Labels: { k: 'v' } },
  HostConfig: { NetworkMode: 'podman', Memory: 5, LogConfig: { Path: '/log' } },
  NetworkSettings: { Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] } },
  Mounts: [],
};

describe('dockerInspect', () => {
  it('names with a slash, images with sha256:, Docker state fields', () => {
    const d = dockerInspect(doc, false) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(d.Name).toBe('/web');
    expect(d.Image).toBe('sha256:1234');
    expect(d.LogPath).toBe('/log');
    expect(d.State).toEqual({ Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 42, ExitCode: 0, Error: '', StartedAt: 's', FinishedAt: 'f' });
    expect(d.HostConfig).toMatchObject({ NetworkMode: 'bridge', Memory: 5, PortBindings: {}, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } });
    expect(d.Config).toMatchObject({ Image: 'busybox', Cmd: ['sleep', '5'], Entrypoint: null, Env: ['A=1'], Labels: { k: 'v' }, StopSignal: 'SIGTERM', OnBuild: null });
    expect(d.NetworkSettings).toEqual({ Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] }, Networks: {} });
  });

  it('a paused container is paused and running', () => {
    const d = dockerInspect(doc, true) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(d.State).toMatchObject({ Status: 'paused', Running: true, Paused: true });
  });
});

describe('states, modes, ports', () => {
  it('maps the engine states onto Docker\'s', () => {
    expect(['created', 'initialized', 'configured', 'running', 'stopping', 'exited', 'stopped', 'removing', 'restarting'].map((s) => dockerState(s, false))).toEqual(['created', 'created', 'created', 'running', 'running', 'exited', 'exited', 'removing', 'restarting']);
    expect(dockerState('running', true)).toBe('paused');
  });

  it('network modes', () => {
    expect(dockerNetworkMode('podman')).toBe('bridge');
    expect(dockerNetworkMode('host')).toBe('host');
    expect(dockerNetworkMode(undefined)).toBe('bridge');
    expect(dockerNetworkMode('bridge', { podman: {} })).toBe('bridge');
    expect(dockerNetworkMode('bridge', { front: {}, back: {} })).toBe('front');
    expect(dockerNetworkMode('slirp4netns', {})).toBe('slirp4netns');
  });

  it('one port entry per port of a range; unpublished without a host side', () => {
    expect(dockerPorts([{ hostIp: '', hostPort: 8000, containerPort: 80, protocol: 'tcp', range: 2 }, { hostIp: '127.0.0.1', hostPort: 0, containerPort: 53, protocol: 'udp', range: 1 }])).toEqual([
      { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8000, Type: 'tcp' },
      { IP: '0.0.0.0', PrivatePort: 81, PublicPort: 8001, Type: 'tcp' },
      { PrivatePort: 53, Type: 'udp' },
    ]);
  });

  it('list filters: paused is running and frozen, dead is exited', () => {
    expect(psFilters({ status: ['paused'], label: ['a=b'] })).toEqual({ filters: ['status=running', 'label=a=b'], paused: true });
    expect(psFilters({ status: ['dead'] })).toEqual({ filters: ['status=exited'], paused: undefined });
  });
});

describe('dockerListEntry', () => {
  const s: PsSummary = { id: 'abc', name: 'web', image: 'busybox', imageId: '1234', args: ['sleep', '5'], createdAt: 1_700_000_000_500, state: 'exited', status: 'Exited (0) 2 seconds ago', labels: { k: 'v' }, ports: [], pid: 0, exitCode: 0, restarts: 0, autoRemove: false, startedAt: 0, size: { rw: 10, rootFs: 20 } };
  it('Docker\'s summary', () => {
    expect(dockerListEntry(s, doc, false)).toEqual({ Id: 'abc', Names: ['/web'], Image: 'busybox', ImageID: 'sha256:1234', Command: 'sleep 5', Created: 1_700_000_000, Ports: [], Labels: { k: 'v' }, State: 'exited', Status: 'Exited (0) 2 seconds ago', HostConfig: { NetworkMode: 'bridge' }, NetworkSettings: { Networks: {} }, Mounts: [], SizeRw: 10, SizeRootFs: 20 });
  });
});

describe('dockerStats', () => {
  const point = (at: number, cpu: number, system: number) => ({ id: 'abc', name: 'web', systemNanos: system, onlineCpus: 2, sample: { at, cpuNanos: cpu, memUsage: 100, memLimit: 1000, netInput: 1, netOutput: 2, blockInput: 3, blockOutput: 4, pids: 5 } });
  it('cpu against precpu, memory, network, block IO, pids', () => {
    const d = dockerStats(point(2000, 3e9, 9e9), point(1000, 1e9, 5e9)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(d.name).toBe('/web');
    expect(d.cpu_stats).toMatchObject({ cpu_usage: { total_usage: 3e9 }, system_cpu_usage: 9e9, online_cpus: 2 });
    expect(d.precpu_stats).toMatchObject({ cpu_usage: { total_usage: 1e9 }, system_cpu_usage: 5e9 });
    expect(d.memory_stats).toEqual({ usage: 100, limit: 1000, stats: {} });
    expect(d.networks.eth0).toMatchObject({ rx_bytes: 1, tx_bytes: 2 });
    expect(d.blkio_stats.io_service_bytes_recursive).toEqual([{ major: 0, minor: 0, op: 'read', value: 3 }, { major: 0, minor: 0, op: 'write', value: 4 }]);
    expect(d.pids_stats).toEqual({ current: 5 });
    expect(d.preread).toBe(new Date(1000).toISOString());
  });
  it('a stopped container: zeros and no networks', () => {
    const d = dockerStats({ id: 'abc', name: 'web', systemNanos: 1, onlineCpus: 2 }, undefined) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(d.memory_stats).toEqual({});
    expect(d.networks).toBeUndefined();
    expect(d.cpu_stats.cpu_usage.total_usage).toBe(0);
    expect(d.preread).toBe('0001-01-01T00:00:00Z');
  });
});
