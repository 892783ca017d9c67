// kube generate's translation of tspod containers, pods and volumes (libpod/kube/generate-*.ts),
// from Container objects as the state database holds them: each field, and every output checked
// with the Kubernetes 1.33 schemas and the API server's rules (test/kube-schema.ts).
import { describe, expect, it } from 'vitest';
import type { Container, ContainerSpec } from '../../../../libpod/container/container';
import type { Pod } from '../../../../libpod/pod/pod';
import { generatePod, persistentVolumeClaim, type KubeGenerateOptions, type Member } from '../../../../libpod/kube/generate-pod';
import { kubeOutput } from '../../../../libpod/kube/generate';
import { validateKubeYaml } from '../../../kube-schema';

const ID = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2';

function container(name: string, spec: Partial<ContainerSpec> = {}, id = ID): Container {
  return {
    id,
    name,
    state: 'running',
    createdAt: 1,
    status: {},
    spec: {
      image: 'busybox',
      imageId: 'sha256:1',
      imageName: 'docker.io/library/busybox:latest',
      command: [],
      env: [],
      hostname: id.slice(0, 12),
      labels: {},
      terminal: false,
      stdin: false,
      readOnly: false,
      init: false,
      autoRemove: false,
      stopSignal: 'SIGTERM',
      stopTimeout: 10,
      capAdd: [],
      capDrop: [],
      noNewPrivileges: false,
      network: 'slirp4netns',
      restartPolicy: { name: 'no', maxRetries: 0 },
      runtime: 'runc',
      args: ['sh'],
      createCommand: [],
      ...spec,
    },
  };
}

const IMAGE = { Env: ['PATH=/usr/bin:/bin', 'LANG=C'], Cmd: ['sh'], WorkingDir: '/srv', Labels: { maintainer: 'someone' } };
const member = (c: Container, imageConfig: Member['imageConfig'] = IMAGE): Member => ({ container: c, image: 'docker.io/library/busybox:latest', imageConfig });
const POD: KubeGenerateOptions = { type: 'pod', replicas: 1, service: false, podmanOnly: false };
const dir = () => 'Directory' as const;

/** The one object of a kind a generation made, after checking the whole output is valid Kubernetes. */
function only(members: Member[], opts: KubeGenerateOptions = POD, extra: { pod?: Pod; infra?: Container } = {}) {
  const g = generatePod({ members, ...extra }, opts, dir, () => 0.5);
  expect(validateKubeYaml(kubeOutput([g], opts))).toEqual([]);
  return g;
}
const podOf = (g: ReturnType<typeof only>) => g.objects.find((o) => o.kind === 'Pod') as { metadata: Record<string, any>; spec: Record<string, any> };
const first = (g: ReturnType<typeof only>) => podOf(g).spec.containers[0];

describe('kube generate of one container', () => {
  it('makes a Pod named <container>-pod with the app label, image and nothing the user did not ask for', () => {
    const g = only([member(container('web'))]);
    expect(podOf(g)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-pod', labels: { app: 'web-pod' } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'web', image: 'docker.io/library/busybox:latest' }] },
    });
    expect(g.notes).toEqual([]);
  });

  it('gives a name with "_" or "." a valid one and keeps the original in an annotation', () => {
    const g = only([member(container('my_app.v2'))]);
    expect(podOf(g).metadata).toEqual({ name: 'my-app-v2-pod', labels: { app: 'my-app-v2-pod' }, annotations: { 'io.tspod.container-name/my-app-v2': 'my_app.v2' } });
    expect(first(g).name).toBe('my-app-v2');
  });

  it('makes names unique when two containers sanitize to the same', () => {
    const g = only([member(container('a_b')), member(container('a.b', {}, 'b'.repeat(64)))]);
    expect(podOf(g).spec.containers.map((c: { name: string }) => c.name)).toEqual(['a-b', 'a-b-2']);
    expect(podOf(g).metadata.annotations).toEqual({ 'io.tspod.container-name/a-b': 'a_b', 'io.tspod.container-name/a-b-2': 'a.b' });
  });

  it('splits --entrypoint and the command into command and args', () => {
    expect(first(only([member(container('c', { command: ['-c', 'echo hi'], entrypoint: ['/bin/sh'] }))]))).toMatchObject({ command: ['/bin/sh'], args: ['-c', 'echo hi'] });
    const argsOnly = first(only([member(container('c', { command: ['sleep', '9'] }))]));
    expect(argsOnly.args).toEqual(['sleep', '9']);
    expect(argsOnly.command).toBeUndefined();
    expect(first(only([member(container('c', { command: ['true'], entrypoint: [] }))]))).toMatchObject({ command: ['true'] });
  });

  it('writes only the env the image does not already set', () => {
    const c = container('c', { env: ['LANG=C', 'PATH=/opt/bin', 'GREETING=hello world'] });
    expect(first(only([member(c)])).env).toEqual([{ name: 'PATH', value: '/opt/bin' }, { name: 'GREETING', value: 'hello world' }]);
  });

  it('writes workingDir only when it differs from the image\'s', () => {
    expect(first(only([member(container('c', { workdir: '/srv' }))])).workingDir).toBeUndefined();
    expect(first(only([member(container('c', { workdir: '/data' }))])).workingDir).toBe('/data');
  });

  it('lists published ports with hostPort and protocol, ranges expanded', () => {
    const c = container('c', { ports: [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 1 }, { hostIp: '127.0.0.1', hostPort: 5353, containerPort: 53, protocol: 'udp', range: 2 }] });
    expect(first(only([member(c)])).ports).toEqual([
      { containerPort: 80, hostPort: 8080, protocol: 'TCP' },
      { containerPort: 53, hostPort: 5353, hostIP: '127.0.0.1', protocol: 'UDP' },
      { containerPort: 54, hostPort: 5354, hostIP: '127.0.0.1', protocol: 'UDP' },
    ]);
  });

  it('turns bind mounts, named volumes, tmpfs and -v /path into hostPath, claims and emptyDirs', () => {
    const mounts = [
      { type: 'bind', source: '/home/u/site_files', destination: '/usr/share/html', readOnly: true, chown: false, noCopy: false },
      { type: 'volume', source: 'db_data', destination: '/var/lib/db', readOnly: false, chown: false, noCopy: false },
      { type: 'tmpfs', source: '', destination: '/run', readOnly: false, chown: false, noCopy: false, tmpfsOptions: ['size=64m'] },
      { type: 'volume', source: 'f'.repeat(64), destination: '/scratch', readOnly: false, chown: false, noCopy: false, anonymous: true },
      { type: 'volume', source: 'e'.repeat(64), destination: '/var/cache', readOnly: false, chown: false, noCopy: false, anonymous: true },
      { type: 'bind', source: '/', destination: '/host', readOnly: true, chown: false, noCopy: false },
    ] as ContainerSpec['mounts'];
    const g = only([member(container('c', { mounts }), { ...IMAGE, Volumes: { '/var/cache': {} } })]);
    expect(first(g).volumeMounts).toEqual([
      { name: 'home-u-site-files-host', mountPath: '/usr/share/html', readOnly: true },
      { name: 'db-data-pvc', mountPath: '/var/lib/db' },
      { name: 'run-tmpfs', mountPath: '/run' },
      { name: 'scratch-empty', mountPath: '/scratch' },
      { name: 'root-host', mountPath: '/host', readOnly: true },
    ]);
    expect(podOf(g).spec.volumes).toEqual([
      { name: 'home-u-site-files-host', hostPath: { path: '/home/u/site_files', type: 'Directory' } },
      { name: 'db-data-pvc', persistentVolumeClaim: { claimName: 'db-data' } },
      { name: 'run-tmpfs', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'scratch-empty', emptyDir: {} },
      { name: 'root-host', hostPath: { path: '/', type: 'Directory' } },
    ]);
    expect(podOf(g).metadata.annotations).toEqual({ 'io.tspod.volume-name/db-data': 'db_data' });
  });

  it('writes the securityContext of capabilities, user, read-only root and privileges', () => {
    const c = container('c', { capAdd: ['net_admin', 'CAP_SYS_TIME'], capDrop: ['CHOWN'], user: '1000:1001', readOnly: true, noNewPrivileges: true });
    expect(first(only([member(c)])).securityContext).toEqual({
      capabilities: { add: ['NET_ADMIN', 'SYS_TIME'], drop: ['CHOWN'] },
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsUser: 1000,
      runAsGroup: 1001,
    });
    expect(first(only([member(container('c', { user: 'nobody' }))])).securityContext).toBeUndefined();
    expect(first(only([member(container('c', { user: '1000' }), { ...IMAGE, User: '1000' })])).securityContext).toBeUndefined();
    expect(first(only([member(container('c', { security: { privileged: true }, capAdd: ['ALL'] }))])).securityContext).toEqual({ privileged: true });
  });

  it('writes limits from --memory and --cpus and a request from --memory-reservation', () => {
    const c = container('c', { resources: { memory: 512 * 1024 ** 2, memoryReservation: 256 * 1024 ** 2, cpuQuota: 150_000, cpuPeriod: 100_000 } });
    expect(first(only([member(c)])).resources).toEqual({ limits: { cpu: '1500m', memory: '512Mi' }, requests: { memory: '256Mi' } });
    expect(first(only([member(container('c', { resources: { cpuQuota: 200_000, cpuPeriod: 100_000 } }))])).resources).toEqual({ limits: { cpu: '2' } });
  });

  it('turns a healthcheck into a livenessProbe (and a startup check into a startupProbe)', () => {
    const healthcheck = { test: ['CMD-SHELL', 'wget -q -O- localhost || exit 1'], intervalMs: 15_000, timeoutMs: 2_500, startPeriodMs: 5_000, retries: 4, onFailure: 'none', maxLogCount: 5, maxLogSize: 4096, logDestination: 'local', startup: { test: ['CMD', 'test', '-f', '/ready'], intervalMs: 1000, timeoutMs: 1000, retries: 10, successes: 1 } } as ContainerSpec['healthcheck'];
    const k = first(only([member(container('c', { healthcheck }))]));
    expect(k.livenessProbe).toEqual({ exec: { command: ['/bin/sh', '-c', 'wget -q -O- localhost || exit 1'] }, initialDelaySeconds: 5, periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 4 });
    expect(k.startupProbe).toEqual({ exec: { command: ['test', '-f', '/ready'] }, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 10 });
    const manual = only([member(container('c', { healthcheck: { ...healthcheck!, intervalMs: 0, startup: undefined } }))]);
    expect(first(manual).livenessProbe).toBeUndefined();
    expect(manual.notes).toEqual(['container c: its healthcheck runs only on demand (no interval): no livenessProbe']);
  });

  it('maps the restart policy, host name, hosts, DNS, host network and stop timeout onto the pod', () => {
    const c = container('c', { restartPolicy: { name: 'on-failure', maxRetries: 3 }, hostname: 'web1', addHosts: ['db:10.0.0.2', 'cache:10.0.0.2', 'gw:10.0.0.1'], dns: ['1.1.1.1'], dnsSearch: ['example.com'], dnsOptions: ['ndots:2', 'rotate'], stopTimeout: 30 });
    expect(podOf(only([member(c)])).spec).toEqual({
      restartPolicy: 'OnFailure',
      hostname: 'web1',
      hostAliases: [{ ip: '10.0.0.2', hostnames: ['db', 'cache'] }, { ip: '10.0.0.1', hostnames: ['gw'] }],
      dnsConfig: { nameservers: ['1.1.1.1'], searches: ['example.com'], options: [{ name: 'ndots', value: '2' }, { name: 'rotate' }] },
      terminationGracePeriodSeconds: 30,
      containers: [{ name: 'c', image: 'docker.io/library/busybox:latest' }],
    });
    expect(podOf(only([member(container('c', { network: 'host', hostname: 'thishost', restartPolicy: { name: 'always', maxRetries: 0 } }))])).spec).toMatchObject({ restartPolicy: 'Always', hostNetwork: true });
    const bad = only([member(container('c', { hostname: 'web.example.com' }))]);
    expect(podOf(bad).spec.hostname).toBe('web-example-com');
    expect(bad.notes).toEqual(['hostname "web.example.com" is not a DNS-1123 label: written as "web-example-com"']);
  });

  it('shares the host\'s PID and IPC namespaces as hostPID and hostIPC, and says what of the network cannot be carried', () => {
    const g = only([member(container('c', { security: { pid: 'host', ipc: 'host' }, network: 'none' }))]);
    expect(podOf(g).spec).toMatchObject({ hostPID: true, hostIPC: true });
    expect(g.notes).toEqual(['container c has no network (--network none): a Kubernetes pod always has one']);
    const nets = only([member(container('c', { network: 'bridge', networks: [{ name: 'backend', aliases: [] }] }))]);
    expect(nets.notes).toEqual(['container c: its networks (backend) are not carried over: the containers of a pod reach each other on localhost, other pods through Services']);
  });

  it('carries the user\'s labels (not the image\'s) and annotations keyed by container, refusing what Kubernetes would', () => {
    const c = container('my_c', { labels: { maintainer: 'someone', tier: 'front', note: 'two words' }, annotations: { 'example.com/owner': 'me', 'bad key': 'x', 'io.podman.annotations.autoremove': 'TRUE' }, autoRemove: true });
    const g = only([member(c)]);
    expect(podOf(g).metadata).toEqual({
      name: 'my-c-pod',
      labels: { app: 'my-c-pod', tier: 'front' },
      annotations: { 'io.tspod.container-name/my-c': 'my_c', note: 'two words', 'example.com/owner': 'me' },
    });
    expect(g.notes).toEqual([
      'container my_c: label note is not a valid Kubernetes label value and is written as an annotation',
      'container my_c: annotation bad key is not a valid Kubernetes annotation key and is left out',
    ]);
  });

  it('adds Podman-only annotations with --podman-only', () => {
    const c = container('c', { autoRemove: true, init: true, annotations: { 'io.podman.annotations.autoremove': 'TRUE' } });
    expect(podOf(only([member(c)], { ...POD, podmanOnly: true })).metadata.annotations).toEqual({ 'io.podman.annotations.autoremove/c': 'TRUE', 'io.podman.annotations.init/c': 'TRUE' });
  });
});

describe('kube generate --type, --service, pods and volumes', () => {
  const web = () => container('web', { ports: [{ hostIp: '', hostPort: 30080, containerPort: 80, protocol: 'tcp', range: 1 }, { hostIp: '', hostPort: 8443, containerPort: 443, protocol: 'tcp', range: 1 }], restartPolicy: { name: 'no', maxRetries: 0 } });

  it('makes a Deployment with replicas, a selector matching the template and restartPolicy Always', () => {
    const g = only([member(web())], { ...POD, type: 'deployment', replicas: 3 });
    const d = g.objects[0] as Record<string, any>;
    expect([d.apiVersion, d.kind, d.metadata.name, d.spec.replicas, d.spec.selector]).toEqual(['apps/v1', 'Deployment', 'web-pod-deployment', 3, { matchLabels: { app: 'web-pod' } }]);
    expect(d.spec.template.metadata.labels).toEqual({ app: 'web-pod' });
    expect(d.spec.template.spec.restartPolicy).toBe('Always');
    expect(g.notes).toEqual(['restartPolicy Never of the containers is Always in a Deployment, the only policy it allows']);
  });

  it('makes a DaemonSet and a Job (restartPolicy Never, or OnFailure kept)', () => {
    const ds = only([member(web())], { ...POD, type: 'daemonset' }).objects[0] as Record<string, any>;
    expect([ds.kind, ds.metadata.name, ds.spec.replicas, ds.spec.template.spec.restartPolicy]).toEqual(['DaemonSet', 'web-pod-daemonset', undefined, 'Always']);
    const job = only([member(web())], { ...POD, type: 'job' }).objects[0] as Record<string, any>;
    expect([job.apiVersion, job.kind, job.metadata.name, job.spec.template.spec.restartPolicy]).toEqual(['batch/v1', 'Job', 'web-pod-job', 'Never']);
    const retry = only([member(container('w', { restartPolicy: { name: 'on-failure', maxRetries: 2 } }))], { ...POD, type: 'job' }).objects[0] as Record<string, any>;
    expect(retry.spec.template.spec.restartPolicy).toBe('OnFailure');
  });

  it('adds a NodePort Service: the host port as nodePort in range, else one chosen, said in a note', () => {
    const g = only([member(web())], { ...POD, service: true });
    expect(g.objects[0]).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web-pod', labels: { app: 'web-pod' } },
      spec: {
        type: 'NodePort',
        selector: { app: 'web-pod' },
        ports: [
          { name: '80-tcp', port: 80, targetPort: 80, protocol: 'TCP', nodePort: 30080 },
          { name: '443-tcp', port: 443, targetPort: 443, protocol: 'TCP', nodePort: 31384 },
        ],
      },
    });
    expect(first(g).ports).toEqual([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }]);
    expect(g.notes).toEqual(['Service port 443/tcp: host port 8443 is outside the node port range 30000-32767, so nodePort 31384 was chosen at random (as Podman does); delete it to let the cluster choose']);
    const none = only([member(container('quiet'))], { ...POD, service: true });
    expect(none.objects.map((o) => o.kind)).toEqual(['Pod']);
  });

  it('makes a pod\'s containers one Pod: the infra container left out, its ports on the first container', () => {
    const pod: Pod = { id: 'p'.repeat(64), name: 'my_pod', createdAt: 1, spec: { infraId: 'i'.repeat(64), share: ['net', 'ipc', 'uts', 'pid'], hostname: 'shop', labels: { team: 'a' }, exitPolicy: 'continue', restartPolicy: 'always', createCommand: [] } };
    const infra = container('pppppppppppp-infra', { pod: pod.id, ports: [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 1 }], addHosts: ['db:10.0.0.9'] }, 'i'.repeat(64));
    const a = container('front', { pod: pod.id }, 'a'.repeat(64));
    const b = container('back', { pod: pod.id }, 'b'.repeat(64));
    const g = only([member(a), member(b)], POD, { pod, infra });
    expect(podOf(g).metadata).toEqual({ name: 'my-pod', labels: { app: 'my-pod', team: 'a' }, annotations: { 'io.tspod.pod-name': 'my_pod' } });
    expect(podOf(g).spec).toEqual({
      restartPolicy: 'Always',
      hostname: 'shop',
      shareProcessNamespace: true,
      hostAliases: [{ ip: '10.0.0.9', hostnames: ['db'] }],
      containers: [
        { name: 'front', image: 'docker.io/library/busybox:latest', ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }] },
        { name: 'back', image: 'docker.io/library/busybox:latest' },
      ],
    });
  });

  it('makes a PersistentVolumeClaim of a volume with Podman\'s annotations and a valid name', () => {
    const g = persistentVolumeClaim({ name: 'db_data', createdAt: 1, config: { driver: 'local', labels: { env: 'prod', 'bad key!': 'x' }, options: { o: 'uid=1000', type: 'tmpfs' }, anonymous: false } });
    expect(validateKubeYaml(kubeOutput([g], POD))).toEqual([]);
    expect(g.objects[0]).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'db-data', labels: { env: 'prod' }, annotations: { 'volume.podman.io/driver': 'local', 'volume.podman.io/mount-options': 'uid=1000', 'volume.podman.io/type': 'tmpfs', 'io.tspod.volume-name': 'db_data' } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    expect(g.notes).toEqual(['volume db_data: label bad key!=x is not a valid Kubernetes label and is left out']);
  });

  it('writes a header with the notes as comments, then the documents', () => {
    const g = only([member(web())], { ...POD, service: true });
    const text = kubeOutput([g], { ...POD, service: true });
    expect(text.split('\n').slice(0, 6)).toEqual([
      expect.stringMatching(/^# Kubernetes YAML written by tspod .* \(tspod kube generate\)\.$/),
      '# Run it with "kubectl apply -f FILE" on a cluster, or with "tspod kube play FILE" here.',
      '#',
      '# Notes:',
      '# - Service port 443/tcp: host port 8443 is outside the node port range 30000-32767, so nodePort 31384 was chosen at random (as Podman does); delete it to let the cluster choose',
      '---',
    ]);
    expect(text.match(/^---$/gm)).toHaveLength(2);
  });
});

describe('kube generate options', () => {
  const base = { service: false, podmanOnly: false };
  it('takes pod, deployment, daemonset and job, and --replicas only for a Deployment', async () => {
    const { checkGenerateOptions } = await import('../../../../libpod/kube/generate');
    expect(checkGenerateOptions({ ...base, type: 'Deployment', replicas: '3' })).toEqual({ ...base, type: 'deployment', replicas: 3 });
    expect(() => checkGenerateOptions({ ...base, type: 'statefulset', replicas: '1' })).toThrow('invalid --type "statefulset": kube generate writes a pod, deployment, daemonset or job');
    expect(() => checkGenerateOptions({ ...base, type: 'pod', replicas: '2' })).toThrow('--replicas can only be set with --type deployment');
    expect(() => checkGenerateOptions({ ...base, type: 'deployment', replicas: '0' })).toThrow('invalid --replicas "0": give a whole number of at least 1');
    expect(() => checkGenerateOptions({ ...base, type: 'deployment', replicas: 'x' })).toThrow('invalid --replicas "x": give a whole number of at least 1');
  });
});
