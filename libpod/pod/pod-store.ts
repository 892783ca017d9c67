// The pods' records (the pods table) and the containers each one holds (their spec.pod). The pod
// engine, the container side (run --pod, ps --pod) and kube all find pods here.
import { InvalidArgumentError, InvalidStateError, NoSuchPodError } from '../../src/errors';
import type { State } from '../state/state';
import type { Container } from '../container/container';
import { toPod, type Pod, type PodSpec } from './pod';

export class PodStore {
  constructor(private readonly state: State) {}

  /** The pod a name, full ID or unique ID prefix names. */
  resolve(nameOrId: string): Pod {
    const ids = this.state.findPodIds(nameOrId);
    if (ids.length > 1) throw new InvalidArgumentError(`more than one result for pod "${nameOrId}": give more of the ID, or the name`);
    const row = ids.length ? this.state.getPod(ids[0]) : undefined;
    if (!row) throw new NoSuchPodError(nameOrId);
    return toPod(row);
  }

  /** Re-reads a pod; undefined once it was removed. */
  reload(id: string): Pod | undefined {
    const row = this.state.getPod(id);
    return row && toPod(row);
  }

  list(): Pod[] {
    return this.state.listPods().map(toPod);
  }

  nameTaken(name: string): boolean {
    return this.state.findPodIds(name).some((id) => this.state.getPod(id)?.name === name);
  }

  /** Records a new pod; a taken name is refused in Podman's words. */
  insert(p: Pod): void {
    if (!this.state.insertPod({ id: p.id, name: p.name, createdAt: p.createdAt, config: p.spec })) {
      throw new InvalidStateError(`the pod name "${p.name}" is already in use by ${this.resolve(p.name).id}: remove that pod (tspod pod rm ${p.name}) or use --replace`);
    }
  }

  updateSpec(p: Pod, spec: PodSpec): void {
    this.state.updatePodConfig(p.id, spec);
    p.spec = spec;
  }

  /** Renames the pod's record (kube play's rolling update gives a replacement its predecessor's name). */
  rename(p: Pod, name: string): void {
    if (!this.state.renamePod(p.id, name)) throw new InvalidStateError(`cannot rename pod ${p.name} to "${name}": the name is in use by another pod`);
    p.name = name;
  }

  remove(id: string): boolean {
    return this.state.deletePod(id);
  }

  /** The pod's containers among those given (the infra container first, then by creation). */
  containersOf(p: Pod, all: Container[]): Container[] {
    const mine = all.filter((c) => c.spec.pod === p.id);
    return [...mine.filter((c) => c.id === p.spec.infraId), ...mine.filter((c) => c.id !== p.spec.infraId)];
  }
}
