// The engine's image inspect document (Podman's ImageData) as Docker's GET /images/{name}/json.
interface PodmanImage {
  Id: string;
  RepoTags?: string[];
  RepoDigests?: string[];
  Parent?: string;
  Comment?: string;
  Created?: string;
  Config?: Record<string, unknown>;
  Author?: string;
  Architecture?: string;
  Variant?: string;
  Os?: string;
  Size?: number;
  VirtualSize?: number;
  GraphDriver?: { Name: string; Data: Record<string, string | undefined> };
  RootFS?: { Type: string; Layers?: string[] };
}

const withSha = (id: string) => (id ? `sha256:${id.replace(/^sha256:/, '')}` : '');

/** Docker's container config of an image: every field present, as Docker's clients index it. */
export function dockerImageConfig(c: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Hostname: '',
    Domainname: '',
    User: c.User ?? '',
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    ...(c.ExposedPorts ? { ExposedPorts: c.ExposedPorts } : {}),
    Tty: false,
    OpenStdin: false,
    StdinOnce: false,
    Env: c.Env ?? null,
    Cmd: c.Cmd ?? null,
    ...(c.Healthcheck ? { Healthcheck: c.Healthcheck } : {}),
    Image: '',
    Volumes: c.Volumes ?? null,
    WorkingDir: c.WorkingDir ?? '',
    Entrypoint: c.Entrypoint ?? null,
    OnBuild: c.OnBuild ?? null,
    Labels: c.Labels ?? null,
    ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
  };
}

export function dockerImageInspect(p: PodmanImage): Record<string, unknown> {
  const data = Object.fromEntries(Object.entries(p.GraphDriver?.Data ?? {}).filter(([, v]) => v !== undefined));
  return {
    Id: withSha(p.Id),
    RepoTags: p.RepoTags ?? [],
    RepoDigests: p.RepoDigests ?? [],
    Parent: withSha(p.Parent ?? ''),
    Comment: p.Comment ?? '',
    Created: p.Created ?? '',
    Container: '',
    ContainerConfig: dockerImageConfig({}),
    DockerVersion: '',
    Author: p.Author ?? '',
    Config: dockerImageConfig(p.Config),
    Architecture: p.Architecture ?? '',
    ...(p.Variant ? { Variant: p.Variant } : {}),
    Os: p.Os ?? 'linux',
    Size: p.Size ?? 0,
    VirtualSize: p.VirtualSize ?? p.Size ?? 0,
    GraphDriver: { Name: p.GraphDriver?.Name ?? 'overlay', Data: data },
    RootFS: { Type: p.RootFS?.Type ?? 'layers', Layers: p.RootFS?.Layers ?? [] },
    Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
  };
}
