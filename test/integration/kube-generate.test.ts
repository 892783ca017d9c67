// kube generate (and generate kube) as the unprivileged user, of real containers, pods and volumes:
// every YAML it writes must pass the Kubernetes 1.33 schemas and the API server's own checks
// (test/kube-schema.ts) with zero problems, and carry what the containers were made with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Store, mirrorDockerHub, registry, userEnv } from './harness';
import { validateKubeYaml } from '../kube-schema';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('kube-generate');
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });
const user = userEnv();
let site: string;

type Obj = Record<string, any>;
const docs = (text: string): Obj[] => parseAllDocuments(text).map((d) => d.toJS() as Obj).filter(Boolean);

/** kube generate's output, checked: exit 0, nothing on stderr, zero problems for Kubernetes. */
function generate(args: string[]): { text: string; objects: Obj[] } {
  const r = tspod(['kube', 'generate', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(validateKubeYaml(r.stdout)).toEqual([]);
  return { text: r.stdout, objects: docs(r.stdout) };
}

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
  site = path.join(store.dir, 'site');
  fs.mkdirSync(site);
  fs.chownSync(site, user.uid, user.gid);
  const web = tspod([
    'create', '--name', 'web_app', '--hostname', 'web',
    '-e', 'GREETING=hello world', '-p', '18080:80', '-p', '30081:81/udp',
    '-v', 'site_data:/data', '-v', `${site}:/srv/site:ro`, '--tmpfs', '/run/cache:size=16m',
    '--health-cmd', 'test -e /data', '--health-interval', '10s', '--health-timeout', '3s', '--health-retries', '4', '--health-start-period', '5s',
    '--memory', '64m', '--cpus', '0.5', '--cap-add', 'NET_ADMIN', '--cap-drop', 'MKNOD', '--user', '1000:1000', '--read-only',
    '--restart', 'on-failure', '--add-host', 'db:10.0.0.5', '--dns', '10.0.0.53', '--label', 'tier=front', '--annotation', 'example.com/owner=ops',
    '-w', '/data', 'busybox', 'httpd', '-f', '-p', '80',
  ]);
  // Rootless on cgroups v1 the limits are recorded, not applied (Podman's warning): kube generate still writes them.
  expect(web.stderr).toBe('WARN[0000] Resource limits are not supported and ignored on cgroups V1 rootless systems\n');
  expect(web.code).toBe(0);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

describe('kube generate of a container', () => {
  it('writes a valid Pod with its env, ports, volumes, probe, limits, securityContext and a valid name for web_app', () => {
    const { text, objects } = generate(['web_app']);
    expect(text).toMatch(/^# Kubernetes YAML written by tspod \S+ \(tspod kube generate\)\.\n/);
    expect(objects).toHaveLength(1);
    expect(objects[0]).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-app-pod',
        labels: { app: 'web-app-pod', tier: 'front' },
        annotations: { 'io.tspod.container-name/web-app': 'web_app', 'example.com/owner': 'ops', 'io.tspod.volume-name/site-data': 'site_data' },
      },
      spec: {
        restartPolicy: 'OnFailure',
        hostname: 'web',
        hostAliases: [{ ip: '10.0.0.5', hostnames: ['db'] }],
        dnsConfig: { nameservers: ['10.0.0.53'] },
        containers: [
          {
            name: 'web-app',
            image: 'docker.io/library/busybox:latest',
            args: ['httpd', '-f', '-p', '80'],
            env: [{ name: 'GREETING', value: 'hello world' }],
            workingDir: '/data',
            ports: [
              { containerPort: 80, hostPort: 18080, protocol: 'TCP' },
              { containerPort: 81, hostPort: 30081, protocol: 'UDP' },
            ],
            resources: { limits: { cpu: '500m', memory: '64Mi' } },
            volumeMounts: [
              { name: 'site-data-pvc', mountPath: '/data' },
              { name: expect.stringMatching(/-site-host$/), mountPath: '/srv/site', readOnly: true },
              { name: 'run-cache-tmpfs', mountPath: '/run/cache' },
            ],
            livenessProbe: { exec: { command: ['/bin/sh', '-c', 'test -e /data'] }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 4 },
            securityContext: { capabilities: { add: ['NET_ADMIN'] }, readOnlyRootFilesystem: true, runAsUser: 1000, runAsGroup: 1000 },
          },
        ],
        volumes: [
          { name: 'site-data-pvc', persistentVolumeClaim: { claimName: 'site-data' } },
          { name: expect.stringMatching(/-site-host$/), hostPath: { path: site, type: 'Directory' } },
          { name: 'run-cache-tmpfs', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
        ],
      },
    });
    // generate kube is the same command.
    expect(tspod(['generate', 'kube', 'web_app']).stdout).toBe(text);
  });

  it('--type deployment --replicas 3: a Deployment whose selector matches its template, restartPolicy Always', () => {
    const { text, objects } = generate(['--type', 'deployment', '--replicas', '3', 'web_app']);
    const [d] = objects;
    expect([d.apiVersion, d.kind, d.metadata.name, d.spec.replicas]).toEqual(['apps/v1', 'Deployment', 'web-app-pod-deployment', 3]);
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'web-app-pod' } });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'web-app-pod', tier: 'front' });
    expect(d.spec.template.spec.restartPolicy).toBe('Always');
    expect(d.spec.template.spec.containers[0].name).toBe('web-app');
    expect(text).toContain('# - restartPolicy OnFailure of the containers is Always in a Deployment, the only policy it allows\n');
  });

  it('--type daemonset and --type job', () => {
    const [ds] = generate(['-t', 'daemonset', 'web_app']).objects;
    expect([ds.apiVersion, ds.kind, ds.metadata.name, ds.spec.template.spec.restartPolicy]).toEqual(['apps/v1', 'DaemonSet', 'web-app-pod-daemonset', 'Always']);
    const [job] = generate(['-t', 'job', 'web_app']).objects;
    expect([job.apiVersion, job.kind, job.metadata.name, job.spec.template.spec.restartPolicy]).toEqual(['batch/v1', 'Job', 'web-app-pod-job', 'OnFailure']);
  });

  it('--service: a NodePort Service before the Pod, the host port in range as nodePort, another chosen in range', () => {
    const { text, objects } = generate(['--service', 'web_app']);
    expect(objects.map((o) => o.kind)).toEqual(['Service', 'Pod']);
    const svc = objects[0];
    expect(svc.metadata).toEqual({ name: 'web-app-pod', labels: { app: 'web-app-pod' } });
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.selector).toEqual({ app: 'web-app-pod' });
    const [http, udp] = svc.spec.ports;
    expect(udp).toEqual({ name: '81-udp', port: 81, targetPort: 81, protocol: 'UDP', nodePort: 30081 });
    expect(http).toMatchObject({ name: '80-tcp', port: 80, targetPort: 80, protocol: 'TCP' });
    expect(http.nodePort).toBeGreaterThanOrEqual(30000);
    expect(http.nodePort).toBeLessThanOrEqual(32767);
    expect(text).toContain(`host port 18080 is outside the node port range 30000-32767, so nodePort ${http.nodePort} was chosen at random`);
    // The Service publishes the ports: the container lists them without hostPort, as Podman does.
    expect(objects[1].spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 81, protocol: 'UDP' }]);
  });

  it('-f FILE writes the file (0644) and prints nothing; an existing file is refused and kept', () => {
    const file = path.join(store.dir, 'web.yaml');
    const r = tspod(['kube', 'generate', '-f', file, 'web_app']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const text = fs.readFileSync(file, 'utf8');
    expect(validateKubeYaml(text)).toEqual([]);
    expect(docs(text)[0].metadata.name).toBe('web-app-pod');
    expect(fs.statSync(file).mode & 0o777).toBe(0o644);
    expect(fs.statSync(file).uid).toBe(user.uid);
    const again = tspod(['kube', 'generate', '--filename', file, '--type', 'job', 'web_app']);
    expect(again).toEqual({ code: 125, stdout: '', stderr: `Error: cannot write to "${file}": the file exists; remove it or name another file\n` });
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });

  it('a volume as a PersistentVolumeClaim, before the Pod of the containers given with it', () => {
    expect(tspod(['volume', 'create', '--label', 'env=test', 'logs']).code).toBe(0);
    const { objects } = generate(['logs', 'web_app']);
    expect(objects.map((o) => o.kind)).toEqual(['PersistentVolumeClaim', 'Pod']);
    expect(objects[0]).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'logs', labels: { env: 'test' }, annotations: { 'volume.podman.io/driver': 'local' } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    const [claim] = generate(['site_data']).objects;
    expect(claim.metadata).toEqual({ name: 'site-data', annotations: { 'volume.podman.io/driver': 'local', 'io.tspod.volume-name': 'site_data' } });
  });

  it('several containers make one Pod; a running one too', () => {
    const r = tspod(['run', '-d', '-q', '--name', 'side.car', '-e', 'MODE=watch', 'busybox', 'sleep', '300']);
    expect(r.code, r.stderr).toBe(0);
    const { objects } = generate(['web_app', 'side.car']);
    expect(objects).toHaveLength(1);
    const pod = objects[0];
    expect(pod.metadata.name).toBe('web-app-pod');
    expect(pod.spec.containers.map((c: Obj) => [c.name, c.args, c.env])).toEqual([
      ['web-app', ['httpd', '-f', '-p', '80'], [{ name: 'GREETING', value: 'hello world' }]],
      ['side-car', ['sleep', '300'], [{ name: 'MODE', value: 'watch' }]],
    ]);
    expect(pod.metadata.annotations).toMatchObject({ 'io.tspod.container-name/web-app': 'web_app', 'io.tspod.container-name/side-car': 'side.car' });
  });

  it('refuses what it cannot do with Podman\'s exit code and says what to do', () => {
    expect(tspod(['kube', 'generate', 'nothing_here'])).toEqual({ code: 125, stdout: '', stderr: 'Error: name or ID "nothing_here" not found: no container, pod or volume has it (see tspod ps -a, tspod pod ps, tspod volume ls)\n' });
    expect(tspod(['kube', 'generate', '--replicas', '2', 'web_app'])).toEqual({ code: 125, stdout: '', stderr: 'Error: --replicas can only be set with --type deployment\n' });
    expect(tspod(['kube', 'generate', '--type', 'statefulset', 'web_app'])).toEqual({ code: 125, stdout: '', stderr: 'Error: invalid --type "statefulset": kube generate writes a pod, deployment, daemonset or job\n' });
    expect(tspod(['kube', 'generate'])).toEqual({ code: 125, stdout: '', stderr: 'Error: kube generate needs the name or ID of at least one container, pod or volume\n' });
  });
});
