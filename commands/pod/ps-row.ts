// pod ps's row, which its table and Go templates see: Podman's ListPodReporter fields ({{.Id}},
// {{.InfraID}}, {{.NumberOfContainers}}, {{.ContainerNames}}, ...), IDs cut to 12 characters
// unless --no-trunc, Created as an age ("3 minutes ago").
import { ago } from '../../src/human-units';
import { nilMap } from '../../src/go-template';
import type { ListPodsReport } from '../../libpod/entities';

export class PodPsRow {
  readonly Id: string;
  readonly ID: string;
  readonly Name: string;
  readonly Status: string;
  readonly Created: string;
  readonly InfraID: string;
  readonly InfraId: string;
  readonly Labels: Record<string, string>;
  readonly Networks: string;
  readonly NumberOfContainers: number;
  readonly ContainerIds: string;
  readonly ContainerNames: string;
  readonly ContainerStatuses: string;
  readonly Restarts: string;
  readonly Cgroup: string;
  readonly Namespace: string;

  constructor(e: ListPodsReport, noTrunc: boolean, now: number) {
    const cut = (id: string) => (noTrunc ? id : id.slice(0, 12));
    this.Id = cut(e.Id);
    this.ID = this.Id;
    this.Name = e.Name;
    this.Status = e.Status;
    this.Created = ago(Date.parse(e.Created), now);
    this.InfraID = cut(e.InfraId);
    this.InfraId = this.InfraID;
    this.Labels = e.Labels ?? (nilMap() as Record<string, string>);
    this.Networks = e.Networks.join(',');
    this.NumberOfContainers = e.Containers.length;
    this.ContainerIds = e.Containers.map((c) => cut(c.Id)).join(',');
    this.ContainerNames = e.Containers.map((c) => c.Names).join(',');
    this.ContainerStatuses = e.Containers.map((c) => c.Status).join(',');
    this.Restarts = String(e.Containers.reduce((n, c) => n + c.RestartCount, 0));
    this.Cgroup = e.Cgroup;
    this.Namespace = e.Namespace;
  }

  /** Podman's {{.Label "k"}}: one label's value, "" when unset. */
  Label(name: string): string {
    return this.Labels[name] ?? '';
  }
}

/** Podman's headings of the fields its default table does not show. */
export const POD_PS_HEADINGS: Record<string, string> = {
  Id: 'POD ID',
  ID: 'POD ID',
  Labels: 'LABELS',
  NumberOfContainers: '# OF CONTAINERS',
  InfraID: 'INFRA ID',
  InfraId: 'INFRA ID',
  ContainerIds: 'IDS',
  ContainerNames: 'NAMES',
  ContainerStatuses: 'STATUS',
  Cgroup: 'CGROUP',
  Namespace: 'NAMESPACES',
  Restarts: 'RESTARTS',
};
