import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { checkDocuments, parseKubeDocuments, readKubeSource } from '../../../../libpod/kube/kube-input';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-input-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: busybox
`;

describe('readKubeSource', () => {
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/pod.yaml') res.end(POD);
      else if (req.url === '/big') {
        res.setHeader('content-length', String(4096));
        res.end('x'.repeat(4096));
      } else if (req.url === '/chunked') {
        // No content-length: the bound is kept while reading.
        res.write('a'.repeat(3000));
        res.end('b'.repeat(3000));
      } else {
        res.statusCode = 404;
        res.end('no');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());
  const noStdin = Readable.from([]);

  it('reads a file, naming it as given', async () => {
    const f = path.join(tmp(), 'pod.yaml');
    fs.writeFileSync(f, POD);
    expect(await readKubeSource(f, noStdin)).toEqual({ name: f, text: POD });
  });

  it('reads a FIFO, as <(...) gives one', async () => {
    const f = path.join(tmp(), 'fifo');
    spawnSync('mkfifo', [f]);
    const writer = spawn('sh', ['-c', `printf 'kind: Pod\\n' > ${f}`]);
    const exited = new Promise((r) => writer.on('exit', r));
    expect(await readKubeSource(f, noStdin)).toEqual({ name: f, text: 'kind: Pod\n' });
    expect(await exited).toBe(0);
  });

  it('reads standard input for -', async () => {
    expect(await readKubeSource('-', Readable.from([Buffer.from('kind: '), Buffer.from('Pod\n')]))).toEqual({ name: 'stdin', text: 'kind: Pod\n' });
  });

  it('refuses a missing file, a directory and a device with what to give instead', async () => {
    const d = tmp();
    await expect(readKubeSource(path.join(d, 'nope.yaml'), noStdin)).rejects.toThrow(`${path.join(d, 'nope.yaml')}: no such file or directory: give the path of a Kubernetes YAML file, - for standard input, or an http(s) URL`);
    await expect(readKubeSource(d, noStdin)).rejects.toThrow(`${d}: is a directory, not a regular file`);
    await expect(readKubeSource('/dev/null', noStdin)).rejects.toThrow('/dev/null: not a regular file');
  });

  it('refuses a file, stdin or download larger than the bound', async () => {
    const f = path.join(tmp(), 'huge.yaml');
    fs.writeFileSync(f, 'a'.repeat(2048));
    await expect(readKubeSource(f, noStdin, { maxBytes: 1024 })).rejects.toThrow(`${f}: the file is larger than`);
    await expect(readKubeSource('-', Readable.from([Buffer.alloc(800), Buffer.alloc(800)]), { maxBytes: 1024 })).rejects.toThrow('stdin: the file is larger than');
    await expect(readKubeSource(`${base}/big`, noStdin, { maxBytes: 1024 })).rejects.toThrow(`${base}/big: the file is larger than`);
    await expect(readKubeSource(`${base}/chunked`, noStdin, { maxBytes: 4096 })).rejects.toThrow(`${base}/chunked: the file is larger than`);
  });

  it('fetches an http URL, and says which HTTP status refused it', async () => {
    expect(await readKubeSource(`${base}/pod.yaml`, noStdin)).toEqual({ name: `${base}/pod.yaml`, text: POD });
    await expect(readKubeSource(`${base}/missing.yaml`, noStdin)).rejects.toThrow(`${base}/missing.yaml: cannot fetch the file: HTTP 404 Not Found`);
  });

  it('says when nothing answers at the URL', async () => {
    const s = http.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    await expect(readKubeSource(`http://127.0.0.1:${port}/x.yaml`, noStdin)).rejects.toThrow(`http://127.0.0.1:${port}/x.yaml: cannot fetch the file: ECONNREFUSED: check the URL and that the server is up`);
  });
});

describe('parseKubeDocuments', () => {
  it('splits documents, skips empty ones and numbers them as the file does', () => {
    const docs = parseKubeDocuments(`---\n# only a comment\n---\n${POD}---\n\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n`, 'f.yaml');
    expect(docs.map((d) => [d.where, d.object.kind])).toEqual([
      ['f.yaml, document 2', 'Pod'],
      ['f.yaml, document 4', 'ConfigMap'],
    ]);
  });

  it('flattens List kinds into their items', () => {
    const docs = parseKubeDocuments('apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: v1, kind: Secret, metadata: {name: b}}\n', 'l.yaml');
    expect(docs.map((d) => [d.where, d.object.kind, d.object.metadata?.name])).toEqual([
      ['l.yaml, document 1, item 1', 'ConfigMap', 'a'],
      ['l.yaml, document 1, item 2', 'Secret', 'b'],
    ]);
    const pods = parseKubeDocuments('apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a}\n', 'p.yaml');
    expect(pods[0].object).toMatchObject({ kind: 'Pod', apiVersion: 'v1' });
  });

  it('refuses text that is not YAML, naming the document and the line', () => {
    expect(() => parseKubeDocuments(`${POD}---\nkind: Pod\nmetadata: [\n`, 'bad.yaml')).toThrow(/^bad\.yaml, document 2: not valid YAML at line \d+, column \d+: /);
    expect(() => parseKubeDocuments('a: 1\na: 2\n', 'dup.yaml')).toThrow('dup.yaml, document 1: not valid YAML at line 2, column 1: Map keys must be unique');
  });

  it('refuses a scalar or a list where an object must be', () => {
    expect(() => parseKubeDocuments('just some text\n', 's.yaml')).toThrow('s.yaml, document 1: line 1: a Kubernetes object must be a mapping (apiVersion:, kind:, metadata: ...), not a string ("just some text")');
    expect(() => parseKubeDocuments(`${POD}---\n- a\n- b\n`, 'l.yaml')).toThrow('l.yaml, document 2: line 10: a Kubernetes object must be a mapping (apiVersion:, kind:, metadata: ...), not a list');
  });

  it('refuses an object without kind or apiVersion', () => {
    expect(() => parseKubeDocuments('apiVersion: v1\nmetadata: {name: x}\n', 'k.yaml')).toThrow('k.yaml, document 1: line 1: the object has no kind: every Kubernetes object needs apiVersion and kind');
    expect(() => parseKubeDocuments('kind: Pod\n', 'a.yaml')).toThrow('a.yaml, document 1: line 1: the object has no apiVersion');
  });

  it('reads 0644 as the octal mode Kubernetes reads, and 0o17 too', () => {
    const [doc] = parseKubeDocuments('apiVersion: v1\nkind: X\nmodes: [0644, 0400, 0o17, 10, 0, "0600"]\n', 'm.yaml');
    expect(doc.object.modes).toEqual([0o644, 0o400, 0o17, 10, 0, '0600']);
  });

  it('takes anchors and merge keys, as Kubernetes\' parser does', () => {
    const [doc] = parseKubeDocuments('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - &base {name: a, image: busybox, tty: true}\n  - <<: *base\n    name: b\n', 'm.yaml');
    expect(doc.object.spec?.containers).toEqual([
      { name: 'a', image: 'busybox', tty: true },
      { name: 'b', image: 'busybox', tty: true },
    ]);
  });

  it('refuses a document nested too deeply for the parser', () => {
    expect(() => parseKubeDocuments(`a: ${'{b: '.repeat(5000)}1${'}'.repeat(5000)}\n`, 'deep.yaml')).toThrow(/^deep\.yaml, document 1: not valid YAML at line 1, column \d+: it is nested too deeply$/);
  });

  it('refuses a text larger than the bound, whatever read it', () => {
    expect(() => parseKubeDocuments(`# ${'x'.repeat(16 * 1024 * 1024)}\n`, 'big.yaml')).toThrow('big.yaml: the file is larger than 16 MiB, which kube play reads at most: split it into smaller files');
  });

  it('refuses an alias bomb rather than expanding it', () => {
    const levels = ['a: &a [x,x,x,x,x,x,x,x,x,x]'];
    for (let i = 1; i < 8; i++) levels.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(',')}]`);
    expect(() => parseKubeDocuments(`${levels.join('\n')}\n`, 'bomb.yaml')).toThrow(/^bomb\.yaml, document 1: cannot read the document at line 1: Excessive alias count/);
  });
});

describe('checkDocuments', () => {
  const check = (text: string, strict = false) => checkDocuments(parseKubeDocuments(text, 'f.yaml'), { strict });

  it('accepts a plain pod with no warnings', () => {
    expect(check(POD)).toEqual([]);
  });

  it('skips an unknown kind with a warning, refuses it with strict', () => {
    const text = `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ing}\n---\n${POD}`;
    expect(check(text)).toEqual(['f.yaml, document 1: kind Ingress is not supported by tspod (it plays Pod, Deployment, DaemonSet, Job, ConfigMap, Secret, PersistentVolumeClaim, Service): skipped']);
    expect(() => check(text, true)).toThrow('f.yaml, document 1: kind Ingress is not supported by tspod (it plays Pod, Deployment, DaemonSet, Job, ConfigMap, Secret, PersistentVolumeClaim, Service): remove the document, or play without --strict to skip it with a warning');
  });

  it('refuses names that are not DNS-1123 subdomains: "..", "/", "_"', () => {
    expect(() => check(POD.replace('name: web', 'name: a..b'))).toThrow('f.yaml, document 1: Pod: invalid name "a..b": a DNS-1123 subdomain must consist of lower case alphanumeric characters');
    expect(() => check(POD.replace('name: web', 'name: ../etc'))).toThrow('invalid name "../etc"');
    expect(() => check(POD.replace('name: web', 'name: a/b'))).toThrow('invalid name "a/b"');
    expect(() => check(POD.replace('name: web', 'name: my_pod'))).toThrow('f.yaml, document 1: Pod: invalid name "my_pod"');
    expect(() => check(POD.replace('  name: web\n', ''))).toThrow('f.yaml, document 1: metadata is missing: a Pod needs metadata.name');
    expect(() => check(POD.replace('  name: web\n', '  labels: {a: b}\n'))).toThrow('f.yaml, document 1: Pod: metadata.name is missing: every object needs a name');
    expect(() => check(POD.replace('  name: web\n', '  generateName: web-\n'))).toThrow('f.yaml, document 1: Pod: metadata.generateName is not supported by tspod (the name is a file path and a container name of its own): give metadata.name');
  });

  it('reports label keys and values and annotation keys the API server refuses; refuses values that are not strings', () => {
    const pod = (meta: string) => POD.replace('name: web', `name: web\n${meta}`);
    expect(check(pod('  labels: {app: web, "example.com/tier": front, version: "1.0 beta"}\n  annotations: {"bad key": x, note: "any text at all"}'))).toEqual([
      'f.yaml, document 1: metadata.labels.version: the API server refuses the value "1.0 beta" (at most 63 letters, digits, "-", "_" or ".", beginning and ending with a letter or digit): kept, but a cluster would refuse the file',
      'f.yaml, document 1: metadata.annotations.bad key: the API server refuses this key (a name of at most 63 letters, digits, "-", "_" or ".", with an optional lower-case DNS-subdomain prefix and "/"): kept, but a cluster would refuse the file',
    ]);
    expect(() => check(pod('  labels: {"": x}'))).toThrow('f.yaml, document 1: metadata.labels: a key is empty: give each a name');
    expect(() => check(pod('  labels: {version: 2}'))).toThrow('f.yaml, document 1: metadata.labels.version must be a string: quote it ("2")');
    const dep = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web, "a b": c}}\n    spec:\n      containers: [{name: c, image: busybox}]\n';
    expect(() => check(dep, true)).toThrow('f.yaml, document 1: spec.template.metadata.labels.a b: the API server refuses this key');
  });

  it('notes a namespace as ignored', () => {
    expect(check(POD.replace('name: web', 'name: web\n  namespace: prod'))).toEqual(['f.yaml, document 1: metadata.namespace "prod" is ignored: tspod has no namespaces']);
  });

  it('refuses a kind under another API version', () => {
    expect(() => check(POD.replace('apiVersion: v1', 'apiVersion: apps/v1'))).toThrow('f.yaml, document 1: Pod is served as apiVersion v1, not "apps/v1": change apiVersion to v1');
  });

  it('refuses two objects of a kind with one name', () => {
    expect(() => check(`${POD}---\n${POD}`)).toThrow('f.yaml, document 2: Pod "web" is already defined in f.yaml, document 1');
    expect(check(`${POD}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: busybox}]}\n`)).toEqual([]);
  });

  it('refuses invalid base64 in a Secret, naming the key', () => {
    expect(() => check('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  good: aGVsbG8=\n  token: "not base64!"\n')).toThrow('f.yaml, document 1: data.token: invalid base64 data: encode the value with base64 (or give it as text in stringData)');
    expect(check('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  good: aGVsbG8=\n')).toEqual([]);
  });

  it('refuses a configMapKeyRef to a missing key unless optional', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "1"}\n---\n';
    const pod = (optional: string) => `${POD}    env:\n    - name: B\n      valueFrom:\n        configMapKeyRef: {name: cfg, key: b${optional}}\n`;
    expect(() => check(cm + pod(''))).toThrow('f.yaml, document 2: spec.containers[0].env[0].valueFrom.configMapKeyRef: key "b" is not in ConfigMap "cfg": add it, or mark the reference optional: true');
    expect(check(cm + pod(', optional: true'))).toEqual([]);
  });

  it('refuses a hostPath of / or with ".." before anything is made', () => {
    const vol = (p: string) => `${POD}    volumeMounts: [{name: h, mountPath: /h}]\n  volumes:\n  - name: h\n    hostPath: {path: ${p}}\n`;
    expect(() => check(vol('/'))).toThrow('f.yaml, document 1: spec.volumes[0].hostPath.path: "/" is the host\'s root directory: a container is never given the whole host; mount the directory it needs');
    expect(() => check(vol('/etc/../'))).toThrow('f.yaml, document 1: spec.volumes[0].hostPath.path: "/etc/../" contains "..": give the path without ".." components');
    expect(() => check(vol('data'))).toThrow('f.yaml, document 1: spec.volumes[0].hostPath.path: "data" is relative: a hostPath must be absolute');
  });

  it('reports unknown and unsupported fields by path, and refuses them with strict', () => {
    const text = `${POD}    lifecycle:\n      postStart: {exec: {command: [touch, /x]}}\n    imagePullPolcy: Always\nstatus: {phase: Running}\n`;
    expect(check(text)).toEqual([
      'f.yaml, document 1: spec.containers[0].lifecycle.postStart: not supported by tspod: lifecycle hooks are not run: ignored',
      'f.yaml, document 1: spec.containers[0].imagePullPolcy: unknown field: tspod does not know it (check its spelling and indentation): ignored',
    ]);
    expect(() => check(text, true)).toThrow('f.yaml, document 1: spec.containers[0].lifecycle.postStart: not supported by tspod: lifecycle hooks are not run: remove it, or play without --strict to ignore it with a warning');
  });

  it("refuses a Deployment's replicas beyond what one machine runs, before anything is made", () => {
    const dep = (n: number) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: ${n}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: busybox}]\n`;
    expect(check(dep(100))).toEqual([]);
    expect(() => check(dep(100000))).toThrow('f.yaml, document 1: spec.replicas is 100000: tspod runs at most 100 replicas of a Deployment on one machine; lower it (a cluster runs more)');
  });

  it('holds Jobs, Deployments and DaemonSets to the restart policies Kubernetes allows', () => {
    const job = (policy: string) => `apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n${policy}      containers: [{name: c, image: busybox}]\n`;
    expect(() => check(job(''))).toThrow("f.yaml, document 1: spec.template.spec.restartPolicy: a Job's pods need restartPolicy Never or OnFailure (it has none: Always is not allowed)");
    expect(check(job('      restartPolicy: Never\n'))).toEqual([]);
    const dep = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n';
    expect(() => check(dep)).toThrow("f.yaml, document 1: spec.template.spec.restartPolicy: a Deployment's pods must have restartPolicy Always, not \"Never\"");
    expect(() => check('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: 1}\n')).toThrow('f.yaml, document 1: spec.template.spec is missing: a Deployment needs a pod template');
  });

  it('holds a Deployment\'s selector to its template\'s labels, and notes a missing one', () => {
    const dep = (selector: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n${selector}  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: busybox}]\n`;
    expect(check(dep('  selector: {matchLabels: {app: web}}\n'))).toEqual([]);
    expect(() => check(dep('  selector: {matchLabels: {app: api}}\n'))).toThrow('f.yaml, document 1: spec.selector.matchLabels app: "api" does not match the template\'s labels (spec.template.metadata.labels): give the template that label');
    expect(check(dep(''))).toEqual(["f.yaml, document 1: spec.selector is missing: tspod plays it, but the API server requires one for a Deployment (matchLabels with the template's labels)"]);
  });

  it('checks a Deployment\'s strategy as the API server does', () => {
    const dep = (strategy: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {app: web}}\n  strategy: ${strategy}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: busybox}]\n`;
    expect(check(dep('{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 25%}}'))).toEqual([]);
    expect(check(dep('{type: Recreate}'))).toEqual([]);
    expect(() => check(dep('{type: BlueGreen}'))).toThrow('f.yaml, document 1: spec.strategy.type must be RollingUpdate or Recreate, not "BlueGreen"');
    expect(() => check(dep('{rollingUpdate: {maxSurge: 0, maxUnavailable: 0%}}'))).toThrow('f.yaml, document 1: spec.strategy.rollingUpdate: maxSurge and maxUnavailable cannot both be 0: a rollout could never make progress');
    expect(() => check(dep('{rollingUpdate: {maxSurge: lots}}'))).toThrow('f.yaml, document 1: spec.strategy.rollingUpdate.maxSurge must be a whole number or a percentage such as 25%, not "lots"');
  });

  it('plays a Job of one pod; more parallel pods or completions are reported', () => {
    const job = (extra: string) => `apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n${extra}  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n`;
    expect(check(job('  completions: 1\n  parallelism: 1\n'))).toEqual([]);
    expect(check(job('  completions: 3\n'))).toEqual(['f.yaml, document 1: spec.completions: a Job runs one pod in tspod, not 3: ignored']);
    expect(() => check(job('  parallelism: 2\n'), true)).toThrow('f.yaml, document 1: spec.parallelism: a Job runs one pod in tspod, not 2: change it, or play without --strict to ignore it with a warning');
  });

  it('checks the pod templates with kube play\'s flags', () => {
    const text = POD.replace('spec:\n', 'spec:\n  hostAliases: [{ip: 10.0.0.1, hostnames: [db]}]\n');
    expect(check(text)).toEqual([]);
    expect(() => checkDocuments(parseKubeDocuments(text, 'f.yaml'), { strict: false, flags: { annotations: [], noHosts: true } })).toThrow('f.yaml, document 1: spec.hostAliases cannot be written with --no-hosts: drop one of them');
    expect(() => checkDocuments(parseKubeDocuments(POD, 'f.yaml'), { strict: false, flags: { annotations: ['novalue'] } })).toThrow('invalid --annotation "novalue": use KEY=VALUE');
  });

  it('refuses a claim whose storage request is no quantity', () => {
    expect(() => check('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: lots}}\n')).toThrow('f.yaml, document 1: spec.resources.requests.storage: invalid quantity "lots"');
    expect(check('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n')).toEqual([]);
  });
});
