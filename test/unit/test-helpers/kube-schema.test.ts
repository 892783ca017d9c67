// The validator every kube test relies on (test/kube-schema.ts): it must pass what Kubernetes 1.33
// accepts and name every problem of what it would refuse, or the kube tests prove nothing.
import { describe, expect, it } from 'vitest';
import { validateKubeYaml } from '../../kube-schema';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web-pod
  creationTimestamp: "2026-12-02T07:00:00Z"
  labels:
    app: web-pod
  annotations:
    io.tspod.container.name/web: web_1
spec:
  restartPolicy: Always
  hostname: web
  hostAliases:
  - ip: 10.0.0.1
    hostnames: [db]
  containers:
  - name: web
    image: docker.io/library/busybox:latest
    command: [sh]
    args: [-c, sleep 1]
    env:
    - name: A
      value: b
    ports:
    - containerPort: 80
      hostPort: 8080
      protocol: TCP
    resources:
      limits:
        memory: 64Mi
        cpu: 500m
    securityContext:
      capabilities:
        add: [NET_ADMIN]
      runAsUser: 1000
      readOnlyRootFilesystem: true
    livenessProbe:
      exec:
        command: [/bin/true]
      periodSeconds: 30
    volumeMounts:
    - name: data-pvc
      mountPath: /data
  volumes:
  - name: data-pvc
    persistentVolumeClaim:
      claimName: data
`;

const OTHERS = `---
apiVersion: v1
kind: Service
metadata:
  name: web-pod
spec:
  type: NodePort
  selector:
    app: web-pod
  ports:
  - name: 80-tcp
    port: 80
    targetPort: 80
    nodePort: 30080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-deployment
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: busybox
---
apiVersion: batch/v1
kind: Job
metadata:
  name: once
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: once
        image: busybox
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
`;

describe('validateKubeYaml', () => {
  it('accepts a valid Pod, Service, Deployment, Job and PersistentVolumeClaim', () => {
    expect(validateKubeYaml(POD + OTHERS)).toEqual([]);
  });

  it('names an unknown field by its path, at any depth', () => {
    const text = POD.replace('      runAsUser: 1000', '      runAsUser: 1000\n      runAsUsr: 1000').replace('kind: Pod', 'kind: Pod\nstatus2: {}');
    expect(validateKubeYaml(text)).toEqual([
      'document 1 (Pod web-pod): /status2: unknown field "status2"',
      'document 1 (Pod web-pod): /spec/containers/0/securityContext/runAsUsr: unknown field "runAsUsr"',
    ]);
  });

  it('refuses a container name with "_" (RFC 1123), and a volume mount of no volume', () => {
    const text = POD.replace('  - name: web\n', '  - name: web_1\n').replace('    - name: data-pvc\n      mountPath', '    - name: data_pvc\n      mountPath');
    expect(validateKubeYaml(text)).toEqual([
      'document 1 (Pod web-pod): /spec/containers/0/name: "web_1" is not a DNS-1123 label',
      'document 1 (Pod web-pod): /spec/containers/0/volumeMounts/0/name: no volume named "data_pvc" in the pod',
    ]);
  });

  it('refuses a wrong type and a bad quantity as the schema does', () => {
    const text = POD.replace('containerPort: 80', 'containerPort: "80"').replace('memory: 64Mi', 'memory: 64 MB').replace('[/bin/true]', '[true]');
    expect(validateKubeYaml(text)).toEqual([
      'document 1 (Pod web-pod): /spec/containers/0/livenessProbe/exec/command/0: must be string',
      'document 1 (Pod web-pod): /spec/containers/0/ports/0/containerPort: must be integer',
      'document 1 (Pod web-pod): /spec/containers/0/resources/limits/memory: must be number',
      'document 1 (Pod web-pod): /spec/containers/0/resources/limits/memory: must be a valid quantity',
      'document 1 (Pod web-pod): /spec/containers/0/resources/limits/memory: matches none of the forms the schema allows (the errors above say why)',
    ]);
  });

  it('checks the names and keys the API server checks and the schemas do not', () => {
    const text = POD.replace('name: web-pod\n  creation', 'name: Web.Pod_\n  creation')
      .replace('io.tspod.container.name/web: web_1', 'FOO/web: x')
      .replace('app: web-pod', 'app: "a b"')
      .replace('hostname: web', 'hostname: web.local');
    expect(validateKubeYaml(text)).toEqual([
      'document 1 (Pod Web.Pod_): /metadata/name: "Web.Pod_" is not a DNS-1123 subdomain',
      'document 1 (Pod Web.Pod_): /metadata/labels/app: invalid value "a b": at most 63 alphanumeric characters, \'-\', \'_\' or \'.\', starting and ending alphanumeric',
      'document 1 (Pod Web.Pod_): /metadata/annotations/FOO~1web: invalid key: prefix "FOO" is not a DNS-1123 subdomain',
      'document 1 (Pod Web.Pod_): /spec/hostname: "web.local" is not a DNS-1123 label',
    ]);
  });

  it('checks the rules of each kind: selectors, restart policies, node ports, claims', () => {
    const text = OTHERS.replace('nodePort: 30080', 'nodePort: 8080')
      .replace('    metadata:\n      labels:\n        app: web', '    metadata:\n      labels:\n        app: other')
      .replace('restartPolicy: Never', 'restartPolicy: Always')
      .replace('  accessModes: [ReadWriteOnce]\n', '');
    expect(validateKubeYaml(text)).toEqual([
      'document 1 (Service web-pod): /spec/ports/0/nodePort: 8080 is not in the default node port range 30000-32767',
      'document 2 (Deployment web-deployment): /spec/selector/matchLabels/app: selector does not match the template\'s labels',
      'document 3 (Job once): /spec/template/spec/restartPolicy: a Job needs "Never" or "OnFailure"',
      'document 4 (PersistentVolumeClaim data): /spec/accessModes: at least one access mode is required',
    ]);
  });

  it('reports YAML that does not parse and kinds it does not know', () => {
    expect(validateKubeYaml('apiVersion: v1\nkind: Pod\nmetadata: {name: [x\n')[0]).toMatch(/^document 1: YAML: /);
    expect(validateKubeYaml('apiVersion: v1\nkind: Pods\nmetadata: {name: x}\n')).toEqual(['document 1 (Pods x): unknown apiVersion/kind "v1" "Pods"']);
    expect(validateKubeYaml('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: s}}\n')).toEqual(['document 1 (Service s): /spec/ports: a Service needs at least one port']);
  });
});
