// kube play and kube down as the unprivileged user (issue 22): a Pod fed by a ConfigMap and a
// Secret, a 3-replica Deployment behind a Service and its rolling update under load, a Job's exit
// code, --start=false, --wait ended by SIGINT, and hostile files that leave nothing made. Every
// YAML written here validates against the Kubernetes schemas (test/kube-schema.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Store, asUser, freePort, portFree, registry, tspodBin, until } from './harness';
import { validateKubeYaml } from '../kube-schema';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('kube-play');
const busybox = `${registry}/library/busybox`;
const tspod = (args: string[], opts: { input?: string } = {}) => store.tspod(args, opts);
const ID = /^[0-9a-f]{64}$/;

/** Writes a YAML file the user can read, after checking it against the Kubernetes schemas. */
function yamlFile(name: string, text: string): string {
  expect(validateKubeYaml(text)).toEqual([]);
  const file = path.join(store.dir, name);
  fs.writeFileSync(file, text);
  fs.chmodSync(file, 0o644);
  return file;
}

/** One GET on a new connection: the body, or the error's code (ECONNREFUSED, ECONNRESET...). */
function get(port: number): Promise<{ ok: boolean; body: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ ok: res.statusCode === 200, body: body.trim() }));
      res.on('error', (e) => resolve({ ok: false, body: (e as NodeJS.ErrnoException).code ?? e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ ok: false, body: (e as NodeJS.ErrnoException).code ?? e.message }));
  });
}


const names = (args: string[]) => tspod([...args, '--format', '{{.Names}}']).stdout.split('\n').filter(Boolean).sort();
/** The pods, by their containers (every pod kube play makes has an infra container). */
const podNames = () => [...new Set(tspod(['ps', '-a', '--format', '{{.PodName}}']).stdout.split('\n').filter(Boolean))].sort();
const podIds = () => [...new Set(tspod(['ps', '-a', '--no-trunc', '--format', '{{.Pod}}']).stdout.split('\n').filter(Boolean))].sort();
const nothingMade = () => {
  expect(tspod(['ps', '-a', '-q']).stdout).toBe('');
  expect(tspod(['volume', 'ls', '-q']).stdout).toBe('');
  expect(fs.existsSync(path.join(store.root, 'kube', 'files')) ? fs.readdirSync(path.join(store.root, 'kube', 'files')) : []).toEqual([]);
};

beforeAll(() => {
  expect(tspod(['pull', '-q', busybox]).code).toBe(0);
});

afterAll(() => {
  tspod(['pod', 'rm', '-af', '-t', '0']);
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

describe('kube play of a Pod with a ConfigMap and a Secret', () => {
  const file = () =>
    yamlFile(
      'pod.yaml',
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  GREETING: hello
---
apiVersion: v1
kind: Secret
metadata:
  name: sec
data:
  pass: czNjcmV0
---
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: ${busybox}
    command: [sh, -c, 'trap "exit 0" TERM; sleep 1000 & wait']
    envFrom:
    - configMapRef:
        name: cfg
    volumeMounts:
    - name: creds
      mountPath: /etc/creds
      readOnly: true
  volumes:
  - name: creds
    secret:
      secretName: sec
`,
    );

  it('makes the pod, its container with the env and the secret file, prints Podman\'s report, and kube down removes it all', () => {
    const f = file();
    const play = tspod(['kube', 'play', f]);
    expect(play.stderr).toBe('');
    expect(play.code).toBe(0);
    const lines = play.stdout.split('\n');
    expect(lines[0]).toBe('Secrets:');
    expect(lines[1]).toMatch(/^[0-9a-f]{25}$/);
    expect(lines[2]).toBe('Pod:');
    expect(lines[3]).toMatch(ID);
    expect(lines.slice(4)).toEqual(['Container:', expect.stringMatching(ID), '', '']);
    expect(podNames()).toEqual(['app']);
    expect(tspod(['ps', '--format', '{{.Names}} {{.Status}}', '--filter', 'name=app-main']).stdout).toMatch(/^app-main Up /);
    expect(tspod(['exec', 'app-main', 'sh', '-c', 'echo $GREETING']).stdout).toBe('hello\n');
    expect(tspod(['exec', 'app-main', 'cat', '/etc/creds/pass']).stdout).toBe('s3cret');
    expect(tspod(['secret', 'ls', '--format', '{{.Name}}']).stdout).toBe('sec\n');

    const again = tspod(['kube', 'play', f]);
    expect(again.code).toBe(125);
    expect(again.stderr).toMatch(/Pod app was played before .*kube play --replace/);

    const down = tspod(['kube', 'down', f]);
    expect(down.stderr).toBe('');
    expect(down.code).toBe(0);
    expect(down.stdout).toBe(`Pods stopped:\n${lines[3]}\nPods removed:\n${lines[3]}\nSecrets removed:\n${lines[1]}\nVolumes removed:\n`);
    nothingMade();
    expect(tspod(['secret', 'ls', '-q']).stdout).toBe('');
  });
});

describe('a Deployment of 3 replicas behind a Service', () => {
  const deployment = (port: number, version: string) =>
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
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
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: ${busybox}
        env:
        - name: VERSION
          value: ${version}
        command: [sh, -c, 'trap "exit 0" TERM; mkdir -p /www && echo "$VERSION $(hostname)" > /www/index.html && httpd -f -p 80 -h /www & wait']
        ports:
        - name: http
          containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: ${port}
    targetPort: http
`;

  it('runs three pods, each answering with its host name, and the Service port answering for all', async () => {
    const port = await freePort();
    const f = yamlFile('web.yaml', deployment(port, 'v1'));
    const play = tspod(['kube', 'play', f]);
    expect(play.stderr).toBe('');
    expect(play.code).toBe(0);
    expect(play.stdout.match(/^Pod:\n[0-9a-f]{64}\nContainer:\n[0-9a-f]{64}\n\n/gm)).toHaveLength(3);
    expect(podNames()).toEqual(['web-pod', 'web-pod-1', 'web-pod-2']);
    for (const pod of ['web-pod', 'web-pod-1', 'web-pod-2']) {
      const page = await until(`${pod}'s page`, () => tspod(['exec', `${pod}-httpd`, 'wget', '-qO-', 'http://127.0.0.1:80/']).stdout, (s) => s !== '');
      expect(page).toBe(`v1 ${pod}\n`);
    }
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const r = await get(port);
      expect(r.ok).toBe(true);
      seen.add(r.body);
    }
    expect([...seen].sort()).toEqual(['v1 web-pod', 'v1 web-pod-1', 'v1 web-pod-2']);

    // Played again unchanged: nothing is replaced.
    const ids = tspod(['ps', '-a', '-q', '--no-trunc']).stdout.split('\n').sort();
    const same = tspod(['kube', 'play', '--replace', f]);
    expect(same.code).toBe(0);
    expect(tspod(['ps', '-a', '-q', '--no-trunc']).stdout.split('\n').sort()).toEqual(ids);
  });

  it('kube play --replace with a changed env swaps the replicas one by one while the Service port never refuses', async () => {
    const port = Number(/port: (\d+)/.exec(fs.readFileSync(path.join(store.dir, 'web.yaml'), 'utf8'))![1]);
    const before = new Set(podIds());
    const f = yamlFile('web.yaml', deployment(port, 'v2'));
    let stop = false;
    const answers: string[] = [];
    const failures: string[] = [];
    const client = (async () => {
      while (!stop) {
        const r = await get(port);
        (r.ok ? answers : failures).push(r.body);
      }
    })();
    const play = await store.tspodAsync(['kube', 'play', '--replace', f]);
    stop = true;
    await client;
    expect(play.stderr).toBe('');
    expect(play.code).toBe(0);
    expect(failures).toEqual([]);
    expect(answers.length).toBeGreaterThan(20);
    expect(answers.some((a) => a.startsWith('v1 '))).toBe(true);
    expect(answers.some((a) => a.startsWith('v2 '))).toBe(true);
    // The last answers are the new version's, and the replicas kept their names (and host names).
    expect(answers.slice(-3).every((a) => a.startsWith('v2 '))).toBe(true);
    expect(podNames()).toEqual(['web-pod', 'web-pod-1', 'web-pod-2']);
    expect(names(['ps', '-a', '--filter', 'name=httpd'])).toEqual(['web-pod-1-httpd', 'web-pod-2-httpd', 'web-pod-httpd']);
    const after = podIds();
    expect(after).toHaveLength(3);
    expect(after.filter((id) => before.has(id))).toEqual([]);
    const seen = new Set<string>();
    for (let i = 0; i < 9; i++) seen.add((await get(port)).body);
    expect([...seen].sort()).toEqual(['v2 web-pod', 'v2 web-pod-1', 'v2 web-pod-2']);

    const down = tspod(['kube', 'down', f]);
    expect(down.code).toBe(0);
    expect(down.stdout.match(/^[0-9a-f]{64}$/gm)).toHaveLength(6);
    nothingMade();
    expect((await get(port)).ok).toBe(false);
  });

  it('stops the proxy of a Service the file no longer has, on --replace and on kube down', async () => {
    const port = await freePort();
    const withService = deployment(port, 'v1');
    const withoutService = `${withService.split('\n---\n')[0]}\n`;
    expect(tspod(['kube', 'play', yamlFile('web.yaml', withService)]).code).toBe(0);
    expect((await until('the Service port', () => get(port), (r) => r.ok)).ok).toBe(true);
    const replaced = tspod(['kube', 'play', '--replace', yamlFile('web.yaml', withoutService)]);
    expect(replaced.stderr).toBe('');
    expect(replaced.code).toBe(0);
    // The proxy is gone, not left listening with no replica behind it.
    expect(await portFree(port)).toBe(true);
    // Played with the Service again, then taken out of the file before kube down: down stops it still.
    expect(tspod(['kube', 'play', '--replace', yamlFile('web.yaml', withService)]).code).toBe(0);
    expect((await until('the Service port again', () => get(port), (r) => r.ok)).ok).toBe(true);
    expect(tspod(['kube', 'down', yamlFile('web.yaml', withoutService)]).code).toBe(0);
    expect(await portFree(port)).toBe(true);
    nothingMade();
  });
});

describe('a rolling update whose new replicas never get ready', () => {
  it('stops at the first, removes it, and leaves the old replicas serving under their names', async () => {
    const port = await freePort();
    const web = (command: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hc
spec:
  replicas: 2
  selector:
    matchLabels:
      app: hc
  template:
    metadata:
      labels:
        app: hc
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: ${busybox}
        command: [sh, -c, '${command}']
        livenessProbe:
          exec:
            command: [wget, -qO-, http://127.0.0.1:80/]
          periodSeconds: 1
          failureThreshold: 2
---
apiVersion: v1
kind: Service
metadata:
  name: hc
spec:
  selector:
    app: hc
  ports:
  - port: ${port}
    targetPort: 80
`;
    const good = 'trap "exit 0" TERM; mkdir -p /www && echo ok > /www/index.html && httpd -f -p 80 -h /www & wait';
    const f = yamlFile('hc.yaml', web(good));
    expect(tspod(['kube', 'play', f]).code).toBe(0);
    await until('both replicas healthy', () => tspod(['ps', '--filter', 'pod=hc-pod', '--filter', 'pod=hc-pod-1', '--format', '{{.Status}}']).stdout, (s) => (s.match(/\(healthy\)/g) ?? []).length === 2, 30_000);
    const before = podIds();
    // The new template's server never answers its healthcheck: it turns unhealthy.
    yamlFile('hc.yaml', web('trap "exit 0" TERM; sleep 1000 & wait'));
    const r = tspod(['kube', 'play', '--replace', f]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/^Error: the rolling update of Deployment hc: the rolling update stopped at replica 0: the new pod of hc-pod: container hc-pod-next-httpd is unhealthy before it was ready .*the replicas still serving: hc-pod, hc-pod-1/m);
    expect(r.stderr).toMatch(/; nothing had been made\n$/);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(podIds()).toEqual(before);
    expect(podNames()).toEqual(['hc-pod', 'hc-pod-1']);
    for (let i = 0; i < 4; i++) expect(await get(port)).toEqual({ ok: true, body: 'ok' });
    expect(tspod(['kube', 'down', f]).code).toBe(0);
    nothingMade();
  });
});

describe('Jobs, --start=false and --wait', () => {
  it('runs a Job to completion and keeps its exit code in ps and inspect', async () => {
    const f = yamlFile(
      'job.yaml',
      `apiVersion: batch/v1
kind: Job
metadata:
  name: once
spec:
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
      - name: work
        image: ${busybox}
        command: [sh, -c, 'echo did it; exit 3']
`,
    );
    const play = tspod(['kube', 'play', f]);
    expect(play.code).toBe(0);
    expect(podNames()).toEqual(['once-pod']);
    await until('the job to exit', () => tspod(['ps', '-a', '--filter', 'name=once-pod-work', '--format', '{{.Status}}']).stdout, (s) => s.startsWith('Exited'));
    expect(tspod(['ps', '-a', '--filter', 'name=once-pod-work', '--format', '{{.Status}}']).stdout).toMatch(/^Exited \(3\) /);
    expect(tspod(['inspect', '--format', '{{.State.ExitCode}}', 'once-pod-work']).stdout).toBe('3\n');
    expect(tspod(['logs', 'once-pod-work']).stdout).toBe('did it\n');
    expect(tspod(['kube', 'down', f]).code).toBe(0);
    nothingMade();
  });

  it('--wait of a Job ends when it has run, removes it, and exits with its code', () => {
    const f = yamlFile(
      'waitjob.yaml',
      `apiVersion: batch/v1
kind: Job
metadata:
  name: wj
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: ${busybox}
        command: [sh, -c, 'sleep 1; exit 7']
`,
    );
    const r = tspod(['kube', 'play', '--wait', f]);
    expect(r.code).toBe(7);
    expect(r.stdout).toMatch(/^Use ctrl\+c to clean up or wait for pods to exit\nPod:\n[0-9a-f]{64}\nContainer:\n[0-9a-f]{64}\n\nCleaning up containers, pods, and volumes\.\.\.\n$/);
    nothingMade();
  });

  it('--start=false makes the pod without starting it', () => {
    const f = yamlFile(
      'idle.yaml',
      `apiVersion: v1
kind: Pod
metadata:
  name: idle
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: ${busybox}
    command: [sh, -c, 'trap "exit 0" TERM; sleep 1000 & wait']
`,
    );
    expect(tspod(['kube', 'play', '--start=false', f]).code).toBe(0);
    expect(podNames()).toEqual(['idle']);
    expect(tspod(['ps', '-a', '--filter', 'pod=idle', '--format', '{{.Status}}']).stdout).toBe('Created\nCreated\n');
    expect(tspod(['kube', 'down', f]).code).toBe(0);
    nothingMade();
  });

  it('--wait stays in the foreground and removes what it made on SIGINT', async () => {
    const f = yamlFile(
      'wait.yaml',
      `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: scratch
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: Pod
metadata:
  name: waiter
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: ${busybox}
    command: [sh, -c, 'trap "exit 0" TERM; sleep 1000 & wait']
    volumeMounts:
    - name: scratch
      mountPath: /scratch
  volumes:
  - name: scratch
    persistentVolumeClaim:
      claimName: scratch
`,
    );
    const argv = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, 'kube', 'play', '--wait', f]);
    const child = spawn(argv[0], argv.slice(1), { detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    await until('the play', () => out, (s) => /Pod:\n[0-9a-f]{64}\nContainer:/.test(s), 60_000);
    expect(out.startsWith('Use ctrl+c to clean up or wait for pods to exit\nVolumes:\nscratch\nPod:\n')).toBe(true);
    expect(podNames()).toEqual(['waiter']);
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(out).toMatch(/\nCleaning up containers, pods, and volumes\.\.\.\n$/);
    nothingMade();
  });
});

describe('a play interrupted', () => {
  it('by SIGINT while it makes a Deployment stops and removes what it had made', async () => {
    const replicas = (n: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: many
spec:
  replicas: ${n}
  selector:
    matchLabels:
      app: many
  template:
    metadata:
      labels:
        app: many
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: ${busybox}
        command: [sh, -c, 'trap "exit 0" TERM; sleep 1000 & wait']
`;
    const f = yamlFile('many.yaml', replicas(8));
    const argv = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, 'kube', 'play', f]);
    const child = spawn(argv[0], argv.slice(1), { detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    // Once the first replica's pod is there, the play is making: interrupt it.
    await until('the first replica', () => tspod(['ps', '-a', '--format', '{{.PodName}}']).stdout, (s) => s.includes('many-pod'), 30_000);
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(125);
    expect(out).toMatch(/^Error: kube play was interrupted \(SIGINT\); removed what this play had made \(pod many-pod[,)]/m);
    nothingMade();
  });
});

describe('hostile and broken files', () => {
  const cases: Array<[string, string, string[], RegExp]> = [
    ['not YAML', 'this: is: not yaml: [\n', [], /yaml/i],
    ['an unknown kind with --strict', 'apiVersion: v1\nkind: Frobnicator\nmetadata:\n  name: x\n', ['--strict'], /Frobnicator/],
    ['a hostPath to /', `apiVersion: v1\nkind: Pod\nmetadata:\n  name: hp\nspec:\n  containers:\n  - name: c\n    image: ${busybox}\n    volumeMounts:\n    - name: root\n      mountPath: /host\n  volumes:\n  - name: root\n    hostPath:\n      path: /\n`, [], /hostPath/],
    ['a name with ..', `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ../evil\nspec:\n  containers:\n  - name: c\n    image: ${busybox}\n`, [], /invalid name "\.\.\/evil"/],
  ];
  for (const [what, text, flags, message] of cases) {
    it(`refuses ${what} with exit 125 and makes nothing`, () => {
      const file = path.join(store.dir, 'hostile.yaml');
      fs.writeFileSync(file, `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: before\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n---\n${text}`);
      fs.chmodSync(file, 0o644);
      const r = tspod(['kube', 'play', ...flags, file]);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/^Error: /m);
      expect(r.code).toBe(125);
      nothingMade();
    });
  }

  it('removes what it had made when a step fails, and says so', () => {
    const f = yamlFile(
      'fails.yaml',
      `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: kept-not
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: Pod
metadata:
  name: first
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: ${busybox}
    command: [sh, -c, 'trap "exit 0" TERM; sleep 1000 & wait']
---
apiVersion: v1
kind: Pod
metadata:
  name: second
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: ${registry}/library/no-such-image
`,
    );
    const r = tspod(['kube', 'play', f]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/no-such-image.*; removed what this play had made \(volume kept-not, pod first, pod second\)/s);
    nothingMade();
  });
});

describe('the round trip: pod → kube generate → kube down → kube play', () => {
  it('gives back the same containers, ports, env, healthcheck and volume contents', async () => {
    const port = await freePort();
    expect(tspod(['pod', 'create', '--name', 'rt', '-p', `${port}:80`]).code).toBe(0);
    expect(tspod(['volume', 'create', 'rt_data']).code).toBe(0);
    expect(tspod(['run', '--rm', '-v', 'rt_data:/d', busybox, 'sh', '-c', 'echo kept > /d/index.html']).code).toBe(0);
    expect(tspod(['run', '-d', '--pod', 'rt', '--name', 'rt_web', '--stop-timeout', '1', '-e', 'MODE=prod', '-v', 'rt_data:/data', '--health-cmd', 'wget -qO- http://127.0.0.1:80/', '--health-interval', '1s', busybox, 'httpd', '-f', '-p', '80', '-h', '/data']).code).toBe(0);
    expect(tspod(['run', '-d', '--pod', 'rt', '--name', 'rt.side', '--stop-timeout', '1', '-e', 'ROLE=side', busybox, 'sleep', '1000']).code).toBe(0);
    expect((await until('the pod\'s page', () => get(port), (r) => r.ok)).body).toBe('kept');

    const gen = tspod(['kube', 'generate', 'rt']);
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    const f = yamlFile('rt.yaml', gen.stdout);

    const down = tspod(['kube', 'down', f]);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/^Pods stopped:\n[0-9a-f]{64}\nPods removed:\n[0-9a-f]{64}\nSecrets removed:\nVolumes removed:\n$/);
    expect(tspod(['ps', '-a', '-q']).stdout).toBe('');
    expect(tspod(['volume', 'ls', '--format', '{{.Name}}']).stdout).toBe('rt_data\n');

    const play = tspod(['kube', 'play', f]);
    expect(play.stderr).toBe('');
    expect(play.code).toBe(0);
    expect(play.stdout).toMatch(/^Pod:\n[0-9a-f]{64}\nContainers:\n[0-9a-f]{64}\n[0-9a-f]{64}\n\n$/);
    expect(podNames()).toEqual(['rt']);
    const inPod = names(['ps', '--filter', 'pod=rt']).filter((n) => !n.endsWith('-infra'));
    // The names kube generate had to change for Kubernetes (rt-web, rt-side) come back as they were.
    expect(inPod.sort()).toEqual(['rt.side', 'rt_web']);
    const web = 'rt_web';
    const side = 'rt.side';
    expect(tspod(['exec', web, 'sh', '-c', 'echo $MODE']).stdout).toBe('prod\n');
    expect(tspod(['exec', side, 'sh', '-c', 'echo $ROLE']).stdout).toBe('side\n');
    expect(tspod(['inspect', '--format', '{{.Config.Cmd}}', web]).stdout).toBe('[httpd -f -p 80 -h /data]\n');
    expect(tspod(['inspect', '--format', '{{json .Config.Healthcheck.Test}}', web]).stdout).toMatch(/wget -qO- http:\/\/127\.0\.0\.1:80\//);
    expect((await until('the played pod\'s page', () => get(port), (r) => r.ok)).body).toBe('kept');
    expect(tspod(['kube', 'down', '--force', f]).stdout).toMatch(/Volumes removed:\nrt_data\n$/);
    nothingMade();
  });
});
