// GET /containers/{id}/json and /containers/json: the engine's (Podman-shaped) container
// documents and ps summaries in Docker's shapes. Pure.
import type { PsSummary } from '../../libpod/entities';

type Dict = Record<string, unknown>;

/** Docker's state names: created, running, paused, restarting, removing, exited, dead. */
export function dockerState(state: string, paused: boolean): string {
  if (paused) return 'paused';
  switch (state) {
    case 'running':
    case 'stopping':
      return 'running';
    case 'created':
    case 'configured':
    case 'initialized':
      return 'created';
    case 'restarting':
    case 'removing':
    case 'dead':
      return state;
    default:
      return 'exited';
  }
}

const withSha = (id: unknown) => (typeof id === 'string' && id && !id.startsWith('sha256:') ? `sha256:${id}` : id);

/** One container's inspect document in Docker's shape; paused as the engine's freezer says. */
export function dockerInspect(doc: Dict, paused: boolean): Dict {
  const state = (doc.State ?? {}) as Dict;
  const status = dockerState(String(state.Status ?? ''), paused);
  const config = (doc.Config ?? {}) as Dict;
  const hostConfig = (doc.HostConfig ?? {}) as Dict;
  const net = (doc.NetworkSettings ?? {}) as Dict;
  return {
    Id: doc.Id,
    Created: doc.Created,
    Path: doc.Path,
    Args: doc.Args ?? [],
    State: {
      Status: status,
      Running: status === 'running' || status === 'paused',
      Paused: paused,
      Restarting: status === 'restarting',
      OOMKilled: state.OOMKilled ?? false,
      Dead: status === 'dead',
      Pid: state.Pid ?? 0,
      ExitCode: state.ExitCode ?? 0,
      Error: state.Error ?? '',
      StartedAt: state.StartedAt,
      FinishedAt: state.FinishedAt,
      ...(state.Health ? { Health: state.Health } : {}),
    },
    Image: withSha(doc.Image),
    ResolvConfPath: doc.ResolvConfPath ?? '',
    HostnamePath: doc.HostnamePath ?? '',
    HostsPath: doc.HostsPath ?? '',
    LogPath: ((hostConfig.LogConfig ?? {}) as Dict).Path ?? '',
    Name: `/${String(doc.Name ?? '')}`,
    RestartCount: doc.RestartCount ?? 0,
    Driver: doc.Driver ?? 'overlay',
    Platform: 'linux',
    MountLabel: doc.MountLabel ?? '',
    ProcessLabel: doc.ProcessLabel ?? '',
    AppArmorProfile: doc.AppArmorProfile ?? '',
    ExecIDs: Array.isArray(doc.ExecIDs) && doc.ExecIDs.length ? doc.ExecIDs : null,
    HostConfig: {
      ...hostConfig,
      NetworkMode: dockerNetworkMode(hostConfig.NetworkMode, net.Networks),
      PortBindings: hostConfig.PortBindings ?? {},
      RestartPolicy: hostConfig.RestartPolicy ?? { Name: 'no', MaximumRetryCount: 0 },
    },
    GraphDriver: doc.GraphDriver,
    ...(doc.SizeRw !== undefined ? { SizeRw: doc.SizeRw, SizeRootFs: doc.SizeRootFs } : {}),
    Mounts: doc.Mounts ?? [],
    Config: {
      Hostname: config.Hostname ?? '',
      Domainname: config.Domainname ?? '',
      User: config.User ?? '',
      AttachStdin: config.AttachStdin ?? false,
      AttachStdout: config.AttachStdout ?? false,
      AttachStderr: config.AttachStderr ?? false,
      ...(config.ExposedPorts ? { ExposedPorts: config.ExposedPorts } : {}),
      Tty: config.Tty ?? false,
      OpenStdin: config.OpenStdin ?? false,
      StdinOnce: config.StdinOnce ?? false,
      Env: config.Env ?? [],
      Cmd: config.Cmd ?? null,
      ...(config.Healthcheck ? { Healthcheck: config.Healthcheck } : {}),
      Image: config.Image ?? '',
      Volumes: config.Volumes ?? null,
      WorkingDir: config.WorkingDir ?? '',
      Entrypoint: config.Entrypoint ?? null,
      OnBuild: null,
      Labels: config.Labels ?? {},
      StopSignal: config.StopSignal ?? 'SIGTERM',
      ...(config.StopTimeout !== undefined ? { StopTimeout: config.StopTimeout } : {}),
    },
    NetworkSettings: {
      ...net,
      Ports: net.Ports ?? {},
      Networks: net.Networks ?? {},
    },
  };
}

/**
 * The engine's network modes in Docker's words: its default network is Docker's bridge, and a
 * container on user-defined networks has the first one's name as Docker records it.
 */
export function dockerNetworkMode(mode: unknown, networks?: unknown): string {
  const m = typeof mode === 'string' ? mode : '';
  const named = networks && typeof networks === 'object' ? Object.keys(networks).filter((n) => n !== 'podman') : [];
  if ((m === 'bridge' || m === '') && named.length) return named[0];
  if (m === '' || m === 'podman') return 'bridge';
  return m;
}

/** Docker's ports list: one entry per port, the published ones with their host side. */
export function dockerPorts(ports: PsSummary['ports']): Dict[] {
  const out: Dict[] = [];
  for (const p of ports) {
    for (let i = 0; i < (p.range || 1); i++) {
      out.push({ ...(p.hostPort ? { IP: p.hostIp || '0.0.0.0' } : {}), PrivatePort: p.containerPort + i, ...(p.hostPort ? { PublicPort: p.hostPort + i } : {}), Type: p.protocol });
    }
  }
  return out;
}

/** One entry of GET /containers/json. */
export function dockerListEntry(s: PsSummary, inspect: Dict | undefined, paused: boolean): Dict {
  const hostConfig = (inspect?.HostConfig ?? {}) as Dict;
  const net = (inspect?.NetworkSettings ?? {}) as Dict;
  const mounts = (Array.isArray(inspect?.Mounts) ? inspect.Mounts : []) as Dict[];
  return {
    Id: s.id,
    Names: [`/${s.name}`],
    Image: s.image,
    ImageID: withSha(s.imageId),
    Command: s.args.join(' '),
    Created: Math.floor(s.createdAt / 1000),
    Ports: dockerPorts(s.ports),
    Labels: s.labels ?? {},
    State: dockerState(s.state, paused),
    Status: paused ? `${s.status} (Paused)` : s.status,
    HostConfig: { NetworkMode: dockerNetworkMode(hostConfig.NetworkMode, net.Networks) },
    NetworkSettings: { Networks: net.Networks ?? {} },
    Mounts: mounts.map((m) => ({ Type: m.Type, ...(m.Name ? { Name: m.Name } : {}), Source: m.Source, Destination: m.Destination, ...(m.Driver ? { Driver: m.Driver } : {}), Mode: m.Mode ?? '', RW: m.RW ?? true, Propagation: m.Propagation ?? '' })),
    ...(s.size ? { SizeRw: s.size.rw, SizeRootFs: s.size.rootFs } : {}),
  };
}

/**
 * Docker's list filters as the engine's ps --filter values: status names translated (paused is
 * the engine's running; Docker's "exited" also takes the engine's stopped), the rest as given.
 */
export function psFilters(filters: Record<string, string[]>): { filters: string[]; paused?: boolean } {
  const out: string[] = [];
  let paused: boolean | undefined;
  for (const [key, values] of Object.entries(filters)) {
    for (const v of values) {
      if (key === 'status' && v === 'paused') {
        paused = true;
        out.push('status=running');
      } else if (key === 'status' && v === 'dead') out.push('status=exited');
      else out.push(`${key}=${v}`);
    }
  }
  return { filters: out, paused };
}
