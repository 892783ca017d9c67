// Secrets (engine.secrets, issue 19): create, list, inspect, remove and exists over the store's
// secrets (libpod/secret/secret-store.ts). The data leaves the store only for inspect
// --showsecret and a container's own copy (create --secret); no report or event carries it.
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { InvalidArgumentError } from '../src/errors';
import type { Runtime } from './runtime';
import { SecretStore, type Secret } from './secret/secret-store';

export interface SecretCreateOptions {
  driver?: string;
  driverOpts: string[];
  /** The second argument names an environment variable whose value is the secret (--env). */
  fromEnv: boolean;
  labels: string[];
  replace: boolean;
  ignore: boolean;
}

/** Podman's SecretInfoReport: no data unless asked (--showsecret). */
export interface SecretInfo {
  ID: string;
  CreatedAt: string;
  UpdatedAt: string;
  Spec: { Name: string; Driver: { Name: string; Options: Record<string, string> }; Labels: Record<string, string> };
  SecretData?: string;
}

export interface SecretRemoveReport {
  id?: string;
  name: string;
  error?: Error;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** key=value labels (key alone: empty value). */
function parseLabels(entries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries.flatMap((x) => x.split(','))) {
    const eq = e.indexOf('=');
    if (eq === 0 || e === '') throw new InvalidArgumentError(`invalid label "${e}": use --label key=value`);
    out[eq < 0 ? e : e.slice(0, eq)] = eq < 0 ? '' : e.slice(eq + 1);
  }
  return out;
}

export class SecretEngine {
  private readonly store: SecretStore;

  constructor(private readonly rt: Runtime) {
    this.store = new SecretStore(rt.paths.root);
  }

  /** Podman's secret events: the action and the ID, nothing else. */
  private event(action: 'create' | 'remove', id: string): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('./event-log') as typeof import('./event-log')).recordEvent(this.rt.db(), 'secret', action, { id, name: '' });
  }

  /** `secret create NAME FILE|-` (or, with --env, NAME VARIABLE): the new secret's ID. */
  async create(name: string, source: string, stdin: Readable, opts: SecretCreateOptions, env: NodeJS.ProcessEnv = process.env): Promise<string> {
    const driver = opts.driver ?? 'file';
    if (driver !== 'file') throw new InvalidArgumentError(`secret driver "${driver}" is not supported: tspod keeps secrets with the file driver (pass and shell need their tools and configuration); leave --driver out`);
    if (opts.driverOpts.length) throw new InvalidArgumentError('--driver-opts is not supported: the file driver keeps secrets under the store root; leave it out');
    let data: Buffer;
    if (opts.fromEnv) {
      if (env[source] === undefined) throw new InvalidArgumentError(`cannot create store secret data: environment variable ${source} is not set`);
      data = Buffer.from(env[source]!);
    } else if (source === '-') data = await readAll(stdin);
    else {
      try {
        data = fs.readFileSync(source);
      } catch (err) {
        throw new InvalidArgumentError(`reading secret file ${source}: ${(err as Error).message.replace(/^[A-Z]+: /, '')}: give a readable file, or - for stdin`);
      }
    }
    const existed = opts.ignore && this.exists(name);
    const id = this.store.store(name, data, { labels: parseLabels(opts.labels), replace: opts.replace, ignore: opts.ignore });
    if (!existed) this.event('create', id);
    return id;
  }

  /**
   * `secret ls`: name= and id= as regular expressions, as Podman matches them (unanchored), and
   * label=KEY[=VALUE]; values of one key OR, different keys AND.
   */
  list(filters: string[] = []): Secret[] {
    const byKey = new Map<string, string[]>();
    for (const f of filters) {
      const eq = f.indexOf('=');
      const key = f.slice(0, eq).toLowerCase();
      if (eq < 0 || !['name', 'id', 'label'].includes(key)) throw new InvalidArgumentError(`invalid filter "${f}": use name=REGEX, id=REGEX or label=KEY[=VALUE]`);
      byKey.set(key, [...(byKey.get(key) ?? []), f.slice(eq + 1)]);
    }
    const matches = (text: string, pattern: string) => {
      try {
        return new RegExp(pattern).test(text);
      } catch {
        return text === pattern; // not a regular expression: the value itself
      }
    };
    const label = (s: Secret, v: string) => {
      const eq = v.indexOf('=');
      return eq < 0 ? v in s.labels : s.labels[v.slice(0, eq)] === v.slice(eq + 1);
    };
    const test = (s: Secret, key: string, v: string) => (key === 'name' ? matches(s.name, v) : key === 'id' ? matches(s.id, v) : label(s, v));
    return this.store.list().filter((s) => [...byKey].every(([key, values]) => values.some((v) => test(s, key, v))));
  }

  /** `secret inspect`: one result per name, the data only with showSecret. */
  inspect(names: string[], showSecret: boolean): Array<{ name: string; data?: SecretInfo & Record<string, unknown>; error?: Error }> {
    return names.map((name) => {
      try {
        const s = this.store.lookup(name);
        return { name, data: { ...secretInfo(s), ...(showSecret ? { SecretData: this.store.data(s).toString('utf8') } : {}) } };
      } catch (error) {
        return { name, error: error as Error };
      }
    });
  }

  /**
   * `secret rm`: each by name or ID (or all). As in Podman a secret containers use may go: each
   * container keeps its own copy, made when it was created.
   */
  remove(names: string[], opts: { all: boolean; ignore: boolean }): SecretRemoveReport[] {
    if (opts.all === (names.length > 0)) throw new InvalidArgumentError('`tspod secret rm` requires one argument, or the --all flag');
    const targets = opts.all ? this.store.list().map((s) => s.id) : names;
    const reports: SecretRemoveReport[] = [];
    for (const name of targets) {
      try {
        const id = this.store.remove(name);
        this.event('remove', id);
        reports.push({ name, id });
      } catch (error) {
        if (opts.ignore && (error as { code?: string }).code === 'ENOSECRET') continue;
        reports.push({ name, error: error as Error });
      }
    }
    return reports;
  }

  exists(name: string): boolean {
    try {
      this.store.lookup(name);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOSECRET') return false;
      throw err;
    }
  }
}

/** Podman's secret inspect document. */
export function secretInfo(s: Secret): SecretInfo {
  return { ID: s.id, CreatedAt: new Date(s.createdAt).toISOString(), UpdatedAt: new Date(s.updatedAt).toISOString(), Spec: { Name: s.name, Driver: { Name: s.driver, Options: s.driverOptions }, Labels: s.labels } };
}
