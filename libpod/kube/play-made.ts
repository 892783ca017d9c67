// What one kube play has made, in order, so that a failure (or --wait's end) removes exactly that:
// the newest first, pods with their containers, then proxies, files, secrets and volumes. Objects
// that were there before the play (a volume it reused) are never recorded, so never removed.
import fs from 'node:fs';
import type { KubeOps } from './kube-ops';

type Undo = { what: string; undo: () => Promise<void> | void; id?: string; kept?: boolean };

export class Made {
  private readonly items: Undo[] = [];
  /** Pod IDs made (for --wait: the play is over when all of them have exited). */
  readonly pods: string[] = [];

  constructor(private readonly ops: KubeOps) {}

  pod(id: string, name: string): void {
    this.pods.push(id);
    this.items.push({ what: `pod ${name}`, id, undo: async () => failed(await this.ops.removePods([id])) });
  }

  /** A directory of a pod's configMap, secret and downwardAPI files. */
  dir(path: string): void {
    this.items.push({ what: `directory ${path}`, undo: () => fs.rmSync(path, { recursive: true, force: true }) });
  }

  volume(name: string): void {
    this.items.push({ what: `volume ${name}`, undo: async () => failed(await this.ops.removeVolumes([name])) });
  }

  secret(name: string): void {
    this.items.push({ what: `secret ${name}`, undo: () => failed(this.ops.removeSecrets([name])) });
  }

  /** Anything else; with a pod's ID, it is kept and forgotten with that pod. */
  other(what: string, undo: () => Promise<void> | void, id?: string): void {
    this.items.push({ what, undo, id });
  }

  /** A pod removed already (a replacement that never got ready): nothing left to undo for it. */
  forget(id: string): void {
    for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i].id === id) this.items.splice(i, 1);
  }

  /** A pod in service in place of one it replaced: a later failure leaves it (--wait's end still removes it). */
  keep(id: string): void {
    for (const item of this.items) if (item.id === id) item.kept = true;
  }

  get count(): number {
    return this.items.length;
  }

  /** What a failure removes (kept pods left out). */
  get undoable(): string[] {
    return this.items.filter((i) => !i.kept).map((i) => i.what);
  }

  /** Removes everything recorded (after a failure: but what keep() marked), newest first; returns what could not be removed (with why). */
  async undo(failure: boolean): Promise<string[]> {
    const left: string[] = [];
    while (this.items.length) {
      const item = this.items.pop()!;
      if (failure && item.kept) continue;
      try {
        await item.undo();
      } catch (err) {
        left.push(`${item.what}: ${(err as Error).message}`);
      }
    }
    return left;
  }
}

function failed(reports: Array<{ error?: Error }>): void {
  const err = reports.find((r) => r.error)?.error;
  if (err) throw err;
}
