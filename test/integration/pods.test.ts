// Pods as the unprivileged user: pod create with an infra container (catatonit) holding the
// network, a web server and a client in it that meet on localhost, the published port reached
// from the host, pod stop / start / rm -f leaving nothing, run --pod new:NAME, --share +pid,
// --infra=false, --exit-policy stop, and the refusals with Podman's words and exit codes.
// Never leaves this machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { Store, freePort, mirrorDockerHub, portFree, registry } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('pods');
let env: Record<string, string> = {};
const tspod = (args: string[]) => store.tspod(args, { env });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ID = /^[0-9a-f]{64}\n$/;
const SERVE = (text: string) => `mkdir -p /www && echo "${text}" > /www/index.html && exec httpd -f -p 80 -h /www`;

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
});

afterAll(() => {
  tspod(['pod', 'rm', '-af', '-t', '0']);
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

/** The body of GET / on the host's port, or the error's code. */
const hostGet = (port: number) =>
  new Promise<string>((resolve) => {
    http.get({ host: '127.0.0.1', port, path: '/', timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    }).on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });

/** Tries until it gives what is wanted (a server starting), at most about 10 s; the last result. */
async function eventually<T>(f: () => T | Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let v = await f();
  for (let i = 0; i < 40 && !ok(v); i++) {
    await sleep(250);
    v = await f();
  }
  return v;
}

/** name state, of the pod's containers (ps --filter pod=), the infra container (<pod ID 12>-infra) as "infra", sorted. */
const podStates = (pod: string) =>
  tspod(['ps', '-a', '--filter', `pod=${pod}`, '--format', '{{.Names}} {{.State}}']).stdout.trim().split('\n').filter(Boolean).map((l) => l.replace(/^[0-9a-f]{12}-infra /, 'infra ')).sort();

describe('pod create, a server and a client in it, pod stop/start/rm -f', () => {
  it('serves on localhost inside the pod and on the published port outside; stop, start and rm -f behave as Podman', async () => {
    const port = await freePort();
    const created = tspod(['pod', 'create', '-p', `${port}:80`, 'web']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(ID);
    const podId = created.stdout.trim();
    const infraName = `${podId.slice(0, 12)}-infra`;
    // The infra container exists (created, not started): its name is Podman's.
    expect(podStates('web')).toEqual(['infra created']);
    expect(tspod(['ps', '-a', '--filter', 'pod=web', '--format', '{{.Names}}']).stdout).toBe(`${infraName}\n`);
    expect(tspod(['pod', 'exists', 'web']).code).toBe(0);

    const srv = tspod(['run', '-d', '--pod', 'web', '--name', 'srv', 'busybox', 'sh', '-c', SERVE('served in the pod')]);
    expect(srv.stderr).toBe('');
    expect(srv.code).toBe(0);
    // Starting a member started the infra first (it holds the network).
    expect(podStates('web')).toEqual(['infra running', 'srv running']);
    // inspect and ps show the pod of each container.
    expect(tspod(['inspect', '--format', '{{.Pod}} {{.IsInfra}}', 'srv']).stdout).toBe(`${podId} false\n`);
    expect(tspod(['inspect', '--format', '{{.Pod}} {{.IsInfra}}', infraName]).stdout).toBe(`${podId} true\n`);
    expect(tspod(['ps', '--pod', '--format', '{{.Names}} {{.Pod}} {{.PodName}}', '--filter', 'name=srv']).stdout).toBe(`srv ${podId.slice(0, 12)} web\n`);

    // A client in the pod reaches the server on localhost; the host reaches it on the published port.
    const client = await eventually(() => tspod(['run', '--rm', '--pod', 'web', 'busybox', 'wget', '-qO-', 'http://localhost:80/']), (r) => r.code === 0);
    expect(client.stdout).toBe('served in the pod\n');
    expect(client.code).toBe(0);
    expect(await eventually(() => hostGet(port), (b) => b === 'served in the pod\n')).toBe('served in the pod\n');
    // The pod's host name is its name, shared by its containers (uts).
    expect(tspod(['run', '--rm', '--pod', 'web', 'busybox', 'hostname']).stdout).toBe('web\n');

    const stopped = tspod(['pod', 'stop', '-t', '1', 'web']);
    expect(stopped.stdout).toBe(`${podId}\n`);
    expect(stopped.code).toBe(0);
    expect(podStates('web')).toEqual(['infra exited', 'srv exited']);
    // The infra container's slirp4netns goes with its monitor, a moment after the exit is recorded.
    expect(await eventually(() => hostGet(port), (b) => b === 'ECONNREFUSED')).toBe('ECONNREFUSED');

    const started = tspod(['pod', 'start', 'web']);
    expect(started.stdout).toBe(`${podId}\n`);
    expect(started.code).toBe(0);
    expect(podStates('web')).toEqual(['infra running', 'srv running']);
    expect(await eventually(() => hostGet(port), (b) => b === 'served in the pod\n')).toBe('served in the pod\n');

    // rm without -f refuses a running pod and changes nothing.
    const refused = tspod(['pod', 'rm', 'web']);
    expect(refused.code).toBe(125);
    expect(refused.stderr).toContain(`Error: pod ${podId} has running containers and cannot be removed without force`);
    expect(podStates('web')).toEqual(['infra running', 'srv running']);

    const removed = tspod(['pod', 'rm', '-f', 'web']);
    expect(removed.stdout).toBe(`${podId}\n`);
    expect(removed.code).toBe(0);
    // Nothing left: no containers, no infra, no record, the port free.
    expect(tspod(['ps', '-aq']).stdout).toBe('');
    expect(tspod(['pod', 'exists', 'web']).code).toBe(1);
    expect(await portFree(port)).toBe(true);
    // Podman's pod events, in order.
    const events = tspod(['events', '--stream=false', '--since', '10m', '--filter', 'type=pod', '--filter', `pod=${podId}`, '--format', '{{.Status}}']);
    expect(events.stdout).toBe('create\nstop\nstart\nremove\n');
  });

  it('refuses to remove the infra container alone, but removes a member', () => {
    const podId = tspod(['pod', 'create', 'lone']).stdout.trim();
    expect(tspod(['create', '--pod', 'lone', '--name', 'member', 'busybox', 'true']).code).toBe(0);
    const infra = tspod(['rm', `${podId.slice(0, 12)}-infra`]);
    expect(infra.code).toBe(125);
    expect(infra.stderr).toMatch(new RegExp(`^Error: container [0-9a-f]{64} is the infra container of pod ${podId} and cannot be removed without removing the pod`));
    expect(tspod(['rm', 'member']).stdout).toBe('member\n');
    expect(podStates('lone')).toEqual(['infra created']);
    expect(tspod(['pod', 'rm', 'lone']).stdout).toBe(`${podId}\n`);
    expect(tspod(['ps', '-aq']).stdout).toBe('');
  });
});

describe('run --pod new:NAME, --share, --infra=false, --exit-policy', () => {
  it('--pod new:NAME creates the pod and gives it the published ports', async () => {
    const port = await freePort();
    const r = tspod(['run', '-d', '--pod', 'new:fresh', '-p', `${port}:80`, '--name', 'fresh-srv', 'busybox', 'sh', '-c', SERVE('new pod')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const podId = tspod(['ps', '--pod', '--format', '{{.PodName}}', '--filter', 'name=fresh-srv']).stdout;
    expect(podId).toBe('fresh\n');
    // The port is the infra container's (the pod's), not the member's.
    const ports = tspod(['ps', '-a', '--filter', 'pod=fresh', '--format', '{{.Names}}={{.Ports}}']).stdout.trim().split('\n').sort();
    expect(ports).toEqual([expect.stringMatching(/^[0-9a-f]{12}-infra=0\.0\.0\.0:\d+->80\/tcp$/), 'fresh-srv=']);
    expect(await eventually(() => hostGet(port), (b) => b === 'new pod\n')).toBe('new pod\n');
    expect(tspod(['pod', 'rm', '-f', 'fresh']).code).toBe(0);
    expect(await portFree(port)).toBe(true);
  });

  it('--pod new:NAME leaves no pod behind when the container cannot be made (Podman removes it too)', async () => {
    const port = await freePort();
    const r = tspod(['run', '-d', '--pod', 'new:ghost', '-p', `${port}:80`, '--pull', 'never', 'localhost/nosuch:1', 'true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/^Error: localhost\/nosuch:1: image not known/m);
    expect(tspod(['pod', 'exists', 'ghost']).code).toBe(1);
    expect(tspod(['ps', '-aq']).stdout).toBe('');
    expect(await portFree(port)).toBe(true);
    // The name is free for the next try.
    expect(tspod(['create', '--pod', 'new:ghost', 'busybox', 'true']).code).toBe(0);
    expect(tspod(['pod', 'rm', '-f', 'ghost']).code).toBe(0);
  });

  it('--share +pid lets a member see the other members\' processes; the default does not', () => {
    expect(tspod(['pod', 'create', '--share', '+pid', 'pids']).code).toBe(0);
    expect(tspod(['run', '-d', '--pod', 'pids', 'busybox', 'sleep', '1000']).code).toBe(0);
    const seen = tspod(['run', '--rm', '--pod', 'pids', 'busybox', 'ps', '-o', 'pid,args']);
    expect(seen.code).toBe(0);
    expect(seen.stdout).toMatch(/^\s*1 \/catatonit -P$/m);
    expect(seen.stdout).toMatch(/ sleep 1000$/m);

    expect(tspod(['pod', 'create', 'nopids']).code).toBe(0);
    expect(tspod(['run', '-d', '--pod', 'nopids', 'busybox', 'sleep', '1001']).code).toBe(0);
    const own = tspod(['run', '--rm', '--pod', 'nopids', 'busybox', 'ps', '-o', 'pid,args']);
    expect(own.stdout).not.toContain('sleep 1001');
    expect(own.stdout).not.toContain('catatonit');
    // --filter pod= by name picks that pod's containers, for stop as for ps.
    const stopped = tspod(['stop', '-t', '0', '--filter', 'pod=pids']);
    expect(stopped.stdout.trim().split('\n')).toHaveLength(2);
    expect(podStates('pids').map((x) => x.replace(/^\S+ /, ''))).toEqual(['exited', 'exited']);
    expect(podStates('nopids').map((x) => x.replace(/^\S+ /, ''))).toEqual(['running', 'running']);
    expect(tspod(['pod', 'rm', '-f', 'pids', 'nopids']).code).toBe(0);
  });

  it('--infra=false makes no infra container; its containers share nothing', () => {
    const podId = tspod(['pod', 'create', '--infra=false', 'bare']).stdout.trim();
    expect(podId).toMatch(/^[0-9a-f]{64}$/);
    expect(tspod(['ps', '-a', '--filter', 'pod=bare', '-q']).stdout).toBe('');
    const a = tspod(['run', '--pod', 'bare', '--name', 'bare-a', 'busybox', 'hostname']);
    const b = tspod(['run', '--pod', 'bare', '--name', 'bare-b', 'busybox', 'hostname']);
    // Each its own UTS namespace: named by its own short ID.
    expect(a.stdout).toBe(`${tspod(['inspect', '--format', '{{.Id}}', 'bare-a']).stdout.slice(0, 12)}\n`);
    expect(b.stdout).not.toBe(a.stdout);
    expect(tspod(['inspect', '--format', '{{.Pod}}', 'bare-a']).stdout).toBe(`${podId}\n`);
    const ports = tspod(['pod', 'create', '--infra=false', '-p', '8080:80', 'bare2']);
    expect(ports.code).toBe(125);
    expect(ports.stderr).toBe('Error: you must have an infra container to publish port bindings to the host\n');
    expect(tspod(['pod', 'rm', '-f', 'bare']).code).toBe(0);
    expect(tspod(['ps', '-aq']).stdout).toBe('');
  });

  it('--exit-policy stop stops the infra container once the last member has exited; continue keeps it', async () => {
    expect(tspod(['pod', 'create', '--exit-policy', 'stop', 'ends']).code).toBe(0);
    expect(tspod(['pod', 'create', 'keeps']).code).toBe(0);
    expect(tspod(['run', '--pod', 'ends', '--name', 'ends-1', 'busybox', 'true']).code).toBe(0);
    expect(tspod(['run', '--pod', 'keeps', '--name', 'keeps-1', 'busybox', 'true']).code).toBe(0);
    const ended = await eventually(() => podStates('ends'), (s) => s.includes('infra exited'));
    expect(ended).toEqual(['ends-1 exited', 'infra exited']);
    expect(podStates('keeps')).toEqual(['infra running', 'keeps-1 exited']);
    expect(tspod(['pod', 'rm', '-f', 'ends', 'keeps']).code).toBe(0);
  });
});

describe('what the pod gives its containers', () => {
  it('its --add-host, --dns, -v and --restart reach the containers that join it', () => {
    const created = tspod(['pod', 'create', '--add-host', 'db.internal:10.1.2.3', '--dns', '10.9.9.9', '-v', 'poddata:/data', '--restart', 'on-failure:3', 'gives']);
    expect(created.code).toBe(0);
    const r = tspod(['run', '--pod', 'gives', '--name', 'gives-1', 'busybox', 'sh', '-c', 'grep db.internal /etc/hosts; grep nameserver /etc/resolv.conf; echo kept > /data/f']);
    expect(r.stdout).toBe('10.1.2.3\tdb.internal\nnameserver 10.9.9.9\n');
    expect(r.code).toBe(0);
    expect(tspod(['inspect', '--format', '{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}', 'gives-1']).stdout).toBe('on-failure:3\n');
    // The named volume is the pod's: another container of the pod reads what the first wrote.
    expect(tspod(['run', '--rm', '--pod', 'gives', 'busybox', 'cat', '/data/f']).stdout).toBe('kept\n');
    expect(tspod(['pod', 'rm', '-f', 'gives']).code).toBe(0);
    expect(tspod(['volume', 'rm', 'poddata']).code).toBe(0);
  });

  it('--init-ctr once runs before the others at the pod start and is then removed; always stays', () => {
    expect(tspod(['pod', 'create', 'inits']).code).toBe(0);
    expect(tspod(['create', '--pod', 'inits', '--init-ctr', 'once', '--name', 'init-once', 'busybox', 'true']).code).toBe(0);
    expect(tspod(['create', '--pod', 'inits', '--init-ctr', 'always', '--name', 'init-always', 'busybox', 'true']).code).toBe(0);
    expect(tspod(['create', '--pod', 'inits', '--name', 'main', 'busybox', 'sleep', '1000']).code).toBe(0);
    const started = tspod(['pod', 'start', 'inits']);
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    expect(podStates('inits')).toEqual(['infra running', 'init-always exited', 'main running']);
    const without = tspod(['create', '--init-ctr', 'once', 'busybox', 'true']);
    expect(without.stderr).toBe('Error: must specify a pod to create an init container in: add --pod POD\n');
    expect(without.code).toBe(125);
    expect(tspod(['pod', 'rm', '-f', 'inits']).code).toBe(0);
  });
});

describe('pod refusals and missing pods', () => {
  it('refuses what a member of a pod cannot set, in Podman\'s words, with 125', () => {
    expect(tspod(['pod', 'create', 'shared']).code).toBe(0);
    const cases: Array<[string[], string]> = [
      [['-p', '8080:80'], 'Error: invalid config provided: published or exposed ports must be defined when the pod is created: network cannot be configured when it is shared with a pod\n'],
      [['--hostname', 'h'], 'Error: invalid config provided: cannot set hostname when joining the pod UTS namespace: invalid configuration\n'],
      [['--add-host', 'a:10.0.0.1'], 'Error: invalid config provided: extra host entries must be specified on the pod: network cannot be configured when it is shared with a pod\n'],
      [['--network', 'podman'], 'Error: invalid config provided: networks must be defined when the pod is created: network cannot be configured when it is shared with a pod\n'],
      [['--dns', '10.0.0.1'], 'Error: invalid config provided: --dns, --dns-search and --dns-option must be given when the pod is created (tspod pod create --dns ...): network cannot be configured when it is shared with a pod\n'],
    ];
    for (const [flags, message] of cases) {
      const r = tspod(['run', '--rm', '--pod', 'shared', ...flags, 'busybox', 'true']);
      expect(r.stderr, flags.join(' ')).toBe(message);
      expect(r.code, flags.join(' ')).toBe(125);
    }
    // Nothing was made by the refused runs.
    expect(podStates('shared')).toEqual(['infra created']);
    const taken = tspod(['pod', 'create', 'shared']);
    expect(taken.code).toBe(125);
    expect(taken.stderr).toMatch(/^Error: the pod name "shared" is already in use by [0-9a-f]{64}/);
    // Pods and containers share one namespace of names, as in Podman.
    const ctrName = tspod(['create', '--name', 'shared', 'busybox', 'true']);
    expect(ctrName.stderr).toBe('Error: name "shared" is in use: pod already exists: choose another container name, or remove the pod (tspod pod rm shared)\n');
    expect(ctrName.code).toBe(125);
    const ctrId = tspod(['create', '--name', 'ctr-named', 'busybox', 'true']).stdout.trim();
    const podName = tspod(['pod', 'create', 'ctr-named']);
    expect(podName.stderr).toBe(`Error: adding pod to state: name "ctr-named" is in use by container ${ctrId}: container already exists: choose another pod name\n`);
    expect(podName.code).toBe(125);
    expect(tspod(['rm', 'ctr-named']).code).toBe(0);
    expect(tspod(['pod', 'rm', 'shared']).code).toBe(0);
  });

  it('refuses bad pod create options before making anything', () => {
    const cases: Array<[string[], string]> = [
      [['--share', 'net,bogus', 'p1'], 'Error: invalid kernel namespace to share: bogus: options are cgroup, ipc, net, pid or uts\n'],
      [['--exit-policy', 'later', 'p1'], 'Error: invalid pod exit policy: "later": use continue or stop\n'],
      [['bad/name'], 'Error: invalid pod name "bad/name": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*\n'],
      [['--name', 'a', 'b'], 'Error: cannot specify --name and NAME at the same time\n'],
      [['--infra=false', '--infra-name', 'x', 'p1'], 'Error: cannot set infra-name without an infra container\n'],
    ];
    for (const [args, message] of cases) {
      const r = tspod(['pod', 'create', ...args]);
      expect(r.stderr, args.join(' ')).toBe(message);
      expect(r.code, args.join(' ')).toBe(125);
    }
    const cpus = tspod(['pod', 'create', '--cpus', '2', 'p1']);
    expect(cpus.code).toBe(125);
    expect(cpus.stderr).toContain('--cpus is not supported: tspod makes no cgroup for a pod');
    expect(tspod(['ps', '-aq']).stdout).toBe('');
  });

  it('names a missing pod as Podman does: 125 for the verbs, 1 for rm and exists', () => {
    for (const verb of ['start', 'stop', 'kill', 'restart']) {
      const r = tspod(['pod', verb, 'nope']);
      expect(r.stderr, verb).toBe('Error: no pod with name or ID nope found: no such pod\n');
      expect(r.code, verb).toBe(125);
    }
    const rm = tspod(['pod', 'rm', 'nope']);
    expect(rm.stderr).toBe('Error: no pod with name or ID nope found: no such pod\n');
    expect(rm.code).toBe(1);
    expect(tspod(['pod', 'rm', '-i', 'nope'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(tspod(['pod', 'rm', '-f', 'nope'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(tspod(['pod', 'exists', 'nope']).code).toBe(1);
    const run = tspod(['run', '--rm', '--pod', 'nope', 'busybox', 'true']);
    expect(run.stderr).toBe('Error: no pod with name or ID nope found: no such pod\n');
    expect(run.code).toBe(125);
  });

  it('pod pause says why it cannot on cgroups v1, and pod prune removes only stopped pods', async () => {
    expect(tspod(['pod', 'create', 'up']).code).toBe(0);
    expect(tspod(['run', '-d', '--pod', 'up', 'busybox', 'sleep', '1000']).code).toBe(0);
    const downId = tspod(['pod', 'create', 'down']).stdout.trim();
    expect(tspod(['pod', 'start', 'down']).code).toBe(0);
    expect(tspod(['pod', 'stop', '-t', '0', 'down']).code).toBe(0);
    // A pod never started is Created, and pod prune leaves it (Podman's rule).
    expect(tspod(['pod', 'create', 'fresh']).code).toBe(0);
    const paused = tspod(['pod', 'pause', 'up']);
    expect(paused.code).toBe(125);
    expect(paused.stderr).toMatch(/^Error: pausing container [0-9a-f]{64}: cannot pause /);
    // Asked without stdin: nothing removed.
    expect(tspod(['pod', 'prune']).stdout).toBe('WARNING! This will remove all stopped/exited pods..\nAre you sure you want to continue? [y/N] ');
    expect(tspod(['pod', 'exists', 'down']).code).toBe(0);
    const pruned = tspod(['pod', 'prune', '-f']);
    expect(pruned.stdout).toBe(`${downId}\n`);
    expect(tspod(['pod', 'exists', 'down']).code).toBe(1);
    expect(tspod(['pod', 'exists', 'up']).code).toBe(0);
    expect(tspod(['pod', 'exists', 'fresh']).code).toBe(0);
    expect(tspod(['pod', 'rm', 'fresh']).code).toBe(0);
    const killed = tspod(['pod', 'kill', 'up']);
    expect(killed.code).toBe(0);
    expect(killed.stdout).toMatch(ID);
    // Both killed (the member first, then the infra container): their exits recorded by their monitors.
    const states = await eventually(() => podStates('up'), (l) => l.every((x) => x.endsWith(' exited')));
    expect(states.map((x) => x.replace(/^\S+ /, ''))).toEqual(['exited', 'exited']);
    // container prune leaves a pod's containers to the pod, as Podman's.
    expect(tspod(['container', 'prune', '-f']).stdout).toBe('');
    expect(podStates('up')).toHaveLength(2);
    // pod restart starts what was stopped.
    const restarted = tspod(['pod', 'restart', 'up']);
    expect(restarted.stdout).toMatch(ID);
    expect(podStates('up').map((x) => x.replace(/^\S+ /, ''))).toEqual(['running', 'running']);
    expect(tspod(['pod', 'rm', 'up']).code).toBe(125);
    expect(tspod(['pod', 'stop', '-t', '0', 'up']).code).toBe(0);
    expect(tspod(['pod', 'rm', 'up']).code).toBe(0);
  });
});
