// normalizeProject on hand-made RawProjects: each short form to its long form, the defaults and names
// compose-go fills in, env_file under environment, profiles, references checked with file and line,
// and the keys tspod does not act on reported.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { normalizeProject, serviceEnabled } from '../../../../libpod/compose/normalize';
import type { RawProject, SourceRef } from '../../../../libpod/compose/types';
import { InvalidArgumentError } from '../../../../src/errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-normalize-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function raw(dict: Record<string, unknown>, opts: { where?: (p: string[]) => SourceRef | undefined; env?: Record<string, string> } = {}): RawProject {
  return {
    name: 'proj',
    workingDir: dir,
    files: [path.join(dir, 'compose.yaml')],
    environment: { HOME: '/home/alice', ...opts.env },
    dict,
    where: opts.where ?? (() => undefined),
  };
}

const web = (extra: Record<string, unknown>) => raw({ services: { web: { image: 'busybox', ...extra } } });
const norm = (extra: Record<string, unknown>) => normalizeProject(web(extra), []).services.web;

describe('ports', () => {
  it('reads the short forms', () => {
    expect(norm({ ports: ['8080:80'] }).ports).toEqual([{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]);
    expect(norm({ ports: ['127.0.0.1:8080:80/udp'] }).ports).toEqual([{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'udp' }]);
    expect(norm({ ports: ['80'] }).ports).toEqual([{ mode: 'ingress', target: 80, protocol: 'tcp' }]);
    expect(norm({ ports: [3000] }).ports).toEqual([{ mode: 'ingress', target: 3000, protocol: 'tcp' }]);
    expect(norm({ ports: ['127.0.0.1::80'] }).ports).toEqual([{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, protocol: 'tcp' }]);
    expect(norm({ ports: ['[::1]:8080:80'] }).ports).toEqual([{ mode: 'ingress', host_ip: '::1', target: 80, published: '8080', protocol: 'tcp' }]);
  });

  it('expands ranges into one entry per port', () => {
    expect(norm({ ports: ['8000-8002:9000-9002'] }).ports).toEqual([
      { mode: 'ingress', target: 9000, published: '8000', protocol: 'tcp' },
      { mode: 'ingress', target: 9001, published: '8001', protocol: 'tcp' },
      { mode: 'ingress', target: 9002, published: '8002', protocol: 'tcp' },
    ]);
    // A host range for one container port is the range to pick from.
    expect(norm({ ports: ['8000-8010:80'] }).ports).toEqual([{ mode: 'ingress', target: 80, published: '8000-8010', protocol: 'tcp' }]);
    expect(norm({ ports: ['99-100'] }).ports!.map((p) => p.target)).toEqual([100, 99]); // compose-go's string order
  });

  it('fills the long form defaults', () => {
    expect(norm({ ports: [{ target: 80, published: 8080 }] }).ports).toEqual([{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]);
    expect(norm({ ports: [{ target: '53', protocol: 'udp', mode: 'host', host_ip: '0.0.0.0' }] }).ports).toEqual([{ mode: 'host', host_ip: '0.0.0.0', target: 53, protocol: 'udp' }]);
  });

  it('refuses bad specs with the key', () => {
    expect(() => norm({ ports: ['8000-8002:80-81'] })).toThrow('services.web.ports[0]: invalid ranges specified for container and host ports: 80-81 and 8000-8002');
    expect(() => norm({ ports: ['80/icmp'] })).toThrow('services.web.ports[0]: invalid proto: icmp');
    expect(() => norm({ ports: ['x:80'] })).toThrow('invalid hostPort: x');
    expect(() => norm({ ports: ['70000'] })).toThrow(InvalidArgumentError);
  });
});

describe('volumes', () => {
  it('reads bind short forms, resolved against the project directory', () => {
    expect(norm({ volumes: ['./data:/data:ro'] }).volumes).toEqual([{ type: 'bind', source: path.join(dir, 'data'), target: '/data', read_only: true, bind: { create_host_path: true } }]);
    expect(norm({ volumes: ['~/x:/x:z'] }).volumes).toEqual([{ type: 'bind', source: '/home/alice/x', target: '/x', bind: { selinux: 'z', create_host_path: true } }]);
    expect(norm({ volumes: ['/srv:/srv/:rw,Z'] }).volumes).toEqual([{ type: 'bind', source: '/srv', target: '/srv', bind: { selinux: 'Z', create_host_path: true } }]);
    expect(norm({ volumes: ['../up:/up'] }).volumes![0].source).toBe(path.resolve(dir, '../up'));
  });

  it('reads named and anonymous volumes', () => {
    const p = normalizeProject(raw({ services: { web: { image: 'busybox', volumes: ['named:/path', 'named:/other:nocopy', '/anon'] } }, volumes: { named: null } }), []);
    expect(p.services.web.volumes).toEqual([
      { type: 'volume', source: 'named', target: '/path', volume: {} },
      { type: 'volume', source: 'named', target: '/other', volume: { nocopy: true } },
      { type: 'volume', target: '/anon', volume: {} },
    ]);
    expect(p.volumes).toEqual({ named: { name: 'proj_named' } });
  });

  it('reads the long forms', () => {
    const v = norm({
      volumes: [
        { type: 'bind', source: 'conf', target: '/etc/app/', read_only: true, bind: { propagation: 'rshared' } },
        { type: 'tmpfs', target: '/run', tmpfs: { size: '64m', mode: 0o1777 } },
        { type: 'bind', source: '/x', target: '/x', bind: { create_host_path: false } },
      ],
    }).volumes;
    expect(v).toEqual([
      { type: 'bind', source: path.join(dir, 'conf'), target: '/etc/app', read_only: true, bind: { propagation: 'rshared', create_host_path: true } },
      { type: 'tmpfs', target: '/run', tmpfs: { size: 64 * 1024 * 1024, mode: 0o1777 } },
      { type: 'bind', source: '/x', target: '/x', bind: { create_host_path: false } },
    ]);
  });

  it('refuses bad specs', () => {
    expect(() => norm({ volumes: ['a::b'] })).toThrow('services.web.volumes[0]: invalid spec: a::b: empty section between colons');
    expect(() => norm({ volumes: ['./a:/b:ro:x'] })).toThrow('too many colons');
    expect(() => norm({ volumes: [{ type: 'bind', target: '/x' }] })).toThrow('services.web.volumes[0].source: a bind mount needs a source');
  });
});

describe('environment, env_file and labels', () => {
  it('makes lists maps, a bare name null unless the environment has it', () => {
    const p = normalizeProject(raw({ services: { web: { image: 'busybox', environment: ['A=1', 'B=', 'C', 'D=x=y', 'HOME'] } } }), []);
    expect(p.services.web.environment).toEqual({ A: '1', B: '', C: null, D: 'x=y', HOME: '/home/alice' });
    expect(norm({ environment: { N: 3, T: true, U: null } }).environment).toEqual({ N: '3', T: 'true', U: null });
  });

  it('reads env files under environment, in order, environment winning', () => {
    fs.writeFileSync(path.join(dir, 'a.env'), '# comment\nA=from-a\nB="quoted $X"\nexport C=c # note\nS=\'$lit\'\n');
    fs.writeFileSync(path.join(dir, 'b.env'), 'A=from-b\nD=d\n');
    const p = normalizeProject(raw({ services: { web: { image: 'busybox', env_file: ['a.env', { path: './b.env' }, { path: 'missing.env', required: false }], environment: { D: 'mine' } } } }, { env: { X: 'x' } }), []);
    expect(p.services.web.environment).toEqual({ A: 'from-b', B: 'quoted x', C: 'c', S: '$lit', D: 'mine' });
    expect(norm({ env_file: 'b.env' }).environment).toEqual({ A: 'from-b', D: 'd' });
    expect(() => norm({ env_file: 'nope.env' })).toThrow(`services.web.env_file[0]: env file ${path.join(dir, 'nope.env')} not found`);
  });

  it('makes labels, annotations and sysctls maps of strings', () => {
    expect(norm({ labels: ['a=1', 'b'] }).labels).toEqual({ a: '1', b: '' });
    expect(norm({ labels: { n: 1 } }).labels).toEqual({ n: '1' });
    expect(norm({ sysctls: ['net.core.somaxconn=1024'] }).sysctls).toEqual({ 'net.core.somaxconn': '1024' });
  });
});

describe('commands, healthchecks and hosts', () => {
  it('splits command and entrypoint strings as shell words', () => {
    expect(norm({ command: 'sh -c "echo hi; sleep 1"' }).command).toEqual(['sh', '-c', 'echo hi; sleep 1']);
    expect(norm({ entrypoint: "a 'b c' d\\ e" }).entrypoint).toEqual(['a', 'b c', 'd e']);
    expect(norm({ command: ['x', 1] }).command).toEqual(['x', '1']);
    expect(norm({ command: null }).command).toBeNull();
    expect(() => norm({ command: 'echo "open' })).toThrow('services.web.command: invalid command line string');
  });

  it('makes a healthcheck string CMD-SHELL and keeps durations', () => {
    expect(norm({ healthcheck: { test: 'wget -q localhost', interval: '5s', retries: 3, start_period: '1m30s' } }).healthcheck).toEqual({ test: ['CMD-SHELL', 'wget -q localhost'], interval: '5s', retries: 3, start_period: '1m30s' });
    expect(() => norm({ healthcheck: { interval: '5 seconds' } })).toThrow('services.web.healthcheck.interval: invalid duration "5 seconds": write it as 10s, 1m30s or 500ms');
    expect(norm({ stop_grace_period: '1m30.5s' }).stop_grace_period).toBe('1m30.5s');
    expect(() => norm({ stop_grace_period: 's' })).toThrow('invalid duration');
    expect(() => norm({ stop_grace_period: '10' })).toThrow('services.web.stop_grace_period: invalid duration "10"');
    expect(() => norm({ healthcheck: { test: ['RUN', 'x'] } })).toThrow('healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"');
  });

  it('makes extra_hosts a map of addresses', () => {
    expect(norm({ extra_hosts: ['db:10.0.0.2', 'v6=::1', 'db=10.0.0.3', 'multi=1.1.1.1,2.2.2.2'] }).extra_hosts).toEqual({ db: ['10.0.0.2', '10.0.0.3'], v6: ['::1'], multi: ['1.1.1.1', '2.2.2.2'] });
    expect(norm({ extra_hosts: { a: '[::2]', b: ['1.2.3.4'] } }).extra_hosts).toEqual({ a: ['::2'], b: ['1.2.3.4'] });
    expect(() => norm({ extra_hosts: ['nohost'] })).toThrow('invalid additional host, missing ip: nohost');
  });
});

describe('sizes, limits and scalars', () => {
  it('reads byte sizes with units', () => {
    const s = norm({ shm_size: '64m', mem_limit: '1gb', mem_reservation: 1024, memswap_limit: -1 });
    expect([s.shm_size, s.mem_limit, s.mem_reservation, s.memswap_limit]).toEqual([64 * 1024 ** 2, 1024 ** 3, 1024, -1]);
    expect(norm({ shm_size: '512k' }).shm_size).toBe(512 * 1024);
    expect(norm({ shm_size: '10b' }).shm_size).toBe(10);
    expect(() => norm({ shm_size: 'lots' })).toThrow('services.web.shm_size: invalid size: lots');
  });

  it('reads ulimits, stop_grace_period, pull_policy and the cpu keys tspod supports', () => {
    const s = norm({ ulimits: { nproc: 65535, nofile: { soft: 20000, hard: '40000' } }, stop_grace_period: '1m30s', pull_policy: 'if_not_present', cpus: '0.5', cpu_shares: 512, cpuset: '0-1', privileged: 'true' });
    expect(s.ulimits).toEqual({ nproc: 65535, nofile: { soft: 20000, hard: 40000 } });
    expect(s.stop_grace_period).toBe('1m30s');
    expect(s.pull_policy).toBe('missing');
    expect([s.cpus, s.cpu_shares, s.cpuset, s.privileged]).toEqual([0.5, 512, '0-1', true]);
    expect(() => norm({ pull_policy: 'sometimes' })).toThrow('invalid pull policy "sometimes"');
    expect(() => norm({ ulimits: { nofile: { soft: 10, hard: 5 } } })).toThrow('soft limit 10 is above the hard limit 5');
  });

  it('keeps scale and deploy.replicas in agreement', () => {
    expect(norm({ scale: 2, deploy: { replicas: 2 } }).deploy!.replicas).toBe(2);
    expect(norm({ scale: 3, deploy: {} }).deploy!.replicas).toBe(3);
    expect(() => norm({ scale: 2, deploy: { replicas: 3 } })).toThrow("services.web.scale: can't set distinct values on 'scale' and 'deploy.replicas'");
    expect(() => norm({ deploy: { replicas: 2 }, container_name: 'x' })).toThrow("can't set container_name and deploy.replicas");
    expect(() => norm({ cpus: 1, deploy: { resources: { limits: { cpus: '0.5' } } } })).toThrow("can't set distinct values on 'cpus' and 'deploy.resources.limits.cpus'");
  });

  it('reads deploy resources and restart policy', () => {
    expect(norm({ deploy: { resources: { limits: { cpus: '0.5', memory: '50M', pids: 10 }, reservations: { memory: '20m' } }, restart_policy: { condition: 'on-failure', max_attempts: 3 } } }).deploy).toEqual({
      resources: { limits: { cpus: 0.5, memory: 50 * 1024 ** 2, pids: 10 }, reservations: { memory: 20 * 1024 ** 2 } },
      restart_policy: { condition: 'on-failure', max_attempts: 3 },
    });
  });
});

describe('lists and devices', () => {
  it('makes string-or-list keys lists and reads devices short and long', () => {
    const s = norm({ dns: '8.8.8.8', tmpfs: '/run', expose: [80, '90-91'], cap_add: ['NET_ADMIN'], devices: ['/dev/fuse', '/dev/sda:/dev/xvda:r', { source: '/dev/kvm' }] });
    expect([s.dns, s.tmpfs, s.expose, s.cap_add]).toEqual([['8.8.8.8'], ['/run'], ['80', '90-91'], ['NET_ADMIN']]);
    expect(s.devices).toEqual([
      { source: '/dev/fuse', target: '/dev/fuse', permissions: 'rwm' },
      { source: '/dev/sda', target: '/dev/xvda', permissions: 'r' },
      { source: '/dev/kvm', target: '/dev/kvm' },
    ]);
    expect(() => norm({ devices: ['a:b:c:d'] })).toThrow('services.web.devices[0]: confusing device mapping "a:b:c:d"');
  });
});

describe('build, secrets and configs', () => {
  it('makes build a context made absolute with the default Dockerfile', () => {
    expect(norm({ build: '.' }).build).toEqual({ context: dir, dockerfile: 'Dockerfile' });
    expect(norm({ build: { context: 'app', args: ['A=1', 'HOME', 'UNSET'] } }).build).toEqual({ context: path.join(dir, 'app'), dockerfile: 'Dockerfile', args: { A: '1', HOME: '/home/alice' } });
    expect(norm({ build: { dockerfile_inline: 'FROM busybox' } }).build).toEqual({ context: dir, dockerfile_inline: 'FROM busybox' });
    expect(norm({ build: 'https://github.com/x/y.git' }).build!.context).toBe('https://github.com/x/y.git');
  });

  it('reads service secrets and configs, short and long, and names the top-level ones', () => {
    const p = normalizeProject(raw({
      services: { web: { image: 'busybox', secrets: ['pw', { source: 'pw', target: 'other', mode: '0440' }], configs: ['cfg', { source: 'cfg', target: '/etc/cfg', uid: '1' }] } },
      secrets: { pw: { file: './pw.txt' }, unused: { environment: 'X' } },
      configs: { cfg: { content: 'hello', name: 'given' } },
    }), []);
    expect(p.services.web.secrets).toEqual([{ source: 'pw', target: '/run/secrets/pw' }, { source: 'pw', target: '/run/secrets/other', mode: 0o440 }]);
    expect(p.services.web.configs).toEqual([{ source: 'cfg', target: '/cfg' }, { source: 'cfg', target: '/etc/cfg', uid: '1' }]);
    expect(p.secrets).toEqual({ pw: { name: 'proj_pw', file: path.join(dir, 'pw.txt') } });
    expect(p.configs).toEqual({ cfg: { name: 'given', content: 'hello' } });
  });
});

describe('networks, depends_on and names', () => {
  it('puts a service without networks on the default network, named for the project', () => {
    const p = normalizeProject(raw({ services: { web: { image: 'busybox' }, host: { image: 'busybox', network_mode: 'host' } } }), []);
    expect(p.services.web.networks).toEqual({ default: null });
    expect(p.services.host.networks).toBeUndefined();
    expect(p.networks).toEqual({ default: { name: 'proj_default' } });
  });

  it('names networks and volumes: prefixed, given, or external', () => {
    const p = normalizeProject(raw({
      services: { web: { image: 'busybox', networks: ['front', 'back', 'ext', 'legacy'], volumes: ['data:/d', 'named:/n', 'outside:/o'] } },
      networks: { front: { driver: 'bridge', labels: ['a=b'] }, back: { name: 'custom', internal: true }, ext: { external: true }, legacy: { external: { name: 'old' } }, unused: {} },
      volumes: { data: {}, named: { name: 'kept' }, outside: { external: true, name: 'real' } },
    }), []);
    expect(p.networks).toEqual({
      back: { name: 'custom', internal: true },
      ext: { name: 'ext', external: true },
      front: { name: 'proj_front', driver: 'bridge', labels: { a: 'b' } },
      legacy: { name: 'old', external: true },
    });
    expect(p.volumes).toEqual({ data: { name: 'proj_data' }, named: { name: 'kept' }, outside: { name: 'real', external: true } });
    expect(p.services.web.networks).toEqual({ front: null, back: null, ext: null, legacy: null });
  });

  it('reads networks long form', () => {
    const p = normalizeProject(raw({ services: { web: { image: 'busybox', networks: { net: { aliases: ['w'], ipv4_address: '10.1.0.5' } } } }, networks: { net: { ipam: { config: [{ subnet: '10.1.0.0/24' }] } } } }), []);
    expect(p.services.web.networks).toEqual({ net: { aliases: ['w'], ipv4_address: '10.1.0.5' } });
    expect(p.networks.net.ipam).toEqual({ config: [{ subnet: '10.1.0.0/24' }] });
  });

  it('makes a depends_on list a map with the defaults, and links depend too', () => {
    const p = normalizeProject(raw({
      services: {
        web: { image: 'busybox', depends_on: ['db'], links: ['cache:c'] },
        api: { image: 'busybox', depends_on: { db: { condition: 'service_healthy', restart: true } } },
        db: { image: 'busybox' },
        cache: { image: 'busybox' },
      },
    }), []);
    expect(p.services.web.depends_on).toEqual({ db: { condition: 'service_started', required: true, restart: false }, cache: { condition: 'service_started', required: true, restart: true } });
    expect(p.services.api.depends_on).toEqual({ db: { condition: 'service_healthy', required: true, restart: true } });
  });
});

describe('profiles', () => {
  const dict = {
    services: {
      web: { image: 'busybox', depends_on: { tools: { condition: 'service_started', required: false } } },
      tools: { image: 'busybox', profiles: ['debug'] },
      docs: { image: 'busybox', profiles: ['docs', 'debug'], volumes: ['docvol:/d'] },
    },
    volumes: { docvol: {} },
  };

  it('leaves out services whose profiles are all inactive', () => {
    const p = normalizeProject(raw(dict), []);
    expect(Object.keys(p.services)).toEqual(['web']);
    expect(Object.keys(p.disabledServices).sort()).toEqual(['docs', 'tools']);
    expect(p.allProfiles).toEqual(['debug', 'docs']);
    // The volume only a disabled service uses is not the project's (Compose's WithoutUnnecessaryResources).
    expect(p.volumes).toEqual({});
  });

  it('enables them by profile, or all with *', () => {
    expect(Object.keys(normalizeProject(raw(dict), ['docs']).services)).toEqual(['docs', 'web']);
    expect(Object.keys(normalizeProject(raw(dict), ['*']).services)).toEqual(['docs', 'tools', 'web']);
    expect(normalizeProject(raw(dict), ['docs']).volumes).toEqual({ docvol: { name: 'proj_docvol' } });
    expect(serviceEnabled({ profiles: ['a'] }, ['b'])).toBe(false);
    expect(serviceEnabled({}, [])).toBe(true);
  });

  it('refuses a required dependency on a disabled service, naming both', () => {
    const d = { services: { web: { image: 'busybox', depends_on: ['tools'] }, tools: { image: 'busybox', profiles: ['debug'] } } };
    expect(() => normalizeProject(raw(d), [])).toThrow('services.web.depends_on: service "web" depends on service "tools", which is disabled by its profiles: activate one with --profile debug, or set required: false');
    expect(Object.keys(normalizeProject(raw(d), ['debug']).services)).toEqual(['tools', 'web']);
  });
});

describe('undefined references name file and line', () => {
  const where = (p: string[]): SourceRef | undefined => {
    const lines: Record<string, number> = { 'services.web': 2, 'services.web.depends_on': 5, 'services.web.volumes.0': 8 };
    const line = lines[p.join('.')];
    return line === undefined ? undefined : { file: '/p/compose.yaml', line };
  };
  const fails = (dict: Record<string, unknown>) => () => normalizeProject(raw(dict, { where }), []);

  it('depends_on an undefined service', () => {
    expect(fails({ services: { web: { image: 'b', depends_on: ['db'] } } })).toThrow('/p/compose.yaml:5: services.web.depends_on: service "db" is not defined');
  });

  it('falls back to the nearest located parent key', () => {
    expect(fails({ services: { web: { image: 'b', networks: ['nope'] } } })).toThrow('/p/compose.yaml:2: services.web.networks.nope: network "nope" is not defined');
    expect(fails({ services: { web: { image: 'b', links: ['gone'] } } })).toThrow('/p/compose.yaml:2: services.web.links: service "gone" is not defined');
    expect(fails({ services: { web: { image: 'b', network_mode: 'service:gone' } } })).toThrow('services.web.network_mode: service "gone" is not defined');
  });

  it('volumes, secrets and configs not defined at the top level', () => {
    expect(fails({ services: { web: { image: 'b', volumes: ['data:/d'] } } })).toThrow('/p/compose.yaml:8: services.web.volumes[0]: volume "data" is not defined');
    expect(fails({ services: { web: { image: 'b', secrets: ['s'] } } })).toThrow('services.web.secrets[0]: secret "s" is not defined');
    expect(fails({ services: { web: { image: 'b', configs: [{ source: 'c' }] } } })).toThrow('services.web.configs[0]: config "c" is not defined');
  });

  it('a service with neither image nor build, and without a location', () => {
    expect(() => normalizeProject(raw({ services: { web: {} } }), [])).toThrow(/^services\.web: service "web" has neither an image nor a build context/);
  });

  it('cycles in depends_on, naming the cycle', () => {
    expect(fails({ services: { a: { image: 'b', depends_on: ['b'] }, b: { image: 'b', depends_on: ['c'] }, c: { image: 'b', depends_on: ['a'] } } })).toThrow('services.c.depends_on: dependency cycle detected: a -> b -> c -> a');
    expect(fails({ services: { a: { image: 'b', depends_on: ['a'] } } })).toThrow('service "a" depends on itself');
  });

  it('throws InvalidArgumentError', () => {
    expect(fails({ services: { web: { image: 'b', depends_on: ['db'] } } })).toThrow(InvalidArgumentError);
  });
});

describe('unsupported keys', () => {
  it('lists what tspod does not act on, for enabled services and used resources only', () => {
    const p = normalizeProject(raw({
      services: {
        web: {
          image: 'busybox',
          develop: { watch: [] },
          blkio_config: { weight: 300 },
          build: { context: '.', cache_from: ['x'] },
          deploy: { placement: { constraints: [] }, update_config: {}, resources: { reservations: { cpus: '1' } } },
          logging: { driver: 'syslog' },
          networks: ['net'],
          volumes: ['v:/v'],
        },
        off: { image: 'busybox', profiles: ['x'], gpus: 'all' },
      },
      networks: { net: { driver: 'overlay' }, unused: { driver: 'macvlan' } },
      volumes: { v: { driver: 'nfs' } },
      models: {},
    }), []);
    expect(p.unsupported).toEqual([
      'models: not supported by tspod (the top-level models section is not implemented)',
      'services.web.develop: not supported by tspod (`compose watch` is not implemented)',
      'services.web.blkio_config: not supported by tspod (block I/O limits are not translated; use tspod run --blkio-weight)',
      "services.web.build.cache_from: not supported by tspod (ignored: tspod's build cache is local)",
      'services.web.deploy.placement: not supported by tspod (a swarm setting; containers run on this host)',
      'services.web.deploy.update_config: not supported by tspod (a swarm setting; `up` recreates changed services)',
      'services.web.deploy.resources.reservations.cpus: not supported by tspod (CPU reservations are not made; use deploy.resources.limits.cpus)',
      'services.web.logging.driver: not supported by tspod (syslog: tspod logs with k8s-file, json-file, journald, none)',
      'networks.net.driver: not supported by tspod (overlay: tspod makes bridge networks)',
      "volumes.v.driver: not supported by tspod (nfs: tspod's volumes use the local driver)",
    ]);
    expect(p.services.web.deploy).toEqual({ resources: { reservations: {} } });
    expect((p.services.web as unknown as Record<string, unknown>).develop).toBeUndefined();
  });

  it('tells services apart by their whole name (names may hold dots)', () => {
    const p = normalizeProject(raw({ services: { web: { image: 'b' }, 'web.v2': { image: 'b', develop: {} }, 'web.off': { image: 'b', profiles: ['x'], develop: {} } } }), []);
    expect(p.unsupported).toEqual(['services.web.v2.develop: not supported by tspod (`compose watch` is not implemented)']);
  });

  it('keeps x- extensions on services and at the top level', () => {
    const p = normalizeProject(raw({ 'x-common': { a: 1 }, services: { web: { image: 'b', 'x-tag': 'v' } } }), []);
    expect(p.extensions).toEqual({ 'x-common': { a: 1 } });
    expect(p.services.web['x-tag']).toBe('v');
    expect(p.unsupported).toEqual([]);
  });
});
