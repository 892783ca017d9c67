// Two files played by Podman 4.3.1 (kube play --start=false as the test user, isolated store; its
// containers read with podman inspect) and by tspod's translation. Where the two agree the values
// are asserted as Podman gave them; each difference is a choice, said where it is asserted.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkDocuments, objectMaps, parseKubeDocuments, templateOf } from '../../../../libpod/kube/kube-input';
import { translatePod } from '../../../../libpod/kube/translate-pod';
import { testContext } from './helpers';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-cmp-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const POD = (hostDir: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {MODE: fast, app.conf: "port=80"}
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
  annotations: {owner: ops}
spec:
  hostname: front
  restartPolicy: OnFailure
  terminationGracePeriodSeconds: 5
  hostAliases: [{ip: 10.1.2.3, hostnames: [db]}]
  dnsConfig: {nameservers: [1.1.1.1], searches: [example.com], options: [{name: ndots, value: "2"}]}
  securityContext: {runAsUser: 1000}
  containers:
  - name: app
    image: busybox
    imagePullPolicy: IfNotPresent
    command: [sh, -c]
    args: ["httpd -f -p 8080"]
    workingDir: /tmp
    env:
    - {name: PLAIN, value: hello}
    - name: MODE
      valueFrom: {configMapKeyRef: {name: cfg, key: MODE}}
    - name: POD
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    envFrom:
    - configMapRef: {name: cfg}
      prefix: CFG_
    ports:
    - {containerPort: 8080, hostPort: 18080}
    volumeMounts:
    - {name: host, mountPath: /host, readOnly: true}
    - {name: data, mountPath: /data}
    - {name: conf, mountPath: /etc/app}
    securityContext:
      runAsGroup: 100
      capabilities: {add: [NET_ADMIN], drop: [MKNOD]}
      readOnlyRootFilesystem: true
      allowPrivilegeEscalation: false
    resources:
      limits: {memory: 64Mi, cpu: 250m}
      requests: {memory: 32Mi}
    livenessProbe:
      httpGet: {path: /, port: 8080}
      periodSeconds: 5
      timeoutSeconds: 2
      failureThreshold: 4
      initialDelaySeconds: 3
  volumes:
  - {name: host, hostPath: {path: ${hostDir}, type: Directory}}
  - {name: data, persistentVolumeClaim: {claimName: app-data}}
  - {name: conf, configMap: {name: cfg}}
`;

describe('a Pod as Podman 4.3.1 plays it', () => {
  it('agrees on the pod, names, command, user, labels, limits and mounts; differs where Kubernetes says otherwise', () => {
    const host = tmp();
    const docs = parseKubeDocuments(POD(host), 'pod.yaml');
    expect(checkDocuments(docs, { strict: true })).toEqual([]);
    const ctx = testContext(tmp(), '', { ...objectMaps(docs), podName: 'web' });
    const t = translatePod({ metadata: docs[1].object.metadata, spec: docs[1].object.spec }, ctx);
    // Podman's pod inspect: Hostname front, ExitPolicy stop, InfraConfig PortBindings 8080/tcp ->
    // 18080, DNSServer/DNSSearch/DNSOption, HostAdd db:10.1.2.3, Labels app=web.
    expect(t.pod).toEqual({ name: 'web', infra: true, hostname: 'front', labels: ['app=web'], publish: ['18080:8080/tcp'], addHosts: ['db:10.1.2.3'], dns: ['1.1.1.1'], dnsSearch: ['example.com'], dnsOptions: ['ndots:2'], volumes: [], exitPolicy: 'stop', restart: 'on-failure' });
    const c = t.containers[0].create;
    // Podman: Name web-app, Path sh, Args [-c, httpd -f -p 8080], User 1000:100, WorkingDir /tmp,
    // Labels {app: web}, annotation owner=ops, ReadonlyRootfs, CapAdd NET_ADMIN, CapDrop MKNOD
    // (and its defaults), SecurityOpt no-new-privileges, Memory 67108864, MemoryReservation
    // 33554432, NanoCpus 250000000, RestartPolicy on-failure.
    expect(c).toMatchObject({ name: 'web-app', entrypoint: '["sh","-c"]', command: ['httpd -f -p 8080'], user: '1000:100', workdir: '/tmp', labels: ['app=web'], annotations: ['owner=ops'], readOnly: true, capAdd: ['NET_ADMIN'], capDrop: ['MKNOD'], securityOpt: ['no-new-privileges'], restart: 'on-failure', pull: 'missing' });
    expect(c.resources).toEqual({ memory: '67108864', memoryReservation: '33554432', cpus: '0.25' });
    // Podman: the hostPath a read-only bind, the claim the named volume app-data. It made the
    // ConfigMap a writable named volume "cfg" (shared by every pod that mounts it); tspod binds
    // its files read-only, as the kubelet mounts a configMap volume.
    expect(c.mounts).toEqual([`type=bind,source=${host},target=/host,ro=true`, 'type=volume,source=app-data,target=/data', `type=bind,source=${ctx.materialize('web', 'conf', [])},target=/etc/app,ro=true`]);
    expect(t.claims).toEqual(['app-data']);
    // Podman 4.3.1 dropped envFrom's prefix (its env had app.conf=port=80); Kubernetes prefixes.
    expect(c.env).toEqual(['CFG_MODE=fast', 'CFG_app.conf=port=80', 'PLAIN=hello', 'MODE=fast', 'POD=web']);
    // Podman 4.3.1 kept StopTimeout 10 (5.x takes terminationGracePeriodSeconds, as tspod does).
    expect(c.stopTimeout).toBe(5);
    // Podman: Test [CMD-SHELL curl -f http://localhost:8080/ || exit 1] (no curl in busybox: the
    // check can never pass there), on-failure none; tspod's check runs with busybox's wget, and a
    // failing liveness probe restarts the container as the kubelet (and Podman 5) does.
    expect(c.health).toEqual({ cmd: `["CMD-SHELL","if command -v wget >/dev/null 2>&1; then wget -q -O /dev/null 'http://localhost:8080/'; else curl -fsS -m 2 -o /dev/null 'http://localhost:8080/'; fi || exit 1"]`, interval: '5s', timeout: '2s', retries: '4', startPeriod: '3s', onFailure: 'restart' });
  });
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, labels: {app: api}}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      initContainers:
      - name: setup
        image: busybox
        command: [sh, -c, "echo hi > /work/hello"]
        volumeMounts: [{name: work, mountPath: /work}]
      containers:
      - name: srv
        image: busybox
        args: [sleep, "1000"]
        stdin: true
        tty: true
        volumeMounts: [{name: work, mountPath: /work}, {name: mem, mountPath: /mem}]
        ports: [{name: http, containerPort: 80}]
        readinessProbe: {tcpSocket: {port: http}}
        startupProbe: {exec: {command: [cat, /work/hello]}, failureThreshold: 30}
      volumes:
      - {name: work, emptyDir: {}}
      - {name: mem, emptyDir: {medium: Memory, sizeLimit: 16Mi}}
`;

describe('a Deployment as Podman 4.3.1 plays it', () => {
  it('names replicas and containers as Podman; differs on init restarts, stdin, emptyDir and probes', () => {
    const docs = parseKubeDocuments(DEPLOYMENT, 'dep.yaml');
    expect(checkDocuments(docs, { strict: true })).toEqual([]);
    const tpl = templateOf(docs[0].where, docs[0].object);
    // Podman made pods api-pod-0 and api-pod-1 with containers api-pod-0-setup, api-pod-0-srv, ...
    const [r0, r1] = [0, 1].map((i) => translatePod(tpl, testContext(tmp(), '', { podName: `api-pod-${i}` })));
    expect(r0.containers.map((c) => [c.create.name, c.init, c.initType, c.create.restart])).toEqual([
      // Podman 4.3.1 gave the init container restart policy always; it runs once (Podman 5: no).
      ['api-pod-0-setup', true, 'once', 'no'],
      ['api-pod-0-srv', false, undefined, 'always'],
    ]);
    // Podman 4.3.1: Tty true but OpenStdin false; tspod keeps stdin: true.
    expect(r0.containers[1].create).toMatchObject({ command: ['sleep', '1000'], tty: true, interactive: true });
    // Podman 4.3.1 made both emptyDirs one named volume per name ("work", "mem") shared by every
    // replica; tspod gives each pod its own (an emptyDir lives and dies with its pod), and a
    // Memory one is a tmpfs of its size.
    expect(r0.containers[1].create.mounts).toEqual(['type=volume,source=api-pod-0-emptydir-work,target=/work', `type=tmpfs,target=/mem,tmpfs-size=${16 * 2 ** 20}`]);
    expect(r1.containers[1].create.mounts?.[0]).toBe('type=volume,source=api-pod-1-emptydir-work,target=/work');
    expect([r0.emptyDirs, r1.emptyDirs]).toEqual([['api-pod-0-emptydir-work'], ['api-pod-1-emptydir-work']]);
    // Podman 4.3.1 ignored readinessProbe and startupProbe (no healthcheck); tspod checks
    // readiness (what a rolling update waits for) after the startup probe passes.
    expect(r0.containers[1].create.health).toEqual({
      cmd: `["CMD-SHELL","nc -z -w 1 'localhost' 80 2>/dev/null || nc -w 1 'localhost' 80 -e true || exit 1"]`,
      interval: '10s',
      timeout: '1s',
      retries: '3',
      startPeriod: '0s',
      startupCmd: '["CMD","cat","/work/hello"]',
      startupInterval: '10s',
      startupTimeout: '1s',
      startupRetries: '30',
    });
  });
});

// What Podman 4.3.1's generate kube wrote for a pod with one container (podman create --pod gen
// --name gen_web -e A=b -v genvol:/data -v DIR:/h:ro --cap-add NET_ADMIN --user 1000 --read-only
// busybox httpd -f -p 80), trimmed to what matters here.
const PODMAN_GENERATED = (dir: string) => `# Created with podman-4.3.1
apiVersion: v1
kind: Pod
metadata:
  annotations:
    io.kubernetes.cri-o.TTY/genweb: "false"
    io.podman.annotations.autoremove/genweb: "FALSE"
    io.podman.annotations.init/genweb: "FALSE"
    io.podman.annotations.privileged/genweb: "FALSE"
  creationTimestamp: "2026-12-02T07:38:30Z"
  labels:
    app: gen
  name: gen
spec:
  automountServiceAccountToken: false
  containers:
  - command: [httpd, -f, -p, "80"]
    env:
    - name: A
      value: b
    image: busybox:latest
    name: genweb
    ports:
    - containerPort: 80
      hostPort: 18282
    resources: {}
    securityContext:
      capabilities:
        add: [CAP_NET_ADMIN]
        drop: [CAP_MKNOD, CAP_NET_RAW, CAP_AUDIT_WRITE]
      readOnlyRootFilesystem: true
      runAsGroup: 0
      runAsUser: 1000
    volumeMounts:
    - mountPath: /tmp
      name: tmpfs-host-0
    - mountPath: /h
      name: host-data
      readOnly: true
    - mountPath: /data
      name: genvol-pvc
  enableServiceLinks: false
  hostname: gen
  restartPolicy: Never
  volumes:
  - name: genvol-pvc
    persistentVolumeClaim:
      claimName: genvol
  - hostPath:
      path: tmpfs
      type: DirectoryOrCreate
    name: tmpfs-host-0
  - hostPath:
      path: ${dir}
      type: Directory
    name: host-data
status: {}
`;

describe('a file Podman 4.3.1 generated', () => {
  it('plays with a warning for the annotation key the API server refuses; the relative hostPath Podman writes for --read-only\'s tmpfs mounts is refused', () => {
    const dir = tmp();
    const text = PODMAN_GENERATED(dir);
    expect(() => checkDocuments(parseKubeDocuments(text, 'gen.yaml'), { strict: false })).toThrow('gen.yaml, document 1: spec.volumes[1].hostPath.path: "tmpfs" is relative: a hostPath must be absolute');
    const fixed = text.replace(/    - mountPath: \/tmp\n      name: tmpfs-host-0\n/, '').replace(/  - hostPath:\n      path: tmpfs\n      type: DirectoryOrCreate\n    name: tmpfs-host-0\n/, '');
    const docs = parseKubeDocuments(fixed, 'gen.yaml');
    // "io.kubernetes.cri-o.TTY" is no DNS subdomain (upper case): kubectl apply of this file fails.
    expect(checkDocuments(docs, { strict: false })).toEqual(['gen.yaml, document 1: metadata.annotations.io.kubernetes.cri-o.TTY/genweb: the API server refuses this key (a name of at most 63 letters, digits, "-", "_" or ".", with an optional lower-case DNS-subdomain prefix and "/"): kept, but a cluster would refuse the file']);
    const c = translatePod({ metadata: docs[0].object.metadata, spec: docs[0].object.spec }, testContext(tmp(), '', { podName: 'gen' })).containers[0].create;
    expect(c).toMatchObject({ name: 'gen-genweb', entrypoint: '["httpd","-f","-p","80"]', env: ['A=b'], user: '1000:0', readOnly: true, capAdd: ['CAP_NET_ADMIN'], capDrop: ['CAP_MKNOD', 'CAP_NET_RAW', 'CAP_AUDIT_WRITE'], restart: 'no', init: false, rm: false });
    expect(c.mounts).toEqual([`type=bind,source=${dir},target=/h,ro=true`, 'type=volume,source=genvol,target=/data']);
  });
});

const SECRETS = `apiVersion: v1
kind: Secret
metadata: {name: creds}
data: {user: YWRtaW4=}
stringData: {pass: hunter2}
---
apiVersion: v1
kind: Pod
metadata: {name: sec}
spec:
  shareProcessNamespace: true
  containers:
  - name: app
    image: busybox
    args: [sleep, "1000"]
    envFrom: [{secretRef: {name: creds}}]
    env:
    - {name: U, valueFrom: {secretKeyRef: {name: creds, key: user}}}
    - {name: GREETING, value: "hi $(U)"}
    volumeMounts:
    - {name: s, mountPath: /secrets}
    - {name: d, mountPath: /data, subPath: sub}
    securityContext: {privileged: true}
  volumes:
  - {name: s, secret: {secretName: creds}}
  - {name: d, persistentVolumeClaim: {claimName: store}}
`;

describe('a Pod reading a Secret, which Podman 4.3.1 cannot play', () => {
  it('gives env, envFrom and a secret volume the Secret\'s decoded values', () => {
    // Podman 4.3.1: with the secret volume, kube play panics (nil pointer in VolumeFromSecret);
    // without it, "cannot set env U: secret creds is not valid JSON", after making pod sec (left
    // behind, Created). tspod translates it, and any refusal comes before anything is made.
    const docs = parseKubeDocuments(SECRETS, 'sec.yaml');
    expect(checkDocuments(docs, { strict: true })).toEqual([]);
    const ctx = testContext(tmp(), '', { ...objectMaps(docs), podName: 'sec' });
    const t = translatePod({ metadata: docs[1].object.metadata, spec: docs[1].object.spec }, ctx);
    expect(t.pod.share).toBe('+pid');
    expect(t.containers[0].create).toMatchObject({ env: ['user=admin', 'pass=hunter2', 'U=admin', 'GREETING=hi admin'], security: { privileged: true } });
    expect(ctx.written.get('sec/s')).toEqual([
      { path: 'user', data: 'admin', mode: 0o644 },
      { path: 'pass', data: 'hunter2', mode: 0o644 },
    ]);
    expect(t.containers[0].create.mounts?.[1]).toBe('type=volume,source=store,target=/data,subpath=sub');
  });
});
