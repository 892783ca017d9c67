// Podman's options of the container verbs (issue 18, docs/cli-compat.md) as the unprivileged user
// with real containers: --latest, --filter and --cidfile choosing the containers, wait's
// conditions, logs of several containers, exec -d/--privileged, rm --depend, ps's --sort, --pod,
// --ns and --watch, and the options tspod refuses, with their message and exit code.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, mirrorDockerHub, registry, runConcurrently, tspodBin } from './harness';
import { REFUSALS, refusalMessage } from '../../commands/refusals';
import { goHumanSize3 } from '../../src/human-units';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('compat');
let env: Record<string, string> = {};
const tspod = (args: string[], input?: string) => store.tspod(args, { env, input });

beforeAll(() => {
  env = mirrorDockerHub(store, ['busybox']);
});

// Each test starts from an empty list, so that one that failed leaves nothing in the next one's ps.
beforeEach(() => {
  tspod(['rm', '-af', '-t', '0']);
});

afterAll(() => {
  tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
});

/** A detached busybox running cmd; its full ID. */
function started(name: string, cmd = ['sleep', '600'], extra: string[] = []): string {
  const r = tspod(['run', '-d', '--name', name, ...extra, 'busybox', ...cmd]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.trim();
}

const state = (name: string) => tspod(['inspect', '--format', '{{.State.Status}}', name]).stdout.trim();

describe('choosing containers', () => {
  it('stop, kill, restart and rm act on the container created last with --latest', () => {
    started('older');
    const id = started('newest');
    expect(tspod(['stop', '-l', '-t', '0'])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect([state('older'), state('newest')]).toEqual(['running', 'exited']);
    expect(tspod(['restart', '--latest', '-t', '0'])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(state('newest')).toBe('running');
    expect(tspod(['kill', '-l'])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(tspod(['wait', '-l']).stdout).toBe('137\n');
    expect(tspod(['rm', '-l'])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(tspod(['container', 'exists', 'newest']).code).toBe(1);
    expect(tspod(['rm', '-f', '-t', '0', 'older']).code).toBe(0);
  });

  it('refuses --latest with names, and --all with --latest, as usage errors', () => {
    started('named');
    expect(tspod(['stop', '-l', 'named'])).toMatchObject({ code: 125, stderr: 'Error: --latest takes no container names or --cidfile: give either the names or --latest\n' });
    expect(tspod(['rm', '-a', '-l'])).toMatchObject({ code: 125, stderr: 'Error: --all and --latest cannot be used together: choose one\n' });
    expect(tspod(['stop'])).toMatchObject({ code: 125, stderr: 'Error: you must provide at least one container name or ID, or --all, --latest or --filter\n' });
    expect(tspod(['rm', '-f', '-t', '0', 'named']).code).toBe(0);
  });

  it('stop, restart and rm take the containers that match --filter; rm -f stays --force', () => {
    const a = started('fa', ['sleep', '600'], ['--label', 'group=one']);
    const b = started('fb', ['sleep', '600'], ['--label', 'group=one']);
    const c = started('fc', ['sleep', '600'], ['--label', 'group=two']);
    const stopped = tspod(['stop', '-t', '0', '--filter', 'label=group=one']);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout.split('\n').filter(Boolean).sort()).toEqual([a, b].sort());
    expect([state('fa'), state('fb'), state('fc')]).toEqual(['exited', 'exited', 'running']);
    expect(tspod(['restart', '-t', '0', '-f', 'name=^fc$'])).toMatchObject({ code: 0, stdout: `${c}\n` });
    const removed = tspod(['rm', '--filter', 'status=exited']);
    expect(removed.stdout.split('\n').filter(Boolean).sort()).toEqual([a, b].sort());
    expect(tspod(['rm', '-f', '-t', '0', 'fc'])).toMatchObject({ code: 0, stdout: 'fc\n' });
  });

  it('kill and restart read the container from --cidfile', () => {
    const file = path.join(store.dir, 'kill.cid');
    // The container's PID 1 gets only the signals it has a handler for.
    expect(tspod(['run', '-d', '--cidfile', file, '--name', 'cid', 'busybox', 'sh', '-c', 'trap "exit 7" USR1; while :; do sleep 1; done']).code).toBe(0);
    const id = fs.readFileSync(file, 'utf8').trim();
    expect(tspod(['restart', '-t', '0', '--cidfile', file])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(tspod(['kill', '-s', 'USR1', '--cidfile', file])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(tspod(['wait', 'cid']).stdout).toBe('7\n');
    expect(tspod(['rm', 'cid']).code).toBe(0);
  });

  it('start takes --latest and -f, and refuses --sig-proxy without --attach', () => {
    const id = tspod(['create', '--name', 'later', 'busybox', 'true']).stdout.trim();
    expect(tspod(['start', '--sig-proxy', 'later'])).toMatchObject({ code: 125, stderr: 'Error: --sig-proxy works only with --attach: add -a or leave --sig-proxy out\n' });
    expect(tspod(['start', '-l'])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(tspod(['wait', 'later']).stdout).toBe('0\n');
    expect(tspod(['start', '-f', 'name=later'])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(tspod(['start', '-a', '--no-sig-proxy', 'later'])).toMatchObject({ code: 0 });
    expect(tspod(['rm', 'later']).code).toBe(0);
  });

  it('rm --depend removes the containers that share its network first', () => {
    const base = started('base');
    const user = started('netuser', ['sleep', '600'], ['--network', 'container:base']);
    const r = tspod(['rm', '-f', '-t', '0', '--depend', 'base']);
    expect(r.code).toBe(0);
    // The name given is printed for the one asked; the dependent is removed by its ID.
    expect(base).not.toBe('');
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['base', user].sort());
    expect(tspod(['ps', '-aq']).stdout).toBe('');
  });
});

describe('wait', () => {
  it('waits for the conditions asked and prints -1 for those other than an exit', async () => {
    tspod(['create', '--name', 'w1', 'busybox', 'sh', '-c', 'sleep 1; exit 3']);
    const [running] = await Promise.all([
      runConcurrently([[tspodBin, '--root', store.root, '--runroot', store.runroot, 'wait', '--condition', 'running', '-i', '20ms', 'w1']], { env }),
      (async () => {
        await new Promise((r) => setTimeout(r, 300));
        tspod(['start', 'w1']);
      })(),
    ]);
    expect(running[0]).toMatchObject({ code: 0, stdout: '-1\n' });
    expect(tspod(['wait', '--condition', 'stopped', '--interval', '100', 'w1'])).toMatchObject({ code: 0, stdout: '3\n' });
    expect(tspod(['wait', '--condition', 'healthy', 'w1'])).toMatchObject({ code: 125, stderr: 'Error: container w1 has no defined healthcheck: wait for "running" instead\n' });
    expect(tspod(['wait', '--condition', 'bogus', 'w1'])).toMatchObject({ code: 125, stderr: 'Error: invalid condition "bogus": use one of configured, created, exited, healthy, initialized, paused, removing, running, stopped, stopping, unhealthy\n' });
    expect(tspod(['wait', '-i', 'soon', 'w1'])).toMatchObject({ code: 125, stderr: 'Error: invalid --interval "soon": give a duration such as 250ms, 2s or 1m30s\n' });
    tspod(['rm', 'w1']);
  });

  it('--ignore prints -1 for a missing container; --exit-first-match returns with the first', () => {
    started('long');
    tspod(['run', '--name', 'short', 'busybox', 'sh', '-c', 'exit 4']);
    expect(tspod(['wait', '--ignore', 'nosuch', 'short'])).toMatchObject({ code: 0, stdout: '-1\n4\n' });
    expect(tspod(['wait', 'nosuch']).code).not.toBe(0);
    expect(tspod(['wait', '--exit-first-match', 'long', 'short'])).toMatchObject({ code: 0, stdout: '4\n' });
    tspod(['rm', '-f', '-t', '0', 'long', 'short']);
  });
});

describe('logs', () => {
  it('shows several containers, each line with the short ID, or the name with -n, in color with --color', () => {
    tspod(['run', '--name', 'la', 'busybox', 'echo', 'from a']);
    const a = tspod(['inspect', '--format', '{{.Id}}', 'la']).stdout.trim();
    tspod(['run', '--name', 'lb', 'busybox', 'echo', 'from b']);
    const b = tspod(['inspect', '--format', '{{.Id}}', 'lb']).stdout.trim();
    expect(tspod(['logs', 'la', 'lb'])).toMatchObject({ code: 0, stdout: `${a.slice(0, 12)} from a\n${b.slice(0, 12)} from b\n` });
    expect(tspod(['logs', '-n', 'la', 'lb']).stdout).toBe('la from a\nlb from b\n');
    expect(tspod(['logs', '--color', '--names', 'la', 'lb']).stdout).toBe('\x1b[37mla from a\x1b[0m\n\x1b[31mlb from b\x1b[0m\n');
    expect(tspod(['logs', '--names', 'la']).stdout).toBe('from a\n');
    expect(tspod(['logs', '--latest']).stdout).toBe('from b\n');
    expect(tspod(['logs', '--tail', '1', 'lb']).stdout).toBe('from b\n');
    tspod(['rm', 'la', 'lb']);
  });
});

describe('exec', () => {
  it('-d starts the process and returns; --latest and --cidfile name the container; --privileged gives every capability', async () => {
    const file = path.join(store.dir, 'exec.cid');
    expect(tspod(['run', '-d', '--cidfile', file, '--name', 'ex', 'busybox', 'sleep', '600']).code).toBe(0);
    expect(tspod(['exec', '-d', 'ex', 'sh', '-c', 'sleep 1; touch /tmp/done'])).toMatchObject({ code: 0, stdout: '' });
    expect(tspod(['exec', 'ex', 'test', '-e', '/tmp/done']).code).toBe(1);
    await new Promise((r) => setTimeout(r, 2000));
    expect(tspod(['exec', '-l', 'test', '-e', '/tmp/done']).code).toBe(0);
    const caps = (args: string[]) => BigInt(`0x${/^CapEff:\s+([0-9a-f]+)$/m.exec(tspod([...args, 'cat', '/proc/self/status']).stdout)![1]}`);
    const SYS_ADMIN = 1n << 21n;
    expect(caps(['exec', '--cidfile', file]) & SYS_ADMIN).toBe(0n);
    expect(caps(['exec', '--privileged', 'ex']) & SYS_ADMIN).toBe(SYS_ADMIN);
    expect(tspod(['exec', '-d', '-t', 'ex', 'true'])).toMatchObject({ code: 125, stderr: 'Error: exec -d cannot allocate a terminal (-t): the process would have no one to talk to; drop -t\n' });
    expect(tspod(['exec', '--no-session', 'ex', 'echo', 'hi']).stdout).toBe('hi\n');
    tspod(['rm', '-f', '-t', '0', 'ex']);
  });
});

describe('ps', () => {
  it('sorts, adds the pod columns, shows namespaces and takes --sync and --external', () => {
    const z = started('zeta');
    const a = started('alpha');
    expect(tspod(['ps', '--sort', 'names', '--format', '{{.Names}}']).stdout).toBe('alpha\nzeta\n');
    expect(tspod(['ps', '--sort', 'created', '--format', '{{.Names}}']).stdout).toBe('zeta\nalpha\n');
    expect(tspod(['ps', '--format', '{{.Names}}']).stdout).toBe('alpha\nzeta\n');
    expect(tspod(['ps', '--sort', 'bogus'])).toMatchObject({ code: 125, stderr: 'Error: invalid --sort "bogus": use one of command, created, id, image, names, pod, runningfor, size, status\n' });
    const pod = tspod(['ps', '--pod', '--sync', '--external', '--sort', 'names']);
    expect(pod.stdout.split('\n')[0]).toMatch(/^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES +POD ID +PODNAME$/);
    expect(pod.stdout.split('\n')[1]).toMatch(new RegExp(`^${a.slice(0, 12)} .* alpha$`));
    const ns = tspod(['ps', '--ns', '--sort', 'names', '--no-trunc']).stdout.split('\n');
    expect(ns[0]).toMatch(/^CONTAINER ID +NAMES +PID +CGROUPNS +IPC +MNT +NET +PIDNS +USERNS +UTS$/);
    const pid = tspod(['inspect', '--format', '{{.State.Pid}}', 'alpha']).stdout.trim();
    const inode = (f: string) => /\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${pid}/ns/${f}`))![1];
    expect(ns[1].split(/ +/)).toEqual([a, 'alpha', pid, inode('cgroup'), inode('ipc'), inode('mnt'), inode('net'), inode('pid'), inode('user'), inode('uts')]);
    expect(tspod(['ps', '-q', '--ns'])).toMatchObject({ code: 125, stderr: 'Error: --quiet and --ns cannot be used together: the IDs alone have no namespaces\n' });
    expect(tspod(['ps', '--last', '1', '-l'])).toMatchObject({ code: 125, stderr: 'Error: --last and --latest cannot be used together: choose one\n' });
    tspod(['rm', '-f', '-t', '0', z, a]);
  });

  it("filters by Podman's other keys: before, since, label!, volume, network, restart-policy, command, health refused", () => {
    tspod(['create', '--name', 'first', '--label', 'x=1', '-v', 'fvol:/data', 'busybox', 'true']);
    tspod(['create', '--name', 'second', '--restart', 'always', '--network', 'none', 'busybox', 'sleep', '1']);
    tspod(['create', '--name', 'third', 'busybox', 'true']);
    const names = (...f: string[]) => tspod(['ps', '-a', '--sort', 'created', '--format', '{{.Names}}', ...f.flatMap((x) => ['--filter', x])]).stdout.trim().split('\n').filter(Boolean);
    expect(names('before=second')).toEqual(['first']);
    expect(names('since=first')).toEqual(['second', 'third']);
    expect(names('label!=x=1')).toEqual(['second', 'third']);
    expect(names('volume=fvol')).toEqual(['first']);
    expect(names('volume=/data')).toEqual(['first']);
    expect(names('network=none')).toEqual(['second']);
    expect(names('restart-policy=always')).toEqual(['second']);
    expect(names('command=sleep')).toEqual(['second']);
    expect(names('should-start-on-boot=true')).toEqual(['second']);
    expect(names('pod=p1')).toEqual([]);
    expect(names('health=healthy')).toEqual([]);
    expect(names('health=none')).toEqual(['first', 'second', 'third']);
    expect(tspod(['ps', '-a', '--filter', 'health=great'])).toMatchObject({ code: 125, stderr: 'Error: invalid health "great": use starting, healthy, unhealthy or none\n' });
    expect(tspod(['rm', '--filter', 'since=first']).stdout.split('\n').filter(Boolean).length).toBe(2);
    expect(names()).toEqual(['first']);
    tspod(['rm', 'first']);
    tspod(['volume', 'rm', 'fvol']);
  });

  it('--size shows what each container wrote and its whole root', () => {
    tspod(['run', '--name', 'writer', 'busybox', 'sh', '-c', 'head -c 5000 /dev/zero > /five-k']);
    const image = Number(tspod(['image', 'inspect', '--format', '{{.Size}}', 'busybox']).stdout.trim());
    expect(image).toBeGreaterThan(0);
    expect(tspod(['ps', '-a', '--size', '--format', '{{.Names}} {{.Size}}'])).toMatchObject({ code: 0, stdout: `writer ${goHumanSize3(5000)} (virtual ${goHumanSize3(image + 5000)})\n` });
    expect(tspod(['ps', '-a', '-s']).stdout.split('\n')[0]).toMatch(/ NAMES +SIZE$/);
    expect(JSON.parse(tspod(['ps', '-a', '-s', '--format', 'json']).stdout)[0].Size).toEqual({ RootFsSize: image + 5000, RwSize: 5000 });
    expect(tspod(['ps', '-s', '--ns'])).toMatchObject({ code: 125, stderr: 'Error: --size and --ns cannot be used together: choose one\n' });
    tspod(['rm', 'writer']);
  });

  it('--watch prints the list again every interval until interrupted', async () => {
    started('watched');
    const argv = ['timeout', '--preserve-status', '-s', 'INT', '3.5', tspodBin, '--root', store.root, '--runroot', store.runroot, 'ps', '-w', '1', '--format', '{{.Names}}'];
    const [r] = await runConcurrently([argv], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^(\x1b\[2J\x1b\[Hwatched\n){2,}$/);
    tspod(['rm', '-f', '-t', '0', 'watched']);
  });
});

describe('refused options', () => {
  for (const [verb, list] of Object.entries(REFUSALS)) {
    for (const r of list) {
      it(`${verb} ${r.names[0]} says why, with exit code ${r.exitCode}`, () => {
        const words = verb === 'network connect' ? ['nonet', 'nosuch'] : verb === 'network create' || verb === 'pod create' ? ['nonet'] : ['nosuch', 'true'];
        const res = tspod([...verb.split(' '), r.names[0], ...(r.value ? ['x'] : []), ...words]);
        expect(res).toMatchObject({ code: r.exitCode, stdout: '', stderr: `Error: ${refusalMessage(r)}\n` });
      });
    }
  }
});

/** iptables -S of a table in the store's shared network namespace (entered through tspod unshare). */
function sharedRules(table: string, ...args: string[]): string {
  const r = tspod(['unshare', 'nsenter', `--net=${store.runroot}/netns/rootless-netns`, '/usr/sbin/iptables', '-w', '-t', table, ...args]);
  expect(r.stderr).toBe('');
  return r.stdout;
}

describe('networks', () => {
  it('create takes --interface-name, --ip-range, --route, --opt mtu=, --dns, --ipam-driver host-local; update changes the servers', () => {
    const c = tspod(['network', 'create', '--interface-name', 'mybr0', '--subnet', '10.91.3.0/24', '--ip-range', '10.91.3.100-10.91.3.101', '--route', '192.168.77.0/24,10.91.3.9,50', '--opt', 'mtu=1400', '--dns', '10.91.3.53', '--ipam-driver', 'host-local', 'custom']);
    expect(c).toMatchObject({ code: 0, stdout: 'custom\n' });
    const doc = JSON.parse(tspod(['network', 'inspect', 'custom']).stdout)[0];
    expect(doc).toMatchObject({ network_interface: 'mybr0', subnets: [{ subnet: '10.91.3.0/24', gateway: '10.91.3.1', lease_range: { start_ip: '10.91.3.100', end_ip: '10.91.3.101' } }], network_dns_servers: ['10.91.3.53'], dns_enabled: true, options: { mtu: '1400' } });
    const out = tspod(['run', '--rm', '--network', 'custom', 'busybox', 'sh', '-c', 'ip -o -4 addr show eth0; cat /sys/class/net/eth0/mtu; ip route show 192.168.77.0/24; grep nameserver /etc/resolv.conf']);
    expect(out.stderr).toBe('');
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/inet 10\.91\.3\.100\/24 /);
    expect(lines.slice(1).map((l) => l.replace(/\s+/g, ' ').trim())).toEqual(['1400', '192.168.77.0/24 via 10.91.3.9 dev eth0 metric 50', 'nameserver 10.91.3.1']);
    expect(tspod(['network', 'update', '--dns-add', '10.91.3.54', '--dns-drop', '10.91.3.53', 'custom'])).toMatchObject({ code: 0, stdout: 'custom\n' });
    expect(tspod(['run', '--rm', '--network', 'custom', 'busybox', 'grep', 'nameserver', '/etc/resolv.conf']).stdout).toBe('nameserver 10.91.3.1\n');
    expect(tspod(['network', 'update', '--dns-drop', '10.9.9.9', 'custom'])).toMatchObject({ code: 125, stderr: 'Error: cannot drop name server 10.9.9.9: network custom does not have it (it has 10.91.3.54)\n' });
    expect(tspod(['network', 'create', '--ipam-driver', 'dhcp', 'x'])).toMatchObject({ code: 125, stderr: expect.stringMatching(/^Error: unsupported IPAM driver "dhcp": /) });
    expect(tspod(['network', 'create', '--opt', 'vlan=5', 'x'])).toMatchObject({ code: 125, stderr: "Error: unsupported --opt \"vlan=5\": tspod's bridge driver takes mtu=N and isolate=true (its networks are always isolated from each other)\n" });
    expect(tspod(['network', 'create', '--interface-name', 'mybr0', 'x'])).toMatchObject({ code: 125, stderr: 'Error: --interface-name mybr0 is the bridge of network custom: choose another name\n' });
    expect(tspod(['network', 'exists', 'x']).code).toBe(1);
    tspod(['network', 'rm', 'custom']);
  });

  it('--disable-dns leaves the containers unnamed to each other', () => {
    tspod(['network', 'create', '--disable-dns', 'quiet']);
    tspod(['network', 'create', 'loud']);
    for (const n of ['quiet', 'loud']) started(`peer-${n}`, ['sleep', '600'], ['--network', n]);
    const hosts = (n: string) => tspod(['run', '--rm', '--network', n, 'busybox', 'cat', '/etc/hosts']).stdout;
    expect(hosts('quiet')).not.toMatch(/peer-quiet/);
    expect(hosts('loud')).toMatch(/peer-loud/);
    expect(JSON.parse(tspod(['network', 'inspect', 'quiet']).stdout)[0].dns_enabled).toBe(false);
    tspod(['rm', '-f', '-t', '0', 'peer-quiet', 'peer-loud']);
    tspod(['network', 'rm', 'quiet', 'loud']);
  });

  it('reload puts back the rules a container needs; ls -n drops the heading; prune --filter picks by label', () => {
    tspod(['network', 'create', '--label', 'keep=yes', 'kept']);
    tspod(['network', 'create', 'web']);
    const id = started('served', ['sleep', '600'], ['--network', 'web', '-p', '18081:80']);
    const dnat = sharedRules('nat', '-S', 'PREROUTING').split('\n').filter((l) => l.includes('18081'));
    expect(dnat.length).toBe(1);
    sharedRules('nat', ...dnat[0].replace(/^-A /, '-D ').split(' ').map((a) => a.replace(/^"(.*)"$/, '$1')));
    const subnet: string = JSON.parse(tspod(['network', 'inspect', 'web']).stdout)[0].subnets[0].subnet;
    sharedRules('nat', '-D', 'POSTROUTING', '-s', subnet, '!', '-d', subnet, '-j', 'MASQUERADE');
    expect(sharedRules('nat', '-S')).not.toMatch(/18081|MASQUERADE/);
    expect(tspod(['network', 'reload', 'served'])).toMatchObject({ code: 0, stdout: `${id}\n` });
    const after = sharedRules('nat', '-S');
    expect(after).toMatch(/--dport 18081 .* -j DNAT --to-destination [\d.]+:80/);
    expect(after).toContain(`-A POSTROUTING -s ${subnet} ! -d ${subnet} -j MASQUERADE`);
    expect(tspod(['network', 'reload', '--all']).stdout).toBe(`${id}\n`);
    expect(tspod(['network', 'ls', '-n', '--filter', 'name=kept'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^[0-9a-f]{12} +kept +bridge\n$/) });
    tspod(['rm', '-f', '-t', '0', 'served']);
    expect(tspod(['network', 'prune', '-f', '--filter', 'label!=keep=yes']).stdout).toBe('web\n');
    expect(tspod(['network', 'prune', '-f', '--filter', 'label=keep']).stdout).toBe('kept\n');
  });
});

describe('images and volumes', () => {
  it('images --sort orders the list; rmi -i ignores a missing image and takes --no-prune', () => {
    expect(tspod(['tag', 'busybox', 'localhost/zzz:1', 'localhost/aaa:2']).code).toBe(0);
    expect(tspod(['images', '--sort', 'repository', '--format', '{{.Repository}}:{{.Tag}}']).stdout).toBe('docker.io/library/busybox:latest\nlocalhost/aaa:2\nlocalhost/zzz:1\n');
    expect(tspod(['images', '--sort', 'tag', '--format', '{{.Tag}}']).stdout).toBe('1\n2\nlatest\n');
    expect(tspod(['images', '--sort', 'name'])).toMatchObject({ code: 125, stderr: 'Error: invalid --sort "name": use one of created, id, repository, size, tag\n' });
    expect(tspod(['rmi', '-i', '--no-prune', 'localhost/nosuch:1', 'localhost/zzz:1'])).toMatchObject({ code: 0, stdout: 'Untagged: localhost/zzz:1\n', stderr: '' });
    expect(tspod(['rmi', 'localhost/nosuch:1']).code).not.toBe(0);
    expect(tspod(['rmi', 'localhost/aaa:2']).code).toBe(0);
  });

  it("images, volume ls and network ls take Podman's other filter keys", () => {
    tspod(['create', '--name', 'user', 'busybox', 'true']);
    expect(tspod(['images', '--filter', 'containers=true', '--format', '{{.Repository}}']).stdout).toBe('docker.io/library/busybox\n');
    expect(tspod(['images', '--filter', 'containers=false', '-q']).stdout).toBe('');
    expect(tspod(['images', '--filter', 'intermediate=true', '-q']).stdout).toBe('');
    expect(tspod(['images', '--filter', 'label!=nosuch', '--format', '{{.Repository}}']).stdout).toBe('docker.io/library/busybox\n');
    tspod(['volume', 'create', '--label', 'k=1', '-o', 'uid=5', 'v1']);
    tspod(['volume', 'create', 'v2']);
    const vols = (f: string) => tspod(['volume', 'ls', '-q', '--filter', f]).stdout;
    expect([vols('label!=k'), vols('opt=uid=5'), vols('since=v1'), vols('after=v1'), vols('scope=local'), vols('until=1')]).toEqual(['v2\n', 'v1\n', 'v2\n', 'v2\n', 'v1\nv2\n', '']);
    expect(tspod(['volume', 'ls', '--filter', 'colour=red'])).toMatchObject({ code: 125, stderr: 'Error: invalid filter "colour": use name, label, label!, driver, dangling, opt, scope, since, after or until\n' });
    tspod(['network', 'create', '--label', 'k=1', 'n1']);
    tspod(['network', 'create', 'n2']);
    tspod(['network', 'connect', 'n2', 'user']);
    const nets = (f: string) => tspod(['network', 'ls', '-q', '--filter', f]).stdout;
    expect([nets('label!=k'), nets('dangling=true'), nets('dangling=false'), nets('driver=bridge'), nets('until=1')]).toEqual(['n2\npodman\n', 'n1\n', 'n2\npodman\n', 'n1\nn2\npodman\n', '']);
    tspod(['rm', 'user']);
    tspod(['volume', 'rm', 'v1', 'v2']);
    tspod(['network', 'rm', 'n1', 'n2']);
  });

  it('volume create --uid/--gid, prune --filter, mount, unmount and reload', () => {
    expect(tspod(['volume', 'create', '--uid', '1000', '--gid', '100', '--label', 'tmp=1', 'owned']).code).toBe(0);
    expect(tspod(['run', '--rm', '-v', 'owned:/data', 'busybox', 'stat', '-c', '%u:%g', '/data']).stdout).toBe('1000:100\n');
    const where = JSON.parse(tspod(['volume', 'inspect', 'owned']).stdout)[0].Mountpoint;
    expect(tspod(['volume', 'mount', 'owned'])).toMatchObject({ code: 0, stdout: `${where}\n` });
    expect(tspod(['volume', 'unmount', 'owned'])).toMatchObject({ code: 0, stdout: 'owned\n' });
    expect(tspod(['volume', 'mount', 'nosuch']).code).not.toBe(0);
    expect(tspod(['volume', 'reload'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    tspod(['volume', 'create', 'other']);
    expect(tspod(['volume', 'prune', '-f', '--filter', 'label=tmp']).stdout).toBe('owned\n');
    expect(tspod(['volume', 'prune', '-f', '--filter', 'colour=red'])).toMatchObject({ code: 125, stderr: 'Error: invalid prune filter "colour=red": use label=KEY[=VALUE], label!=KEY[=VALUE] or until=TIME\n' });
    expect(tspod(['volume', 'prune', '-f', '--filter', 'until=1']).stdout).toBe('');
    expect(tspod(['volume', 'prune', '-f']).stdout).toBe('other\n');
  });
});
