// The flags that choose pods, as Podman's pod verbs take them: names, -a/--all, -l/--latest,
// --pod-id-file, and the selection the pod engine takes from them.
import { Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import type { PodReport, PodSelection } from '../../libpod/entities';

export abstract class PodVerbCommand extends TspodCommand {
  all = Option.Boolean('-a,--all', false, { description: 'act on every pod' });
  latest = Option.Boolean('-l,--latest', false, { description: 'act on the pod created last' });
  podIdFile = Option.Array('--pod-id-file', [], { description: 'act on the pod whose ID is in this file (may be given several times)' });
  names = Option.Rest();

  protected selection(ignore = false): PodSelection {
    return { names: this.names, all: this.all, latest: this.latest, podIdFiles: this.podIdFile, ignore };
  }

  /** The pod IDs on stdout, each failure on stderr; exit 0, or the last failure's code. */
  protected printPods(reports: PodReport[]): number {
    return this.printReports(reports, (r) => r.id ?? r.name);
  }
}
