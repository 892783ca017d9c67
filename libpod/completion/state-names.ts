// Container, image, volume and network names for shell completion: the state database opened
// read-only on the first question, never created or migrated; a failure is remembered and thrown
// again, so a missing or locked database costs one attempt.
import fs from 'node:fs';
import path from 'node:path';
import { State } from '../state/state';
import type { NameSource } from '../../src/completion/candidates';

export class StateNames implements NameSource {
  private state?: State;
  private failure?: unknown;

  constructor(private readonly database: string) {}

  private get db(): State {
    if (this.failure !== undefined) throw this.failure;
    try {
      this.state ??= State.openReadOnly(this.database);
    } catch (err) {
      this.failure = err;
      throw err;
    }
    return this.state;
  }

  containers(): Array<{ name: string; state: string }> {
    return this.db.containerNames();
  }

  images(): string[] {
    return this.db.imageNames();
  }

  volumes(): string[] {
    return this.db.volumeNames();
  }

  networks(): string[] {
    return this.db.networkNames();
  }

  pods(): string[] {
    return this.db.podNames();
  }

  /** From <root>/secrets/secrets.json beside the database; read only, never made. */
  secrets(): string[] {
    const index = path.join(path.dirname(this.database), 'secrets', 'secrets.json');
    return (JSON.parse(fs.readFileSync(index, 'utf8')) as Array<{ name: string }>).map((s) => s.name).sort();
  }

  close(): void {
    this.state?.close();
  }
}
