import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';
import { goHumanSize, humanDuration } from '../../src/human-units';
import { renderList } from '../format/list-printer';
import type { DfReport } from '../../libpod/entities';

interface DfSummary {
  Type: string;
  Total: number;
  Active: number;
  RawSize: number;
  RawReclaimable: number;
  Size: string;
  Reclaimable: string;
}

function summaryRow(type: string, total: number, active: number, size: number, reclaimable: number): DfSummary {
  const percent = size > 0 ? Math.round((reclaimable / size) * 100) : 0;
  return { Type: type, Total: total, Active: active, RawSize: size, RawReclaimable: reclaimable, Size: goHumanSize(size), Reclaimable: `${goHumanSize(reclaimable)} (${percent}%)` };
}

/** Podman's three summary rows: an image is active with a container, whose unique bytes are then not reclaimable. */
function summarize(r: DfReport): DfSummary[] {
  const seen = new Set<string>();
  let active = 0;
  let used = 0;
  for (const i of r.Images) {
    if (seen.has(i.ImageID)) continue;
    seen.add(i.ImageID);
    if (i.Containers > 0) {
      active++;
      used += i.UniqueSize;
    }
  }
  const running = r.Containers.filter((c) => c.Status === 'running');
  const rw = (list: DfReport['Containers']) => list.reduce((n, c) => n + c.RWSize, 0);
  const volumeSize = r.Volumes.reduce((n, v) => n + v.Size, 0);
  return [
    summaryRow('Images', r.Images.length, active, r.ImagesSize, r.ImagesSize - used),
    summaryRow('Containers', r.Containers.length, running.length, rw(r.Containers), rw(r.Containers) - rw(running)),
    summaryRow('Local Volumes', r.Volumes.length, r.Volumes.reduce((n, v) => n + v.Links, 0), volumeSize, r.Volumes.reduce((n, v) => n + v.ReclaimableSize, 0)),
  ];
}

export default class SystemDfCommand extends TspodCommand {
  static override paths = [['system', 'df']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: "Show tspod disk usage",
    details: `
      Images, containers and local volumes: how many, how many are in use (ACTIVE), the bytes they take and the bytes that removing the unused ones would free (RECLAIMABLE). Image sizes are their layers, a layer shared by several images counted once; a container's size is what it wrote; a volume's is its files. -v lists each image, container and volume.
    `,
    examples: [['The summary', '$0 system df'], ['Each object', '$0 system df -v'], ['As JSON', '$0 system df --format json']],
  });
  verbose = Option.Boolean('-v,--verbose', false, { description: 'Show detailed information on disk usage' });
  format = Option.String('--format', { description: 'Pretty-print images using a Go template (or json)' });

  async execute(): Promise<number> {
    if (this.format !== undefined && this.verbose) throw new InvalidArgumentError('cannot combine --format and --verbose flags');
    const report = this.engine.system.df();
    if (this.verbose) return this.printVerbose(report);
    const rows = summarize(report);
    return this.printList(rows, {
      format: this.format,
      columns: [['TYPE', (r) => r.Type], ['TOTAL', (r) => String(r.Total)], ['ACTIVE', (r) => String(r.Active)], ['SIZE', (r) => r.Size], ['RECLAIMABLE', (r) => r.Reclaimable]],
      json: () => rows.map((r) => ({ Type: r.Type, Total: r.Total, Active: r.Active, RawSize: r.RawSize, RawReclaimable: r.RawReclaimable, TotalCount: r.Total, Size: r.Size, Reclaimable: r.Reclaimable })),
    });
  }

  private printVerbose(r: DfReport): number {
    const now = Date.now();
    const age = (ms: number) => humanDuration((now - ms) / 1000);
    this.write('Images space usage:\n\n');
    this.write(renderList(r.Images, {
      columns: [['REPOSITORY', (i) => i.Repository], ['TAG', (i) => i.Tag], ['IMAGE ID', (i) => i.ImageID.slice(0, 12)], ['CREATED', (i) => age(i.Created)], ['SIZE', (i) => goHumanSize(i.Size)], ['SHARED SIZE', (i) => goHumanSize(i.SharedSize)], ['UNIQUE SIZE', (i) => goHumanSize(i.UniqueSize)], ['CONTAINERS', (i) => String(i.Containers)]],
    }));
    this.write('\nContainers space usage:\n\n');
    this.write(renderList(r.Containers, {
      columns: [['CONTAINER ID', (c) => c.ContainerID.slice(0, 12)], ['IMAGE', (c) => c.Image.slice(0, 12)], ['COMMAND', (c) => c.Command.join(' ')], ['LOCAL VOLUMES', (c) => String(c.LocalVolumes)], ['SIZE', (c) => goHumanSize(c.RWSize)], ['CREATED', (c) => age(c.Created)], ['STATUS', (c) => c.Status], ['NAMES', (c) => c.Names]],
    }));
    this.write('\nLocal Volumes space usage:\n\n');
    this.write(renderList(r.Volumes, { columns: [['VOLUME NAME', (v) => v.VolumeName], ['LINKS', (v) => String(v.Links)], ['SIZE', (v) => goHumanSize(v.Size)]] }));
    return 0;
  }
}
