// An in-memory ComposeOps and translator for the lifecycle's unit tests: containers, networks and
// volumes as records, every call logged in order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ComposeContainer, ComposeOps, OpReport } from '../../../../libpod/compose/compose-ops';
import type { ComposeContext } from '../../../../libpod/compose/context';
import type { Translator } from '../../../../libpod/compose/translator';
import type { CreateOptions } from '../../../../libpod/container/create-spec';
import { LABEL, type Project, type ServiceConfig } from '../../../../libpod/compose/types';

export class FakeOps {
  containers: ComposeContainer[] = [];
  networks = new Map<string, Record<string, string>>();
  volumes = new Map<string, Record<string, string>>();
  images = new Set<string>();
  calls: string[] = [];
  /** Called when a container starts: lets a test set its health or exit. */
  onStart: (c: ComposeContainer) => void = () => {};
  failCreate?: string;
  /** Anonymous volumes by container name. */
  anonymous = new Map<string, Array<{ name: string; destination: string }>>();
  /** The create options each container was made with, by name. */
  created = new Map<string, CreateOptions>();
  private seq = 0;

  byId(id: string): ComposeContainer {
    const c = this.containers.find((x) => x.id === id || x.name === id);
    if (!c) throw new Error(`no such container ${id}`);
    return c;
  }

  ops(): ComposeOps {
    const each = (ids: string[], f: (c: ComposeContainer) => void): OpReport[] =>
      ids.map((id) => {
        try {
          f(this.byId(id));
          return { id };
        } catch (err) {
          return { id, error: err as Error };
        }
      });
    return {
      listContainers: (labels) => this.containers.filter((c) => Object.entries(labels).every(([k, v]) => c.labels[k] === v)).map((c) => ({ ...c })),
      createContainer: async (o: CreateOptions) => {
        if (this.failCreate && o.name === this.failCreate) throw new Error('image not known');
        if (this.containers.some((c) => c.name === o.name)) throw new Error(`the container name "${o.name}" is already in use`);
        const labels = Object.fromEntries(o.labels.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
        const c: ComposeContainer = { id: `${String(++this.seq).padStart(12, '0')}abcdef`, name: o.name!, state: 'created', health: '', labels, image: o.image, created: this.seq };
        this.containers.push(c);
        this.created.set(c.name, o);
        this.calls.push(`create ${c.name}`);
        return { id: c.id, name: c.name };
      },
      containerStatus: (id) => {
        const c = this.containers.find((x) => x.id === id);
        return c && { state: c.state, exitCode: c.exitCode, health: c.health };
      },
      startContainers: async (ids) =>
        each(ids, (c) => {
          this.calls.push(`start ${c.name}`);
          c.state = 'running';
          this.onStart(c);
        }),
      stopContainers: async (ids) =>
        each(ids, (c) => {
          this.calls.push(`stop ${c.name}`);
          c.state = 'exited';
        }),
      restartContainers: async (ids) => each(ids, (c) => this.calls.push(`restart ${c.name}`)),
      killContainers: async (ids, sig) => each(ids, (c) => this.calls.push(`kill ${sig} ${c.name}`)),
      anonymousVolumes: (id) => this.anonymous.get(this.byId(id).name) ?? [],
      cleanupContainer: async (id) => void this.calls.push(`cleanup ${this.byId(id).name}`),
      renameContainer: (id, name) => {
        if (this.containers.some((c) => c.name === name)) throw new Error(`the container name "${name}" is already in use`);
        this.calls.push(`rename ${this.byId(id).name} ${name}`);
        this.byId(id).name = name;
      },
      removeContainers: async (ids) =>
        each(ids, (c) => {
          this.calls.push(`rm ${c.name}`);
          this.containers = this.containers.filter((x) => x !== c);
        }),
      pauseContainers: async (ids, on) => each(ids, (c) => void (c.state = on ? 'paused' : 'running')),
      waitContainer: async (id) => this.byId(id).exitCode ?? 0,
      startAttached: async (id) => {
        this.calls.push(`run ${this.byId(id).name}`);
        return 3;
      },
      logs: async (id, _o, onLine) => {
        onLine('stdout', `hello from ${this.byId(id).name}`);
      },
      networkLabels: (n) => this.networks.get(n),
      createNetwork: (n, o) => {
        this.calls.push(`network ${n}`);
        this.networks.set(n, Object.fromEntries(o.labels.map((l) => l.split('='))));
      },
      removeNetwork: async (n) => {
        this.calls.push(`network rm ${n}`);
        this.networks.delete(n);
        return { id: n };
      },
      volumeLabels: (n) => this.volumes.get(n),
      createVolume: (n, o) => {
        this.calls.push(`volume ${n}`);
        this.volumes.set(n, Object.fromEntries(o.labels.map((l) => l.split('='))));
      },
      removeVolume: async (n) => {
        this.calls.push(`volume rm ${n}`);
        this.volumes.delete(n);
        return { id: n };
      },
      imageExists: (r) => this.images.has(r),
      pullImage: async (r) => {
        this.calls.push(`pull ${r}`);
        this.images.add(r);
      },
      buildImage: async (o) => {
        this.calls.push(`build ${o.tags[0]}`);
        this.images.add(o.tags[0]);
      },
      removeImage: async (r) => {
        this.calls.push(`rmi ${r}`);
        this.images.delete(r);
        return { id: r };
      },
    } as Partial<ComposeOps> as ComposeOps;
  }
}

/** A translator that names and labels containers as Compose does, its hash the service's environment. */
export const fakeTranslator: Translator = {
  serviceCreateOptions: (project: Project, service: ServiceConfig, n, o) =>
    ({
      image: service.image ?? `${project.name}-${service.name}`,
      command: [],
      name: o.name ?? (o.oneoff ? `${project.name}-${service.name}-run-0123456789ab` : `${project.name}-${service.name}-${n}`),
      env: [],
      labels: [`${LABEL.project}=${project.name}`, `${LABEL.service}=${service.name}`, `${LABEL.number}=${n}`, `${LABEL.oneoff}=${o.oneoff ? 'True' : 'False'}`, `${LABEL.configHash}=${o.configHash}`],
      publish: ['8080:80'],
    }) as unknown as CreateOptions,
  serviceConfigHash: (s) => JSON.stringify(s.environment ?? {}),
  networkCreate: (p, k) => ({ name: p.networks[k]?.name ?? `${p.name}_${k}`, options: { labels: [`${LABEL.project}=${p.name}`, `${LABEL.network}=${k}`], internal: false, ignore: true } }),
  volumeCreate: (p, k) => ({ name: p.volumes[k].name, options: { labels: [`${LABEL.project}=${p.name}`, `${LABEL.volume}=${k}`], options: [], ignore: true } }),
  bindSourcesToCreate: (p, s) => (s.volumes ?? []).filter((v) => v.type === 'bind' && v.bind?.create_host_path !== false).map((v) => v.source!),
};

export function project(services: Record<string, Partial<ServiceConfig>>, extra: Partial<Project> = {}): Project {
  return {
    name: 'p',
    workingDir: '/w',
    files: ['/w/compose.yaml'],
    environment: {},
    services: Object.fromEntries(Object.entries(services).map(([n, s]) => [n, { name: n, image: 'busybox', ...s }])),
    disabledServices: {},
    networks: { default: { name: 'p_default' } },
    volumes: {},
    secrets: {},
    configs: {},
    allProfiles: [],
    unsupported: [],
    extensions: {},
    ...extra,
  };
}

export function context(p: Project, fake: FakeOps): ComposeContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const w = (into: string[]) => ({ write: (s: string) => into.push(s) }) as unknown as NodeJS.WritableStream;
  return { project: p, ops: fake.ops(), tr: fakeTranslator, io: { stdin: process.stdin, stdout: w(out), stderr: w(err), color: false, stdinTty: false }, runroot: fs.mkdtempSync(path.join(os.tmpdir(), 'compose-up-')), out, err };
}
