import { describe, expect, it } from 'vitest';
import { QuietProgress } from '../../../src/progress';
import { createOptionsFromDocker, healthOptions, imageWithTag, linkFlag, mountFlags, networkFlags, publishFlags, restartFlag, volumeFlags } from '../../../api/docker/container-create';
import { ApiError } from '../../../api/types';

const progress = new QuietProgress();

describe('createOptionsFromDocker', () => {
  it('gives the Config fields as the CLI flags would be given', () => {
    const o = createOptionsFromDocker(
      { Image: 'busybox', Cmd: ['sleep', '5'], Entrypoint: ['/bin/sh', '-c'], Env: ['A=1'], WorkingDir: '/w', User: '1000:1000', Labels: { k: 'v' }, Tty: true, OpenStdin: true, StopSignal: 'SIGINT', StopTimeout: 4, Hostname: 'h', ExposedPorts: { '80/tcp': {} }, Volumes: { '/data': {} } },
      'web',
      { progress },
    );
    expect(o).toMatchObject({ image: 'busybox', name: 'web', command: ['sleep', '5'], entrypoint: '["/bin/sh","-c"]', env: ['A=1'], workdir: '/w', user: '1000:1000', labels: ['k=v'], tty: true, interactive: true, stopSignal: 'SIGINT', stopTimeout: 4, hostname: 'h', expose: ['80/tcp'], volumes: ['/data'], pull: 'never', sdNotify: 'container' });
  });

  it('keeps the CLI defaults where Docker leaves a field out', () => {
    const o = createOptionsFromDocker({ Image: 'busybox' }, undefined, { progress });
    expect(o).toMatchObject({ command: [], env: [], labels: [], readOnly: false, init: false, rm: false, entrypoint: undefined, network: undefined, restart: undefined, publish: [], userns: undefined });
    expect(o.resources).toMatchObject({ memory: undefined, cpus: undefined, pidsLimit: undefined });
    expect(o.security).toMatchObject({ privileged: false, readOnlyTmpfs: true });
    expect(o.logsSecrets).toMatchObject({ httpProxy: true, logDriver: undefined });
  });

  it('clears the entrypoint for [""] and "" as --entrypoint "" does', () => {
    expect(createOptionsFromDocker({ Image: 'b', Entrypoint: [''] }, undefined, { progress }).entrypoint).toBe('');
    expect(createOptionsFromDocker({ Image: 'b', Entrypoint: '' }, undefined, { progress }).entrypoint).toBe('');
  });

  it('gives HostConfig as the host flags', () => {
    const o = createOptionsFromDocker(
      {
        Image: 'busybox',
        HostConfig: {
          Binds: ['/h:/c:ro'], AutoRemove: true, Privileged: true, CapAdd: ['NET_ADMIN'], CapDrop: ['CHOWN'], SecurityOpt: ['no-new-privileges'], Dns: ['1.1.1.1'], DnsSearch: ['x'], DnsOptions: ['ndots:2'], ExtraHosts: ['a:1.2.3.4'],
          Memory: 67108864, MemorySwap: -1, NanoCpus: 1500000000, CpuShares: 512, PidsLimit: 0, Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 20 }], Tmpfs: { '/run': 'size=1m', '/t': '' }, ReadonlyRootfs: true, Init: true,
          LogConfig: { Type: 'json-file', Config: { 'max-size': '1m' } }, ShmSize: 1024, Sysctls: { 'net.ipv4.ip_forward': '1' }, VolumesFrom: ['other:ro'], Links: ['/db:/web/database'], GroupAdd: ['audio'], PublishAllPorts: true,
        },
      },
      undefined,
      { progress },
    );
    expect(o).toMatchObject({ volumes: ['/h:/c:ro'], rm: true, capAdd: ['NET_ADMIN'], capDrop: ['CHOWN'], securityOpt: ['no-new-privileges'], dns: ['1.1.1.1'], dnsSearch: ['x'], dnsOptions: ['ndots:2'], addHosts: ['a:1.2.3.4'], ulimits: ['nofile=10:20'], tmpfs: ['/run:size=1m', '/t'], readOnly: true, init: true, shmSize: '1024', sysctls: ['net.ipv4.ip_forward=1'], volumesFrom: ['other:ro'], publishAll: true });
    expect(o.resources).toMatchObject({ memory: '67108864', memorySwap: '-1', cpus: '1.5', cpuShares: '512', pidsLimit: undefined });
    expect(o.security?.privileged).toBe(true);
    expect(o.logsSecrets).toMatchObject({ logDriver: 'json-file', logOpts: ['max-size=1m'] });
    expect(o.links?.link).toEqual(['db:database']);
    expect(o.userns?.groupAdd).toEqual(['audio']);
  });

  it('refuses a body without an image, and fields of the wrong type', () => {
    expect(() => createOptionsFromDocker({}, undefined, { progress })).toThrow(ApiError);
    expect(() => createOptionsFromDocker({ Image: 'b', Env: 'A' as unknown as string[], Cmd: [1] as unknown as string[] }, undefined, { progress })).toThrow(/invalid Cmd/);
    expect(() => createOptionsFromDocker({ Image: 'b', HostConfig: { Memory: '1g' } }, undefined, { progress })).toThrow(/invalid HostConfig.Memory/);
  });
});

describe('the parts', () => {
  it('port bindings as -p values', () => {
    expect(publishFlags({ '80/tcp': [{ HostIp: '', HostPort: '8080' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '' }], '9000/tcp': null, '1/tcp': [{ HostIp: '::1', HostPort: '2' }] })).toEqual(['8080:80/tcp', '127.0.0.1::53/udp', '9000/tcp', '[::1]:2:1/tcp']);
  });

  it('mounts as --mount values', () => {
    expect(mountFlags([{ Type: 'bind', Source: '/h', Target: '/c', ReadOnly: true, BindOptions: { Propagation: 'rshared' } }, { Type: 'volume', Source: 'v', Target: '/v', VolumeOptions: { NoCopy: true } }, { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1024, Mode: 0o1777 } }])).toEqual([
      'type=bind,source=/h,target=/c,readonly,bind-propagation=rshared',
      'type=volume,source=v,target=/v,volume-nocopy',
      'type=tmpfs,target=/t,tmpfs-size=1024,tmpfs-mode=1777',
    ]);
    expect(() => mountFlags([{ Type: 'bind', Source: '/a,b', Target: '/c' }])).toThrow(/comma/);
    expect(() => mountFlags([{ Source: '/a' }])).toThrow(/Type and Target/);
  });

  it('restart policies', () => {
    expect(restartFlag({ Name: 'on-failure', MaximumRetryCount: 3 })).toBe('on-failure:3');
    expect(restartFlag({ Name: 'always' })).toBe('always');
    expect(restartFlag({ Name: '' })).toBeUndefined();
    expect(restartFlag(undefined)).toBeUndefined();
  });

  it('healthchecks in nanoseconds as the health flags', () => {
    expect(healthOptions({ Test: ['CMD', 'curl', '-f'], Interval: 2e9, Timeout: 5e8, Retries: 2, StartPeriod: 0 })).toEqual({ none: false, cmd: '["curl","-f"]', interval: '2000ms', timeout: '500ms', startPeriod: undefined, startInterval: undefined, retries: '2' });
    expect(healthOptions({ Test: ['CMD-SHELL', 'true'] }).cmd).toBe('true');
    expect(healthOptions({ Test: ['NONE'] }).none).toBe(true);
    expect(healthOptions(undefined).none).toBe(false);
    expect(healthOptions(undefined).cmd).toBeUndefined();
    expect(() => healthOptions({ Test: ['sh'] })).toThrow(/CMD, CMD-SHELL or NONE/);
  });

  it('network mode and endpoints', () => {
    expect(networkFlags('default', {})).toEqual({ network: undefined, networkAliases: [], ip: undefined, macAddress: undefined });
    expect(networkFlags('host', {}).network).toBe('host');
    expect(networkFlags('container:abc', {}).network).toBe('container:abc');
    expect(networkFlags('front', { front: { Aliases: ['web', 'www'], IPAMConfig: { IPv4Address: '10.0.0.5' } }, back: { Aliases: ['web'] } })).toEqual({ network: 'front,back', networkAliases: ['web', 'www'], ip: '10.0.0.5', macAddress: undefined });
    expect(networkFlags(undefined, { mynet: null }).network).toBe('mynet');
    expect(networkFlags('default', { default: { Aliases: null } }).network).toBeUndefined();
  });

  it('links and image names', () => {
    expect(linkFlag('/db:/web/db')).toBe('db');
    expect(linkFlag('db:alias')).toBe('db:alias');
    expect(imageWithTag('busybox')).toBe('busybox:latest');
    expect(imageWithTag('localhost:5000/a/b')).toBe('localhost:5000/a/b:latest');
    expect(imageWithTag('a:1')).toBe('a:1');
    expect(imageWithTag('a@sha256:00')).toBe('a@sha256:00');
  });
});

describe('what clients send that the CLI would refuse', () => {
  it('HostPort "0" asks for a port the host picks, as "" does (testcontainers)', () => {
    expect(publishFlags({ '8080/tcp': [{ HostPort: '0' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '0' }] })).toEqual(['8080/tcp', '127.0.0.1::53/udp']);
  });
  it('a bind or mount replaces a declared volume at the same path (docker-compose declares what it binds)', () => {
    expect(volumeFlags(['vol1:/data:rw'], ['/data', '/cache/'], ['type=volume,source=x,target=/cache'])).toEqual(['vol1:/data:rw']);
    expect(volumeFlags([], ['/data'], [])).toEqual(['/data']);
  });
});
