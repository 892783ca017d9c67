import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bindSourcesToCreate, defaultImageName, healthOptions, publishFlag, pullFlag, restartPolicy, serviceContainerName, serviceCreateOptions, serviceScale, type ServiceCreateOpts } from '../../../../libpod/compose/translate-service';
import { serviceConfigHash } from '../../../../libpod/compose/config-hash';
import type { Project, ServiceConfig } from '../../../../libpod/compose/types';
import { healthCheck } from '../../../../libpod/container/health-flags';
import { parseLabels } from '../../../../libpod/container/create-spec';
import { parseRestartPolicy } from '../../../../libpod/container/container';
import { parseUlimits } from '../../../../libpod/container/process-flags';
import { parseResources } from '../../../../libpod/container/resource-flags';
import { parseDevice } from '../../../../libpod/container/security-flags';
import { parsePublish } from '../../../../libpod/network/network-spec';
import { parseMountFlag, parseTmpfsFlag } from '../../../../libpod/volume/volume-spec';
import { processArgs } from '../../../../libpod/oci/spec';
import { progress, project } from './helpers';

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-translate-'));
  fs.mkdirSync(path.join(dir, 'site'));
  fs.writeFileSync(path.join(dir, 'token.txt'), 'x');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function create(p: Project, name: string, number = 1, over: Partial<ServiceCreateOpts> = {}) {
  const warnings: string[] = [];
  const s = p.services[name];
  const c = serviceCreateOptions(p, s, number, { configHash: serviceConfigHash(s), progress, warn: (m) => warnings.push(m), ...over });
  return { c, warnings };
}

/** The labels given as a map (create's own parse of --label). */
const labelsOf = (c: { labels: string[] }) => parseLabels(c.labels);

describe('serviceCreateOptions: the seeds project', () => {
  const p = () =>
    project(
      {
        wordpress: {
          image: 'wordpress',
          ports: [{ target: 80, published: '8080', protocol: 'tcp' }],
          environment: { WORDPRESS_DB_HOST: 'mysql', WORDPRESS_DB_PASSWORD: 'secret' },
          networks: { new_bridge: null },
          depends_on: { mysql: { condition: 'service_healthy', required: true, restart: false } },
        },
        mysql: {
          image: 'mysql:8',
          volumes: [{ type: 'volume', source: 'db_data', target: '/var/lib/mysql' }],
          networks: { new_bridge: { aliases: ['database'] } },
          restart: 'always',
        },
      },
      { networks: { new_bridge: { name: 'demo_new_bridge' } }, volumes: { db_data: { name: 'demo_db_data' } } },
    );

  it('names, labels, publishes and networks the web container', () => {
    const { c } = create(p(), 'wordpress');
    expect(c).toMatchObject({
      image: 'wordpress',
      name: 'demo-wordpress-1',
      command: [],
      env: ['WORDPRESS_DB_HOST=mysql', 'WORDPRESS_DB_PASSWORD=secret'],
      publish: ['8080:80/tcp'],
      network: 'demo_new_bridge',
      networkAliases: ['wordpress', 'demo-wordpress-1'],
      pull: 'missing',
      replace: false,
      rm: false,
      readOnly: false,
      init: false,
      interactive: false,
      tty: false,
      createCommand: ['tspod', 'compose', 'up', 'wordpress'],
      createCwd: '/srv/demo',
    });
    expect(c.entrypoint).toBeUndefined();
    expect(c.restart).toBeUndefined();
    const l = labelsOf(c);
    expect(l['com.docker.compose.service']).toBe('wordpress');
    expect(l['com.docker.compose.container-number']).toBe('1');
    expect(l['com.docker.compose.depends_on']).toBe('mysql:service_healthy:false');
    expect(l['com.docker.compose.config-hash']).toBe(serviceConfigHash(p().services.wordpress));
  });

  it('mounts the named volume by its real name and gives the aliases of the network', () => {
    const { c } = create(p(), 'mysql', 2);
    expect(c.name).toBe('demo-mysql-2');
    expect(c.mounts).toEqual(['type=volume,source=demo_db_data,target=/var/lib/mysql']);
    expect(parseMountFlag(c.mounts![0])).toMatchObject({ type: 'volume', source: 'demo_db_data', destination: '/var/lib/mysql', readOnly: false });
    expect(c.networkAliases).toEqual(['mysql', 'demo-mysql-2', 'database']);
    expect(c.restart).toBe('always');
  });

  it('puts a service without networks on <project>_default', () => {
    const q = project({ web: { image: 'busybox' } }, { networks: {} });
    expect(create(q, 'web').c.network).toBe('demo_default');
    const r = project({ web: { image: 'busybox' } }, { networks: { default: { name: 'custom_net' } } });
    expect(create(r, 'web').c.network).toBe('custom_net');
  });
});

describe('serviceCreateOptions: every field', () => {
  const full = (): Project =>
    project(
      {
        app: {
          build: { context: '/srv/demo/app' },
          command: ['serve', '--port', '80'],
          entrypoint: ['/bin/sh', '-c'],
          environment: { SET: 'yes', FROM_PROJECT: null, FROM_NOWHERE: null, EMPTY: '' },
          ports: [
            { target: 80, published: '8080', protocol: 'tcp' },
            { target: 53, protocol: 'udp', host_ip: '127.0.0.1' },
            { target: 9000, published: '9000', host_ip: '::1', protocol: 'tcp' },
            { target: 443, published: '8443-8443' },
          ],
          expose: ['3000', '4000-4001/udp'],
          volumes: [
            { type: 'bind', source: path.join(dir, 'site'), target: '/srv', read_only: true, bind: { propagation: 'rslave', selinux: 'z' } },
            { type: 'volume', target: '/cache' },
            { type: 'volume', source: 'data', target: '/data', volume: { subpath: 'app', nocopy: true } },
            { type: 'tmpfs', target: '/scratch', tmpfs: { size: 1048576, mode: 0o1777 } },
          ],
          tmpfs: ['/run:size=64m'],
          networks: { front: { aliases: ['www'], priority: 10 }, back: { aliases: ['api'], ipv4_address: '10.89.7.10' } },
          healthcheck: { test: ['CMD', 'wget', '-q', 'http://localhost/'], interval: '5s', timeout: '2s', retries: 3, start_period: '10s', start_interval: '1s' },
          deploy: { replicas: 2, restart_policy: { condition: 'on-failure', max_attempts: 4 }, resources: { limits: { cpus: 0.5, memory: 268435456, pids: 100 }, reservations: { memory: 67108864, cpus: 0.25 } } },
          labels: { tier: 'back' },
          user: '1000:1000',
          working_dir: '/app',
          hostname: 'app-host',
          domainname: 'example.org',
          extra_hosts: { 'db.local': ['10.0.0.5'], gw: ['host-gateway'], v6: ['::1'] },
          dns: ['1.1.1.1'],
          dns_search: ['example.org'],
          dns_opt: ['ndots:2'],
          cap_add: ['NET_ADMIN'],
          cap_drop: ['MKNOD'],
          privileged: true,
          read_only: true,
          init: true,
          stop_signal: 'SIGINT',
          stop_grace_period: '1m30.5s',
          ulimits: { nofile: { soft: 1024, hard: 4096 }, nproc: 512 },
          sysctls: { 'net.core.somaxconn': '1024' },
          shm_size: 134217728,
          tty: true,
          stdin_open: true,
          secrets: [{ source: 'token', target: 'token' }],
          configs: [{ source: 'conf', target: '/etc/app.conf' }],
          logging: { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3', tag: null } },
          platform: 'linux/amd64',
          pid: 'host',
          ipc: 'service:db',
          devices: [{ source: '/dev/fuse', target: '/dev/fuse', permissions: 'rwm' }, { source: '/dev/null', target: '/dev/mynull' }],
          group_add: ['audio'],
          security_opt: ['no-new-privileges:true', 'label=disable', 'seccomp:unconfined'],
          userns_mode: 'keep-id',
          links: ['db', 'db:database'],
          external_links: ['legacy:old'],
          mac_address: '02:42:0a:59:07:0a',
          annotations: { 'io.example/owner': 'ops' },
          pull_policy: 'build',
        },
        db: { image: 'busybox', container_name: 'the-db' },
      },
      {
        environment: { FROM_PROJECT: 'p' },
        networks: { default: { name: 'demo_default' }, front: { name: 'demo_front' }, back: { name: 'demo_back' } },
        volumes: { data: { name: 'demo_data' } },
        secrets: { token: { name: 'demo_token', file: path.join(dir, 'token.txt') } },
        configs: { conf: { name: 'demo_conf', content: 'x=1\n' } },
      },
    );

  const materialize = (name: string) => `/run/tspod/compose/${name}`;

  it('maps each field to the flag create takes', () => {
    const { c, warnings } = create(full(), 'app', 1, { materialize });
    expect(c.image).toBe(defaultImageName('demo', 'app'));
    expect(c.command).toEqual(['serve', '--port', '80']);
    expect(c.entrypoint).toBe('["/bin/sh","-c"]');
    expect(processArgs({}, c.command, JSON.parse(c.entrypoint!))).toEqual(['/bin/sh', '-c', 'serve', '--port', '80']);
    expect(c.env).toEqual(['SET=yes', 'FROM_PROJECT=p', 'EMPTY=']);
    expect(c.publish).toEqual(['8080:80/tcp', '127.0.0.1::53/udp', '[::1]:9000:9000/tcp', '8443:443/tcp']);
    expect(c.expose).toEqual(['3000', '4000-4001/udp']);
    expect(c.mounts).toEqual([
      `type=bind,source=${path.join(dir, 'site')},target=/srv,readonly,bind-propagation=rslave,z`,
      'type=volume,target=/cache',
      'type=volume,source=demo_data,target=/data,volume-nocopy,subpath=app',
      'type=tmpfs,target=/scratch,tmpfs-size=1048576,tmpfs-mode=1777',
      `type=bind,source=${path.join(dir, 'token.txt')},target=/run/secrets/token,readonly`,
      'type=bind,source=/run/tspod/compose/demo_conf,target=/etc/app.conf,readonly',
    ]);
    expect(c.tmpfs).toEqual(['/run:size=64m']);
    expect(c.network).toBe('demo_back,demo_front');
    expect(c.ip).toBe('10.89.7.10');
    expect(c.macAddress).toBe('02:42:0a:59:07:0a');
    expect(c.networkAliases).toEqual(['app', 'demo-app-1', 'api', 'www']);
    expect(c.health).toEqual({ cmd: '["CMD","wget","-q","http://localhost/"]', interval: '5s', timeout: '2s', retries: '3', startPeriod: '10s', startInterval: '1s' });
    expect(c.restart).toBe('on-failure:4');
    expect(c.resources).toEqual({ cpus: '0.5', memory: '268435456', pidsLimit: '100', memoryReservation: '67108864' });
    expect(labelsOf(c).tier).toBe('back');
    expect(c.user).toBe('1000:1000');
    expect(c.workdir).toBe('/app');
    expect(c.hostname).toBe('app-host');
    expect(c.addHosts).toEqual(['db.local:10.0.0.5', 'gw:host-gateway', 'v6:::1']);
    expect(c.dns).toEqual(['1.1.1.1']);
    expect(c.dnsSearch).toEqual(['example.org']);
    expect(c.dnsOptions).toEqual(['ndots:2']);
    expect(c.capAdd).toEqual(['NET_ADMIN']);
    expect(c.capDrop).toEqual(['MKNOD']);
    expect(c.readOnly).toBe(true);
    expect(c.init).toBe(true);
    expect(c.stopSignal).toBe('SIGINT');
    expect(c.stopTimeout).toBe(90);
    expect(c.ulimits).toEqual(['nofile=1024:4096', 'nproc=512:512']);
    expect(c.sysctls).toEqual(['net.core.somaxconn=1024']);
    expect(c.shmSize).toBe('134217728');
    expect(c.tty).toBe(true);
    expect(c.interactive).toBe(true);
    expect(c.logsSecrets).toEqual({ logDriver: 'json-file', logOpts: ['max-size=10m'], secrets: [], rootfs: false, envMerge: [], httpProxy: true });
    expect(c.pulling).toEqual({ platform: 'linux/amd64' });
    expect(c.security).toEqual({ privileged: true, devices: ['/dev/fuse:/dev/fuse:rwm', '/dev/null:/dev/mynull'], pid: 'host', ipc: 'container:the-db' });
    expect(c.userns).toEqual({ userns: 'keep-id', uidmap: [], gidmap: [], groupAdd: ['audio'], hostuser: [], passwd: true });
    expect(c.securityOpt).toEqual(['no-new-privileges=true', 'label=disable', 'seccomp=unconfined']);
    expect(c.links).toEqual({ link: ['the-db:db', 'the-db:database', 'legacy:old'], linkLocalIp: [] });
    expect(c.annotations).toEqual(['io.example/owner=ops']);
    expect(c.pull).toBe('never');
    expect(warnings).toEqual([
      'services.app.domainname: not applied: tspod has no --domainname; give the full name as hostname instead',
      "services.app.deploy.resources.reservations.cpus: not applied: a CPU reservation is a scheduler's hint (Docker Compose ignores it too)",
      "services.app.logging.options.max-file: not applied: tspod's log takes path, max-size and tag",
    ]);
  });

  it('gives strings that create\'s own parsers read back as meant', () => {
    const { c } = create(full(), 'app', 1, { materialize });
    expect(c.publish!.flatMap((p) => parsePublish(p))).toEqual([
      { hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 1 },
      { hostIp: '127.0.0.1', hostPort: 0, containerPort: 53, protocol: 'udp', range: 1 },
      { hostIp: '::1', hostPort: 9000, containerPort: 9000, protocol: 'tcp', range: 1 },
      { hostIp: '', hostPort: 8443, containerPort: 443, protocol: 'tcp', range: 1 },
    ]);
    const mounts = c.mounts!.map((m) => parseMountFlag(m));
    expect(mounts[0]).toMatchObject({ type: 'bind', source: path.join(dir, 'site'), destination: '/srv', readOnly: true, propagation: 'rslave' });
    expect(mounts[1]).toMatchObject({ type: 'volume', source: '', anonymous: true, destination: '/cache' });
    expect(mounts[2]).toMatchObject({ type: 'volume', source: 'demo_data', destination: '/data', noCopy: true, subpath: '/app' });
    expect(mounts[3]).toMatchObject({ type: 'tmpfs', destination: '/scratch', tmpfsOptions: ['size=1048576', 'mode=1777'] });
    expect(mounts[4]).toMatchObject({ type: 'bind', destination: '/run/secrets/token', readOnly: true });
    expect(parseTmpfsFlag(c.tmpfs![0])).toMatchObject({ destination: '/run', tmpfsOptions: ['size=64m'] });
    expect(healthCheck(c.health, undefined)).toMatchObject({ test: ['CMD', 'wget', '-q', 'http://localhost/'], intervalMs: 5000, timeoutMs: 2000, startPeriodMs: 10000, startIntervalMs: 1000, retries: 3 });
    expect(parseResources(c.resources!)).toMatchObject({ memory: 268435456, memoryReservation: 67108864, cpuQuota: 50000, cpuPeriod: 100000, pidsLimit: 100 });
    expect(parseUlimits(c.ulimits!, () => '')).toEqual([
      { type: 'RLIMIT_NOFILE', soft: 1024, hard: 4096 },
      { type: 'RLIMIT_NPROC', soft: 512, hard: 512 },
    ]);
    expect(parseRestartPolicy(c.restart)).toEqual({ name: 'on-failure', maxRetries: 4 });
    expect(c.security!.devices!.map(parseDevice)[1]).toEqual({ source: '/dev/null', destination: '/dev/mynull', permissions: 'rwm' });
  });

  it('lists the bind sources up creates, leaving out create_host_path: false', () => {
    const q = project({ web: { image: 'busybox', volumes: [{ type: 'bind', source: '/srv/demo/logs', target: '/logs' }, { type: 'bind', source: '/srv/demo/logs', target: '/logs2' }, { type: 'bind', source: '/etc/ro', target: '/ro', bind: { create_host_path: false } }, { type: 'volume', source: 'v', target: '/v' }] } });
    expect(bindSourcesToCreate(q, q.services.web)).toEqual(['/srv/demo/logs']);
    expect(bindSourcesToCreate(full(), full().services.app)).toEqual([path.join(dir, 'site')]);
  });

  it('refuses a missing bind source whose create_host_path is false', () => {
    const q = project({ web: { image: 'busybox', volumes: [{ type: 'bind', source: path.join(dir, 'absent'), target: '/x', bind: { create_host_path: false } }] } });
    expect(() => create(q, 'web')).toThrow(`services.web.volumes[0]: bind source ${path.join(dir, 'absent')} does not exist and create_host_path is false: create it first`);
    const made = project({ web: { image: 'busybox', volumes: [{ type: 'bind', source: path.join(dir, 'site'), target: '/x', bind: { create_host_path: false } }] } });
    expect(create(made, 'web').c.mounts).toEqual([`type=bind,source=${path.join(dir, 'site')},target=/x`]);
  });

  it('refuses content secrets when nothing writes them', () => {
    expect(() => create(full(), 'app')).toThrow('services.app: config "conf" has inline content, and nothing was given to write it to a file');
  });
});

describe('serviceCreateOptions: names', () => {
  it('names replicas <project>-<service>-<n>, or container_name', () => {
    const p = project({ web: { image: 'busybox' }, db: { image: 'busybox', container_name: 'database' } });
    expect(create(p, 'web', 3).c.name).toBe('demo-web-3');
    expect(create(p, 'db').c.name).toBe('database');
    expect(serviceContainerName(p, p.services.db, 1)).toBe('database');
  });

  it('refuses container_name with more than one container', () => {
    const p = project({ db: { image: 'busybox', container_name: 'database', deploy: { replicas: 2 } }, one: { image: 'busybox', container_name: 'only' } });
    expect(() => create(p, 'db')).toThrow('services.db.container_name: "database" names one container, but the service is scaled to 2: container names must be unique');
    expect(() => create(p, 'one', 2)).toThrow('scaled to 2');
  });

  it('names a one-off container <project>-<service>-run-<12 hex> with its slug, no number, no restart policy and no service aliases', () => {
    const p = project({ web: { image: 'busybox', restart: 'always', deploy: { restart_policy: { condition: 'any' } }, networks: { default: { aliases: ['w'] } } } });
    const { c } = create(p, 'web', 1, { oneoff: true });
    expect(c.name).toMatch(/^demo-web-run-[0-9a-f]{12}$/);
    const l = labelsOf(c);
    expect(l['com.docker.compose.oneoff']).toBe('True');
    expect(l['com.docker.compose.slug'].slice(0, 12)).toBe(c.name!.slice(-12));
    expect(l['com.docker.compose.container-number']).toBeUndefined();
    expect(c.restart).toBeUndefined();
    expect(c.networkAliases).toEqual([c.name]);
    expect(c.createCommand).toEqual(['tspod', 'compose', 'run', 'web']);
    expect(create(p, 'web', 1, { oneoff: true }).c.name).not.toBe(c.name);
    expect(create(p, 'web', 1, { oneoff: true, name: 'mine', useAliases: true }).c).toMatchObject({ name: 'mine', networkAliases: ['web', 'mine', 'w'] });
  });

  it('refuses a name create would refuse', () => {
    const p = project({ web: { image: 'busybox', container_name: 'bad name' } });
    expect(() => create(p, 'web')).toThrow('services.web: invalid container name "bad name"');
  });

  it('refuses a service with neither image nor build', () => {
    const p = project({ web: {} });
    expect(() => create(p, 'web')).toThrow('services.web: neither image nor build is given');
  });

  it('counts scale, then deploy.replicas, then 1', () => {
    expect(serviceScale({ name: 'a', scale: 4, deploy: { replicas: 2 } })).toBe(4);
    expect(serviceScale({ name: 'a', deploy: { replicas: 2 } })).toBe(2);
    expect(serviceScale({ name: 'a' })).toBe(1);
  });
});

describe('serviceCreateOptions: network modes', () => {
  it('takes host, none, bridge and container: as they are; service: as its container', () => {
    const mode = (network_mode: string) => {
      const p = project({ web: { image: 'busybox', network_mode }, db: { image: 'busybox' } });
      return create(p, 'web').c;
    };
    expect(mode('host')).toMatchObject({ network: 'host' });
    expect(mode('host').networkAliases).toBeUndefined();
    expect(mode('none').network).toBe('none');
    expect(mode('bridge').network).toBe('bridge');
    expect(mode('container:other').network).toBe('container:other');
    expect(mode('service:db').network).toBe('container:demo-db-1');
    const p = project({ web: { image: 'busybox', network_mode: 'service:db' }, db: { image: 'busybox' } });
    expect(create(p, 'web', 1, { containerOf: (s) => `${s}-live` }).c.network).toBe('container:db-live');
  });

  it('refuses ports where the container has no network of its own, and network_mode with networks', () => {
    const p = project({ web: { image: 'busybox', network_mode: 'host', ports: [{ target: 80, published: '80' }] } });
    expect(() => create(p, 'web')).toThrow("services.web.ports: ports cannot be published with network_mode host: the container uses the host's ports directly");
    const q = project({ web: { image: 'busybox', network_mode: 'host', networks: { default: null } } });
    expect(() => create(q, 'web')).toThrow('services.web.network_mode: network_mode and networks cannot be set together');
    // Any other value names a network, as the Engine API takes it (create checks it is there).
    const r = project({ web: { image: 'busybox', network_mode: 'shared_net' } });
    expect(create(r, 'web').c.network).toBe('shared_net');
    const t = project({ web: { image: 'busybox', network_mode: 'slirp4netns:mtu=abc' } });
    expect(() => create(t, 'web')).toThrow('services.web.network_mode: slirp4netns option mtu takes a number, not "abc"');
    const s = project({ web: { image: 'busybox', network_mode: 'service:ghost' } });
    expect(() => create(s, 'web')).toThrow('service "ghost" is not in the project');
  });

  it('refuses fixed addresses on two networks and an undeclared network', () => {
    const p = project({ web: { image: 'busybox', networks: { a: { ipv4_address: '10.0.0.2' }, b: { ipv4_address: '10.0.1.2' } } } }, { networks: { a: { name: 'a' }, b: { name: 'b' } } });
    expect(() => create(p, 'web')).toThrow('services.web.networks: ipv4_address is given on a and b: tspod gives a fixed address on one network only');
    const q = project({ web: { image: 'busybox', networks: { ghost: null } } });
    expect(() => create(q, 'web')).toThrow('services.web.networks.ghost: network "ghost" is not declared');
  });

  it('orders networks by priority, then name', () => {
    const p = project({ web: { image: 'busybox', networks: { b: null, a: null, c: { priority: 5 } } } }, { networks: { a: { name: 'x_a' }, b: { name: 'x_b' }, c: { name: 'x_c' } } });
    expect(create(p, 'web').c.network).toBe('x_c,x_a,x_b');
  });
});

describe('serviceCreateOptions: healthcheck, restart and pull', () => {
  it('takes CMD, CMD-SHELL, NONE and disable as the health flags do', () => {
    expect(healthCheck(healthOptions({ test: ['CMD-SHELL', 'wget -q localhost || exit 1'] }), undefined)?.test).toEqual(['CMD-SHELL', 'wget -q localhost || exit 1']);
    expect(healthCheck(healthOptions({ test: ['CMD-SHELL', '[ -f /ready ]'] }), undefined)?.test).toEqual(['CMD-SHELL', '[ -f /ready ]']);
    expect(healthCheck(healthOptions({ test: ['CMD', 'true'] }), undefined)?.test).toEqual(['CMD', 'true']);
    expect(healthOptions({ test: ['NONE'] })).toEqual({ none: true });
    expect(healthOptions({ test: ['CMD', 'true'], disable: true })).toEqual({ none: true });
    expect(healthCheck(healthOptions({ disable: true }), { Test: ['CMD', 'true'] })).toBeUndefined();
    // No test: the image's, with the file's timing.
    expect(healthCheck(healthOptions({ interval: '3s' }), { Test: ['CMD', 'true'] })).toMatchObject({ test: ['CMD', 'true'], intervalMs: 3000 });
    expect(healthOptions(undefined)).toBeUndefined();
  });

  it('refuses a healthcheck the health flags refuse, naming the key', () => {
    const p = project({ web: { image: 'busybox', healthcheck: { test: ['CMD', 'true'], interval: '10q' } } });
    expect(() => create(p, 'web')).toThrow('services.web.healthcheck: invalid --health-interval "10q"');
    const q = project({ web: { image: 'busybox', healthcheck: { test: ['CMD', 'true'], timeout: '500ms' } } });
    expect(() => create(q, 'web')).toThrow('services.web.healthcheck: invalid --health-timeout "500ms": it must be at least 1 second');
    const r = project({ web: { image: 'busybox', healthcheck: { test: ['CMD', 'true'], start_interval: '1s' } } });
    expect(() => create(r, 'web')).toThrow('services.web.healthcheck.start_interval: it needs start_period too');
  });

  it('takes zero durations and retries as the defaults, as the Engine does', () => {
    expect(healthOptions({ test: ['CMD', 'true'], interval: '0s', timeout: '0', retries: 0, start_period: '0s' })).toEqual({ cmd: '["CMD","true"]' });
    expect(healthCheck(healthOptions({ test: ['CMD', 'true'], retries: 0 }), undefined)).toMatchObject({ retries: 3, intervalMs: 30000 });
  });

  it('takes restart values and deploy.restart_policy (which wins)', () => {
    const r = (s: Partial<ServiceConfig>) => restartPolicy({ name: 'web', ...s });
    expect(r({})).toBeUndefined();
    expect(r({ restart: 'no' })).toBe('no');
    expect(r({ restart: 'unless-stopped' })).toBe('unless-stopped');
    expect(r({ restart: 'on-failure:3' })).toBe('on-failure:3');
    expect(r({ restart: 'always', deploy: { restart_policy: { condition: 'none' } } })).toBe('no');
    expect(r({ deploy: { restart_policy: { condition: 'any', max_attempts: 2 } } })).toBe('always');
    expect(r({ deploy: { restart_policy: { condition: 'on-failure' } } })).toBe('on-failure');
    expect(r({ deploy: { restart_policy: {} } })).toBe('no');
    expect(() => r({ restart: 'sometimes' })).toThrow('services.web.restart: invalid restart policy "sometimes": use no, always, on-failure[:max-retries] or unless-stopped');
    expect(() => r({ restart: 'always:3' })).toThrow('invalid restart policy "always:3"');
    expect(() => r({ deploy: { restart_policy: { condition: 'maybe' as 'any' } } })).toThrow('services.web.deploy.restart_policy.condition: "maybe" is not a condition');
  });

  it('maps pull_policy to --pull', () => {
    const pull = (pull_policy?: ServiceConfig['pull_policy']) => pullFlag({ name: 'web', pull_policy });
    expect([pull(), pull('missing'), pull('if_not_present'), pull('always'), pull('never'), pull('build'), pull('daily'), pull('weekly')]).toEqual(['missing', 'missing', 'missing', 'always', 'never', 'never', 'newer', 'newer']);
    expect(() => pull('often' as 'always')).toThrow('services.web.pull_policy: "often" is not a pull policy');
  });
});

describe('serviceCreateOptions: refusals with the key', () => {
  const refuse = (s: Omit<ServiceConfig, 'name'>, message: string, over: Partial<Project> = {}) => {
    const p = project({ web: { image: 'busybox', ...s } }, over);
    expect(() => create(p, 'web')).toThrow(message);
  };

  it('refuses ports, mounts and other values create would refuse', () => {
    refuse({ ports: [{ target: 80, published: '8000-8010' }] }, 'services.web.ports[0]: a range of host ports (8000-8010) for one container port (80) is not supported');
    refuse({ ports: [{ target: 70000 }] }, 'services.web.ports: invalid container port "70000"');
    refuse({ volumes: [{ type: 'volume', source: 'nope', target: '/x' }] }, 'services.web.volumes[0]: volume "nope" is not declared');
    refuse({ volumes: [{ type: 'npipe', source: 'x', target: '/x' }] }, 'services.web.volumes[0]: volumes of type npipe are not supported');
    refuse({ volumes: [{ type: 'volume', target: 'relative' }] }, 'services.web.volumes: invalid --mount type=volume,target=relative: the container path "relative" must be absolute');
    refuse({ volumes: [{ type: 'volume', target: '/x' }], tmpfs: ['/x'] }, 'services.web.volumes: /x: duplicate mount destination');
    refuse({ volumes: [{ type: 'bind', source: '/a,b', target: '/x' }] }, 'services.web.volumes[0]: the source "/a,b" holds a comma');
    refuse({ volumes: [{ type: 'bind', source: '/srv', target: '/x', bind: { propagation: 'sideways' } }] }, 'services.web.volumes[0].bind.propagation: "sideways" is not a propagation');
    refuse({ cap_add: ['NOT_A_CAP'] }, 'services.web.cap_add:');
    refuse({ stop_signal: 'SIGNOPE' }, 'services.web.stop_signal:');
    refuse({ stop_grace_period: 'soon' }, 'services.web.stop_grace_period: invalid duration "soon"');
    refuse({ ulimits: { nofiles: 5 } }, 'services.web.ulimits: ulimit option "nofiles=5:5" requires name=SOFT:HARD, failed to be parsed: invalid ulimit type: nofiles');
    refuse({ ulimits: { nofile: { soft: 10, hard: 5 } } }, 'services.web.ulimits: ulimit option "nofile=10:5"');
    refuse({ sysctls: { 'kernel.panic': '1' } }, "services.web.sysctls: sysctl 'kernel.panic' is not allowed");
    refuse({ network_mode: 'host', sysctls: { 'net.core.somaxconn': '1' } }, "services.web.sysctls: sysctl net.core.somaxconn=1 can't be set since Network Namespace set to host");
    refuse({ extra_hosts: { db: ['not-an-ip'] } }, 'services.web.extra_hosts: invalid --add-host "db:not-an-ip"');
    refuse({ dns: ['dns.example'] }, 'services.web.dns: invalid --dns "dns.example"');
    refuse({ devices: [{ source: '/dev/fuse', target: '/dev/fuse', permissions: 'x' }] }, 'services.web.devices: invalid device mode "x"');
    refuse({ user: '99999999999' }, 'services.web.user: invalid user "99999999999"');
    refuse({ logging: { driver: 'syslog' } }, 'services.web.logging: invalid log driver "syslog"');
    refuse({ logging: { driver: 'journald' } }, 'services.web.logging: the journald log driver is not supported');
    refuse({ platform: 'linux' }, 'services.web.platform: invalid platform "linux"');
    refuse({ deploy: { resources: { limits: { memory: 1024 }, reservations: { memory: 4096 } } } }, 'services.web.deploy.resources: minimum memory limit cannot be less than memory reservation limit');
    refuse({ shm_size: 0 }, 'services.web.shm_size: unable to translate --shm-size: 0');
    refuse({ annotations: { '': 'x' } }, 'services.web.annotations: annotations must be formatted KEY=VALUE');
  });
});

describe('serviceCreateOptions: volumes, secrets and the rest', () => {
  it('binds a volume declared as a local bind of a host directory (with its subpath)', () => {
    const p = project({ web: { image: 'busybox', volumes: [{ type: 'volume', source: 'site', target: '/srv', read_only: true, volume: { subpath: 'public' } }] } }, { volumes: { site: { name: 'demo_site', driver_opts: { type: 'none', o: 'bind', device: '/srv/demo/site' } } } });
    expect(create(p, 'web').c.mounts).toEqual(['type=bind,source=/srv/demo/site/public,target=/srv,readonly']);
  });

  it('gives an external secret from the store as --secret, and lets a volume at the same target win', () => {
    const p = project(
      { web: { image: 'busybox', secrets: [{ source: 'key', target: 'key', mode: 0o400, uid: '33' }, { source: 'shadowed', target: '/data/s' }], volumes: [{ type: 'volume', target: '/data/s' }] } },
      { secrets: { key: { name: 'vault-key', external: true }, shadowed: { name: 'demo_shadowed', file: '/srv/demo/s' } } },
    );
    const { c } = create(p, 'web');
    expect(c.logsSecrets).toEqual({ logOpts: [], rootfs: false, envMerge: [], httpProxy: true, secrets: ['vault-key,type=mount,target=/run/secrets/key,uid=33,mode=400'] });
    expect(c.mounts).toEqual(['type=volume,target=/data/s']);
  });

  it('refuses a secret whose file is missing', () => {
    const p = project({ web: { image: 'busybox', secrets: [{ source: 's', target: 's' }] } }, { secrets: { s: { name: 'demo_s', file: path.join(dir, 'no-such-file') } } });
    expect(() => create(p, 'web')).toThrow(`secrets.s: file ${path.join(dir, 'no-such-file')} does not exist: create it, or correct the path`);
  });

  it('warns that uid, gid and mode of a bound host file are not applied', () => {
    const p = project({ web: { image: 'busybox', secrets: [{ source: 's', target: 's', mode: 0o400 }] } }, { secrets: { s: { name: 'demo_s', file: path.join(dir, 'token.txt') } } });
    expect(create(p, 'web').warnings).toEqual(['services.web.secrets: uid, gid and mode of secret "s" are not applied to a bound host file (as in Docker Compose)']);
  });

  it('drops environment names set nowhere, and takes ours when the project has none', () => {
    const key = 'COMPOSE_TRANSLATE_TEST_VAR';
    process.env[key] = 'ours';
    try {
      const p = project({ web: { image: 'busybox', environment: { [key]: null, UNSET_ANYWHERE_XYZ: null } } });
      expect(create(p, 'web').c.env).toEqual([`${key}=ours`]);
    } finally {
      delete process.env[key];
    }
  });

  it('takes an empty entrypoint as clearing the image\'s, and null command as the image\'s', () => {
    const p = project({ web: { image: 'busybox', entrypoint: [], command: null } });
    const { c } = create(p, 'web');
    expect(c.entrypoint).toBe('[]');
    expect(JSON.parse(c.entrypoint!)).toEqual([]);
    expect(c.command).toEqual([]);
  });

  it('turns a pid/ipc service: into the container and keeps the rest', () => {
    const p = project({ web: { image: 'busybox', pid: 'service:db', ipc: 'shareable' }, db: { image: 'busybox' } });
    expect(create(p, 'web').c.security).toEqual({ pid: 'container:demo-db-1', ipc: 'shareable' });
  });

  it('passes the progress sink, the caller\'s create command and depends_on label through', () => {
    const p = project({ web: { image: 'busybox' } });
    const { c } = create(p, 'web', 1, { createCommand: ['tspod', 'compose', 'up', '-d'], dependsOnLabel: 'x:service_started:false', imageDigest: 'sha256:ab', replace: 'web-1' });
    expect(c.progress).toBe(progress);
    expect(c.createCommand).toEqual(['tspod', 'compose', 'up', '-d']);
    const l = labelsOf(c);
    expect(l['com.docker.compose.depends_on']).toBe('x:service_started:false');
    expect(l['com.docker.compose.image']).toBe('sha256:ab');
    expect(l['com.docker.compose.replace']).toBe('web-1');
  });

  it('reports an IPv6 address, a host-mode port and a local log driver, and carries on', () => {
    const p = project({ web: { image: 'busybox', networks: { default: { ipv6_address: 'fd00::5' } }, ports: [{ target: 80, mode: 'host' }], logging: { driver: 'local' } } });
    const { c, warnings } = create(p, 'web');
    expect(c.logsSecrets?.logDriver).toBe('k8s-file');
    expect(warnings).toEqual([
      'services.web.ports: mode host is a swarm setting: the ports are published as usual',
      "services.web.networks.default.ipv6_address: not applied: tspod's networks have no IPv6 subnets",
      'services.web.logging.driver: "local" is taken as k8s-file, tspod\'s file log',
    ]);
  });

  it('publishes a port without a host port on a free one', () => {
    const s: ServiceConfig = { name: 'web' };
    expect(publishFlag(s, { target: 80 }, 0)).toBe('80/tcp');
    expect(publishFlag(s, { target: 80, host_ip: '0.0.0.0', published: '80', protocol: 'udp' }, 0)).toBe('0.0.0.0:80:80/udp');
  });
});
