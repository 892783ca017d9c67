import { describe, expect, it } from 'vitest';
import { Cli, type CommandClass } from 'clipanion';
import BuildCommand from '../../../../commands/image/build';
import { REFUSALS, refusalMessage } from '../../../../commands/refusals';
import { dashValues, wordsOf } from '../../../../src/dash-values';
import { buildArgs, buildOptions, contextAndFiles, envReferences, parseArgFile, type BuildFlags, type BuildHost } from '../../../../commands/image/build-flags';
import { buildPlatform, cacheTtl, checkIsolationAndJobs, checkRetry, epochSeconds, imageFormat, parseOutput, parseSecret, pullPolicy } from '../../../../commands/image/build-values';

/** A host with these variables and files, working in /home/u/src on amd64. */
function host(env: Record<string, string> = {}, files: Record<string, string> = {}): BuildHost {
  return {
    env,
    cwd: '/home/u/src',
    arch: 'amd64',
    readFile: (f) => {
      if (files[f] === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${f}'`), { code: 'ENOENT' });
      return files[f];
    },
    exists: (f) => files[f] !== undefined,
  };
}

/** The BuildFlags of a command line, parsed as src/main.ts parses it (dash values, then clipanion). */
function flagsOf(...words: string[]): BuildFlags {
  const cli = new Cli({ binaryName: 'tspod', enableColors: false });
  cli.register(BuildCommand);
  const argv = ['build', ...words];
  const cmd = cli.process(dashValues(argv, wordsOf(BuildCommand as unknown as CommandClass, 1)), {});
  return (cmd as unknown as { buildFlags(): BuildFlags }).buildFlags();
}

describe('the context and the Containerfiles', () => {
  it('takes the context given, made absolute; URLs and - as they are', () => {
    expect(contextAndFiles('.', [], host())).toEqual({ context: '/home/u/src', files: [] });
    expect(contextAndFiles('../ctx', [], host())).toEqual({ context: '/home/u/ctx', files: [] });
    expect(contextAndFiles('https://example.com/ctx.tar', [], host())).toEqual({ context: 'https://example.com/ctx.tar', files: [] });
    expect(contextAndFiles('-', [], host())).toEqual({ context: '-', files: [] });
  });

  it('finds a relative -f from here first, else leaves it to the context; splits commas', () => {
    const h = host({}, { '/home/u/src/build/Containerfile': 'FROM x' });
    expect(contextAndFiles('ctx', ['build/Containerfile'], h)).toEqual({ context: '/home/u/src/ctx', files: ['/home/u/src/build/Containerfile'] });
    expect(contextAndFiles('ctx', ['Dockerfile.dev'], h)).toEqual({ context: '/home/u/src/ctx', files: ['Dockerfile.dev'] });
    expect(contextAndFiles('ctx', ['/abs/A,B'], h)).toEqual({ context: '/home/u/src/ctx', files: ['/abs/A', 'B'] });
  });

  it("without a context takes the first local Containerfile's directory, as Podman does", () => {
    const h = host({}, { '/home/u/src/app/Containerfile': 'FROM x' });
    expect(contextAndFiles(undefined, ['app/Containerfile'], h)).toEqual({ context: '/home/u/src/app', files: ['/home/u/src/app/Containerfile'] });
    expect(contextAndFiles(undefined, ['https://example.com/Containerfile', '/srv/x/Dockerfile'], h)).toEqual({ context: '/srv/x', files: ['https://example.com/Containerfile', '/srv/x/Dockerfile'] });
  });

  it('reads -f - as the context from stdin when no context is given, else as a Containerfile on stdin', () => {
    expect(contextAndFiles(undefined, ['-'], host())).toEqual({ context: '-', files: [] });
    expect(contextAndFiles('.', ['-'], host())).toEqual({ context: '/home/u/src', files: ['-'] });
  });

  it('refuses a build with neither a context nor a Containerfile', () => {
    expect(() => contextAndFiles(undefined, [], host())).toThrow('no context directory and no Containerfile specified: give the context directory ("tspod build DIR") or a Containerfile with -f');
    expect(() => contextAndFiles(undefined, ['https://example.com/Containerfile'], host())).toThrow('no context directory and no Containerfile specified');
  });
});

describe('build arguments and variables', () => {
  it('keeps KEY=VALUE, takes KEY, KEY* and * from our environment, and drops KEY we do not have', () => {
    const env = { HOME: '/home/u', GOPATH: '/go', GOFLAGS: '-mod=vendor' };
    expect(envReferences(['A=1', 'HOME', 'NOPE', 'GO*'], env)).toEqual(['A=1', 'HOME=/home/u', 'GOPATH=/go', 'GOFLAGS=-mod=vendor']);
    expect(envReferences(['*'], env)).toEqual(['HOME=/home/u', 'GOPATH=/go', 'GOFLAGS=-mod=vendor']);
  });

  it('reads an argument file: KEY=VALUE lines, # comments, blank lines, leading blanks, KEY from our environment', () => {
    const text = '# versions\nA=1\n\n   B=two words\nC=x=y\r\nHOME\nNOPE\n';
    expect(parseArgFile(text, 'args.conf', { HOME: '/home/u' })).toEqual({ A: '1', B: 'two words', C: 'x=y', HOME: '/home/u' });
    expect(() => parseArgFile('=A\n', 'args.conf', {})).toThrow('parsing --build-arg-file "args.conf": invalid variable "=A": each line is KEY=VALUE');
  });

  it('puts --build-arg over the files, in order; --build-arg KEY takes ours or removes the file\'s', () => {
    const h = host({ TOKEN: 't0k' }, { '/home/u/src/a.conf': 'A=1\nB=1\nTOKEN=file\n', '/etc/b.conf': 'B=2\nC=3\n' });
    expect(buildArgs({ buildArgFile: ['a.conf', '/etc/b.conf'], buildArg: ['C=4', 'TOKEN'] }, h)).toEqual({ A: '1', B: '2', C: '4', TOKEN: 't0k' });
    expect(buildArgs({ buildArgFile: ['a.conf'], buildArg: ['B'] }, h)).toEqual({ A: '1', TOKEN: 'file' });
    expect(buildArgs({ buildArgFile: [], buildArg: ['EMPTY=', 'K=a=b'] }, h)).toEqual({ EMPTY: '', K: 'a=b' });
  });

  it('names an argument file it cannot read', () => {
    expect(() => buildArgs({ buildArgFile: ['nope.conf'], buildArg: [] }, host())).toThrow('cannot read --build-arg-file "nope.conf" (ENOENT): check the path');
  });
});

describe('--secret', () => {
  const h = host({ API_KEY: 'k', id2: 'v' }, { '/home/u/src/token.txt': 's3cret', '/run/secrets/db': 'pw', '/home/u/src/tok': 'x' });

  it('takes a file (made absolute) or a variable of ours', () => {
    expect(parseSecret('id=tok,src=token.txt', h)).toEqual({ id: 'tok', source: { file: '/home/u/src/token.txt' } });
    expect(parseSecret('id=db,src=/run/secrets/db,type=file', h)).toEqual({ id: 'db', source: { file: '/run/secrets/db' } });
    expect(parseSecret('id=key,env=API_KEY', h)).toEqual({ id: 'key', source: { env: 'API_KEY' } });
    expect(parseSecret('id=key,src=API_KEY,type=env', h)).toEqual({ id: 'key', source: { env: 'API_KEY' } });
  });

  it('without src uses the ID: our variable of that name if we have one, else the file', () => {
    expect(parseSecret('id=id2', h)).toEqual({ id: 'id2', source: { env: 'id2' } });
    expect(parseSecret('id=tok', h)).toEqual({ id: 'tok', source: { file: '/home/u/src/tok' } });
  });

  it('names a source file that does not exist', () => {
    expect(() => parseSecret('id=x,src=/nonexist', h)).toThrow('--secret x: the file /nonexist does not exist: give the file that holds the secret with src=PATH, or a variable of ours with env=NAME');
    expect(() => parseSecret('id=gone', h)).toThrow('--secret gone: the file /home/u/src/gone does not exist');
  });

  it('refuses a malformed value with the form to use', () => {
    expect(() => parseSecret('src=/run/secrets/db', h)).toThrow('invalid --secret "src=/run/secrets/db": it has no id: give id=ID[,src=FILE|env=VARIABLE][,type=file|env]');
    expect(() => parseSecret('id=a,mode=0400', h)).toThrow('invalid --secret "id=a,mode=0400": give id=ID[,src=FILE|env=VARIABLE][,type=file|env]');
    expect(() => parseSecret('tok', h)).toThrow('invalid --secret "tok": give id=ID[,src=FILE|env=VARIABLE][,type=file|env]');
    expect(() => parseSecret('id=a,type=mount', h)).toThrow('invalid --secret "id=a,type=mount": the type is file or env');
  });
});

describe('--output', () => {
  it('takes DIR, -, and type=local|tar,dest=PATH', () => {
    expect(parseOutput([], '/w')).toBeUndefined();
    expect(parseOutput(['out'], '/w')).toEqual({ type: 'local', dest: '/w/out' });
    expect(parseOutput(['-'], '/w')).toEqual({ type: 'tar', dest: '-' });
    expect(parseOutput(['type=local,dest=/tmp/root'], '/w')).toEqual({ type: 'local', dest: '/tmp/root' });
    expect(parseOutput(['type=tar,dest=img.tar'], '/w')).toEqual({ type: 'tar', dest: '/w/img.tar' });
    expect(parseOutput(['dest=-,type=tar'], '/w')).toEqual({ type: 'tar', dest: '-' });
  });

  it('refuses what it cannot write, saying what to give', () => {
    expect(() => parseOutput(['a', 'b'], '/w')).toThrow('--output given 2 times is not supported: tspod writes one output per build: build again for the next one');
    expect(() => parseOutput(['type=registry,dest=x'], '/w')).toThrow('invalid --output "type=registry,dest=x": type "registry" is not one tspod writes: use type=local or type=tar');
    expect(() => parseOutput(['dest=x,foo'], '/w')).toThrow('invalid --output "dest=x,foo": give DIR, -, or type=local|tar,dest=PATH');
    expect(() => parseOutput(['dest=x,compression=gzip'], '/w')).toThrow('invalid --output "dest=x,compression=gzip": unknown key "compression" (the keys are type and dest)');
    expect(() => parseOutput(['type=tar,type=local,dest=x'], '/w')).toThrow('invalid --output "type=tar,type=local,dest=x": type is given twice');
    expect(() => parseOutput(['dest=x,dest=y'], '/w')).toThrow('invalid --output "dest=x,dest=y": dest is given twice');
    expect(() => parseOutput(['type=tar,dest='], '/w')).toThrow('invalid --output "type=tar,dest=": it has no dest: add dest=PATH');
    expect(() => parseOutput(['dest=/x,dest2'], '/w')).toThrow('invalid --output "dest=/x,dest2": give DIR, -, or type=local|tar,dest=PATH');
    expect(() => parseOutput(['type=local,dest=-'], '/w')).toThrow('invalid --output "type=local,dest=-": type=local writes a directory, not stdout: use type=tar,dest=-');
  });
});

describe('--pull, --format, --platform', () => {
  it('reads --pull as Podman: alone or true always, false never, missing without it', () => {
    expect(pullPolicy(undefined)).toBe('missing');
    expect(pullPolicy(true)).toBe('always');
    expect(pullPolicy(false)).toBe('never');
    expect(['always', 'missing', 'never', 'newer', 'true', 'false', ' Always '].map(pullPolicy)).toEqual(['always', 'missing', 'never', 'newer', 'always', 'never', 'always']);
    expect(() => pullPolicy('sometimes')).toThrow('invalid --pull "sometimes": use always, missing, never or newer');
  });

  it('reads --format, else BUILDAH_FORMAT, else oci', () => {
    expect(imageFormat(undefined, {})).toBe('oci');
    expect(imageFormat(undefined, { BUILDAH_FORMAT: 'docker' })).toBe('docker');
    expect(imageFormat('OCI', { BUILDAH_FORMAT: 'docker' })).toBe('oci');
    expect(imageFormat('docker', {})).toBe('docker');
    expect(() => imageFormat('v2s2', {})).toThrow('unrecognized image format "v2s2": use oci or docker');
    expect(() => imageFormat(undefined, { BUILDAH_FORMAT: 'qcow' })).toThrow('unrecognized image format "qcow" in BUILDAH_FORMAT: use oci or docker');
  });

  const none = { platform: [], os: undefined, arch: undefined, variant: undefined };
  it("accepts this host's platform in every spelling", () => {
    expect(buildPlatform(none, 'amd64')).toBeUndefined();
    for (const p of ['linux/amd64', 'linux/x86_64', 'amd64', 'linux', 'LINUX/AMD64']) expect(buildPlatform({ ...none, platform: [p] }, 'amd64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(buildPlatform({ ...none, arch: 'x86_64', os: 'linux' }, 'amd64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(buildPlatform({ ...none, platform: ['linux/arm64/v8'] }, 'arm64')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(buildPlatform({ ...none, platform: ['linux/aarch64'] }, 'arm64')).toEqual({ os: 'linux', architecture: 'arm64' });
  });

  it('refuses another platform: no emulation here', () => {
    const why = "tspod builds for this host's platform only, with no emulation to run another architecture's RUN steps: build on a machine of that platform and join the images with tspod manifest create";
    expect(() => buildPlatform({ ...none, platform: ['linux/arm64'] }, 'amd64')).toThrow(`--platform linux/arm64 is not supported on this linux/amd64 host: ${why}`);
    expect(() => buildPlatform({ ...none, platform: ['linux/amd64,linux/arm64'] }, 'amd64')).toThrow(`--platform linux/arm64 is not supported on this linux/amd64 host: ${why}`);
    expect(() => buildPlatform({ ...none, platform: ['windows/amd64'] }, 'amd64')).toThrow(`--platform windows/amd64 is not supported on this linux/amd64 host: ${why}`);
    expect(() => buildPlatform({ ...none, arch: 'arm64' }, 'amd64')).toThrow(`--arch arm64 is not supported on this linux/amd64 host: ${why}`);
    expect(() => buildPlatform({ ...none, os: 'freebsd' }, 'amd64')).toThrow(`--os freebsd is not supported on this linux/amd64 host: ${why}`);
    expect(() => buildPlatform({ ...none, variant: 'v3' }, 'amd64')).toThrow(`--variant v3 is not supported on this linux/amd64 host: ${why}`);
    expect(() => buildPlatform({ ...none, platform: ['linux/amd64', 'linux/amd64'] }, 'amd64')).toThrow("--platform linux/amd64,linux/amd64 is not supported: tspod builds one platform at a time (this host's, linux/amd64): give it once");
    expect(() => buildPlatform({ ...none, platform: ['linux/amd64'], arch: 'amd64' }, 'amd64')).toThrow('--platform cannot be used with --os, --arch or --variant: give one or the other');
  });
});

describe('--isolation, --jobs, times and durations', () => {
  it('accepts the isolation tspod has and one job, refuses the rest', () => {
    for (const iso of [undefined, 'oci', 'OCI', 'default', 'rootless']) expect(() => checkIsolationAndJobs(iso, undefined)).not.toThrow();
    expect(() => checkIsolationAndJobs(undefined, '1')).not.toThrow();
    expect(() => checkIsolationAndJobs('chroot', undefined)).toThrow('--isolation chroot is not supported: tspod runs RUN steps as containers of its OCI runtime (runc or crun) in its user namespace: use --isolation oci or drop the option');
    expect(() => checkIsolationAndJobs('vm', undefined)).toThrow('unrecognized isolation type "vm": use oci or rootless');
    expect(() => checkIsolationAndJobs(undefined, '4')).toThrow('--jobs 4 is not supported: tspod builds one stage at a time: drop --jobs or give 1');
    expect(() => checkIsolationAndJobs(undefined, 'x')).toThrow('invalid --jobs "x": give a number of stages');
  });

  it('checks --retry and --retry-delay as pull does', () => {
    expect(() => checkRetry('3', '2s')).not.toThrow();
    expect(() => checkRetry('0', '5')).not.toThrow();
    expect(() => checkRetry('many', undefined)).toThrow('invalid --retry "many": give a number of tries, e.g. 3');
    expect(() => checkRetry(undefined, 'soon')).toThrow('invalid --retry-delay "soon": give a duration such as 250ms, 2s or 1m30s');
    expect(() => checkRetry(undefined, '-1s')).toThrow('invalid --retry-delay "-1s": it cannot be negative');
  });

  it('reads whole seconds since the epoch', () => {
    expect(epochSeconds(undefined, '--timestamp')).toBeUndefined();
    expect(epochSeconds('0', '--timestamp')).toBe(0);
    expect(epochSeconds('1700000000', '--source-date-epoch')).toBe(1700000000);
    expect(() => epochSeconds('yesterday', '--timestamp')).toThrow('invalid --timestamp "yesterday": give whole seconds since the epoch, e.g. 1700000000');
    expect(() => epochSeconds('1.5', '--source-date-epoch')).toThrow('invalid --source-date-epoch "1.5"');
  });

  it('reads --cache-ttl as a Go duration, in milliseconds', () => {
    expect(cacheTtl(undefined)).toBeUndefined();
    expect(cacheTtl('0')).toBe(0);
    expect(cacheTtl('24h')).toBe(86_400_000);
    expect(cacheTtl('1h30m')).toBe(5_400_000);
    expect(cacheTtl('500ms')).toBe(500);
    expect(() => cacheTtl('5')).toThrow('invalid --cache-ttl "5": it has no unit: give a duration such as 30m, 24h or 1h30m');
    expect(() => cacheTtl('5x')).toThrow('invalid --cache-ttl "5x": give a duration such as 250ms, 2s or 1m30s');
    expect(() => cacheTtl('-1m')).toThrow('invalid --cache-ttl "-1m": give a duration of 0 or more');
  });
});

describe('tspod build command lines', () => {
  it('gives Podman\'s defaults when nothing is said', () => {
    expect(buildOptions(flagsOf('.'), host())).toEqual({
      context: '/home/u/src',
      files: [],
      ignoreFile: undefined,
      tags: [],
      iidFile: undefined,
      format: 'oci',
      buildArgs: {},
      target: undefined,
      labels: [],
      annotations: [],
      env: [],
      unsetEnv: [],
      unsetLabels: [],
      noCache: false,
      pull: 'missing',
      layers: true,
      squash: false,
      squashAll: false,
      cacheTtlMs: undefined,
      output: undefined,
      quiet: false,
      network: undefined,
      noHosts: false,
      addHosts: [],
      dns: [],
      dnsSearch: [],
      dnsOptions: [],
      capAdd: [],
      capDrop: [],
      securityOpt: [],
      ulimits: [],
      userns: undefined,
      devices: [],
      volumes: [],
      shmSize: undefined,
      timestamp: undefined,
      sourceDateEpoch: undefined,
      rm: true,
      forceRm: true,
      secrets: [],
      platform: undefined,
      pulling: { creds: undefined, authFile: undefined, tlsVerify: undefined, certDir: undefined, retry: undefined, retryDelay: undefined },
      omitHistory: false,
      identityLabel: true,
      skipUnusedStages: true,
      from: undefined,
      logFile: undefined,
      runtime: undefined,
      stdin: false,
      inheritLabels: true,
      inheritAnnotations: true,
    });
  });

  it('maps every flag it takes to its field', () => {
    const h = host({ HOME: '/home/u', SOURCE_DATE_EPOCH: '5' }, { '/home/u/src/args': 'A=1\n', '/home/u/src/s.txt': 'x' });
    const o = buildOptions(
      flagsOf(
        '-f', 'Containerfile.dev', '-t', 'app:1', '-t', 'app:latest', '--ignorefile', 'ign', '--iidfile', 'id.txt', '--format', 'docker',
        '--build-arg-file', 'args', '--build-arg', 'B=2', '--target', 'final', '--label', 'l=1', '--annotation', 'a=1', '--env', 'E=1', '--env', 'HOME',
        '--unsetenv', 'X,Y', '--unsetlabel', 'L', '--no-cache', '--pull=newer', '--layers=false', '--squash', '--cache-ttl', '1m',
        '-o', 'type=tar,dest=out.tar', '-q', '--network', 'host', '--no-hosts', '--add-host', 'db:10.0.0.2', '--dns', '1.1.1.1', '--dns-search', 'lan',
        '--dns-option', 'ndots:2', '--cap-add', 'NET_ADMIN,SYS_PTRACE', '--cap-drop', 'ALL', '--security-opt', 'label=disable', '--ulimit', 'nofile=1024:2048',
        '--userns', 'keep-id', '--device', '/dev/fuse', '-v', '/srv:/srv:ro', '--shm-size', '128m', '--timestamp', '0', '--rm=false', '--force-rm=false',
        '--secret', 'id=s,src=s.txt', '--platform', 'linux/amd64', '--creds', 'u:p', '--authfile', 'auth.json', '--tls-verify=false', '--cert-dir', '/certs',
        '--retry', '2', '--retry-delay', '1s', '--omit-history', '--identity-label=false', '--skip-unused-stages=false', '--from', 'alpine:3',
        '--logfile', 'build.log', '--runtime', 'crun', '--stdin', '--inherit-labels=false', '--inherit-annotations=false', '--isolation', 'oci', '--jobs', '1',
        'ctx',
      ),
      h,
    );
    expect(o).toEqual({
      context: '/home/u/src/ctx',
      files: ['Containerfile.dev'],
      ignoreFile: '/home/u/src/ign',
      tags: ['app:1', 'app:latest'],
      iidFile: '/home/u/src/id.txt',
      format: 'docker',
      buildArgs: { A: '1', B: '2' },
      target: 'final',
      labels: ['l=1'],
      annotations: ['a=1'],
      env: ['E=1', 'HOME=/home/u'],
      unsetEnv: ['X', 'Y'],
      unsetLabels: ['L'],
      noCache: true,
      pull: 'newer',
      layers: false,
      squash: true,
      squashAll: false,
      cacheTtlMs: 60_000,
      output: { type: 'tar', dest: '/home/u/src/out.tar' },
      quiet: true,
      network: 'host',
      noHosts: true,
      addHosts: ['db:10.0.0.2'],
      dns: ['1.1.1.1'],
      dnsSearch: ['lan'],
      dnsOptions: ['ndots:2'],
      capAdd: ['NET_ADMIN', 'SYS_PTRACE'],
      capDrop: ['ALL'],
      securityOpt: ['label=disable'],
      ulimits: ['nofile=1024:2048'],
      userns: 'keep-id',
      devices: ['/dev/fuse'],
      volumes: ['/srv:/srv:ro'],
      shmSize: '128m',
      timestamp: 0,
      sourceDateEpoch: 5,
      rm: false,
      forceRm: false,
      secrets: [{ id: 's', source: { file: '/home/u/src/s.txt' } }],
      platform: { os: 'linux', architecture: 'amd64' },
      pulling: { creds: 'u:p', authFile: '/home/u/src/auth.json', tlsVerify: false, certDir: '/certs', retry: '2', retryDelay: '1s' },
      omitHistory: true,
      identityLabel: false,
      skipUnusedStages: false,
      from: 'alpine:3',
      logFile: '/home/u/src/build.log',
      runtime: 'crun',
      stdin: true,
      inheritLabels: false,
      inheritAnnotations: false,
    });
  });

  it('reads --pull alone, --pull=true|false, --net, and the docker buildx flags Podman ignores', () => {
    expect(buildOptions(flagsOf('--pull', '.'), host()).pull).toBe('always');
    expect(buildOptions(flagsOf('--pull=true', '.'), host()).pull).toBe('always');
    expect(buildOptions(flagsOf('--pull=false', '.'), host()).pull).toBe('never');
    expect(buildOptions(flagsOf('--pull=missing', '.'), host()).pull).toBe('missing');
    expect(buildOptions(flagsOf('--net', 'none', '.'), host()).network).toBe('none');
    expect(buildOptions(flagsOf('--load', '--progress=plain', '.'), host()).context).toBe('/home/u/src');
  });

  it('takes the default of --layers from BUILDAH_LAYERS, and --layers over it', () => {
    expect(buildOptions(flagsOf('.'), host({ BUILDAH_LAYERS: '0' })).layers).toBe(false);
    expect(buildOptions(flagsOf('.'), host({ BUILDAH_LAYERS: 'FALSE' })).layers).toBe(false);
    expect(buildOptions(flagsOf('.'), host({ BUILDAH_LAYERS: '1' })).layers).toBe(true);
    expect(buildOptions(flagsOf('--layers', '.'), host({ BUILDAH_LAYERS: 'false' })).layers).toBe(true);
    expect(buildOptions(flagsOf('--squash-all', '.'), host()).squashAll).toBe(true);
  });

  it('takes -D (what tspod does: uncompressed layers) and refuses --disable-compression=false', () => {
    expect(() => buildOptions(flagsOf('-D', '.'), host())).not.toThrow();
    expect(() => buildOptions(flagsOf('--disable-compression=true', '.'), host())).not.toThrow();
    expect(() => buildOptions(flagsOf('--disable-compression=false', '.'), host())).toThrow('--disable-compression=false is not supported: tspod stores the layers a build makes uncompressed and pushes them as stored: drop the option');
  });

  it('refuses flags that cannot go together, as Podman does', () => {
    expect(() => buildOptions(flagsOf('--squash', '--squash-all', '.'), host())).toThrow('cannot specify --squash-all with --squash: --squash-all already squashes every layer');
    expect(() => buildOptions(flagsOf('--network', 'none', '--dns', '1.1.1.1', '.'), host())).toThrow('the --dns option cannot be used with --network=none: RUN steps have no network to resolve names on');
    expect(() => buildOptions(flagsOf('--network', 'none', '--dns-search', 'lan', '.'), host())).toThrow('the --dns-search option cannot be used with --network=none');
    expect(() => buildOptions(flagsOf('--network', 'none', '--dns-option', 'ndots:1', '.'), host())).toThrow('the --dns-option option cannot be used with --network=none');
  });

  it('reads -f - without a context as the context on stdin', () => {
    expect(buildOptions(flagsOf('-f', '-'), host())).toMatchObject({ context: '-', files: [] });
  });

  it('exits 125 for refused values, with the reason', () => {
    try {
      buildOptions(flagsOf('--platform', 'linux/arm64', '.'), host());
      expect.unreachable();
    } catch (err) {
      expect((err as { exitCode: number }).exitCode).toBe(125);
    }
  });

  it('takes at most one context, as Podman says', () => {
    expect(() => buildOptions(flagsOf('a', 'b'), host())).toThrow('accepts at most 1 arg(s), received 2: give one context (a --pull policy is written --pull=POLICY)');
    expect(() => buildOptions(flagsOf('--pull', 'always', '.'), host())).toThrow('accepts at most 1 arg(s), received 2');
  });
});

/** build's refusals, word for word (cli-compat.test.ts checks each is what the option prints, with exit 125). */
const BUILD_REFUSED: Record<string, string> = {
  '--all-platforms': "tspod builds for this host's platform only, with no emulation to run another architecture's RUN steps: build on a machine of that platform and join the images with tspod manifest create",
  '--build-context': 'tspod builds from one context: copy the files into it, or build the other context as an image and COPY --from=IMAGE',
  '--cache-from': "tspod's build cache is its local store, not a registry: build on the machine that holds the cache, or pull the image and build FROM it",
  '--cache-to': "tspod's build cache is its local store, not a registry: push the built image itself (tspod push)",
  '--cgroup-parent': "tspod's RUN steps run in the cgroup tspod gives its containers: drop the option",
  '--cgroupns': "tspod's RUN steps run in namespaces of their own (the build container's): drop the option",
  '--compat-volumes': 'tspod keeps what RUN steps write under VOLUME directories, as Podman does without this option: drop it',
  '--cpp-flag': 'tspod does not run Containerfiles through cpp: preprocess the file yourself (cpp -E -P Containerfile.in > Containerfile) and build that',
  '--cpu-period': 'tspod does not limit the resources of RUN steps: limit the whole build instead (systemd-run --user --scope -p MemoryMax=1G -p CPUQuota=200% tspod build ...)',
  '--cpu-quota': 'tspod does not limit the resources of RUN steps: limit the whole build instead (systemd-run --user --scope -p MemoryMax=1G -p CPUQuota=200% tspod build ...)',
  '--cpu-shares': 'tspod does not limit the resources of RUN steps: limit the whole build instead (systemd-run --user --scope -p MemoryMax=1G -p CPUQuota=200% tspod build ...)',
  '--cpuset-cpus': 'tspod does not limit the resources of RUN steps: limit the whole build instead (systemd-run --user --scope -p MemoryMax=1G -p CPUQuota=200% tspod build ...)',
  '--cpuset-mems': 'tspod does not limit the resources of RUN steps: limit the whole build instead (systemd-run --user --scope -p MemoryMax=1G -p CPUQuota=200% tspod build ...)',
  '--created-annotation': 'tspod records the creation time in the image config only (tspod image inspect --format {{.Created}}), not as an org.opencontainers.image.created annotation: set one with --annotation',
  '--cw': 'tspod does not build confidential-workload (krun) images: build with buildah or podman on a host set up for them',
  '--decryption-key': 'tspod does not pull encrypted images: pull a decrypted copy (e.g. skopeo copy --decryption-key) and build FROM that',
  '--group-add': 'tspod runs RUN steps with the groups of the USER the Containerfile names: add the user to the group in the Containerfile (RUN usermod -aG ...)',
  '--hooks-dir': 'tspod runs no OCI hooks: drop --hooks-dir',
  '--http-proxy': 'tspod does not copy our proxy variables into RUN steps: pass them as build arguments (--build-arg http_proxy --build-arg https_proxy)',
  '--ipc': "tspod's RUN steps run in namespaces of their own (the build container's): drop the option",
  '--layer-label': "tspod's intermediate images carry no labels of their own: label the final image with --label",
  '--logsplit': 'tspod builds one platform, so its log is one file: drop the option',
  '--memory': 'tspod does not limit the resources of RUN steps: limit the whole build instead (systemd-run --user --scope -p MemoryMax=1G -p CPUQuota=200% tspod build ...)',
  '--memory-swap': 'tspod does not limit the resources of RUN steps: limit the whole build instead (systemd-run --user --scope -p MemoryMax=1G -p CPUQuota=200% tspod build ...)',
  '--no-hostname': "tspod's RUN steps get the /etc/hostname tspod writes for a container: drop the option",
  '--os-feature': 'os.features are for Windows images, which tspod does not build',
  '--os-version': 'os.version is for Windows images, which tspod does not build',
  '--pid': "tspod's RUN steps run in namespaces of their own (the build container's): drop the option",
  '--rewrite-timestamp': "tspod does not rewrite file times from --source-date-epoch: use --timestamp SECONDS, which sets the created time and every file's time in the layers",
  '--runtime-flag': 'tspod build takes no runtime flags of its own: give them to tspod before the verb (tspod --runtime-flag FLAG build ...), and its RUN steps run with them',
  '--sbom': 'tspod does not scan builds for an SBOM: scan the built image with a scanner (e.g. syft IMAGE) afterwards',
  '--sbom-image-output': 'tspod does not scan builds for an SBOM: scan the built image with a scanner (e.g. syft IMAGE) afterwards',
  '--sbom-image-purl-output': 'tspod does not scan builds for an SBOM: scan the built image with a scanner (e.g. syft IMAGE) afterwards',
  '--sbom-merge-strategy': 'tspod does not scan builds for an SBOM: scan the built image with a scanner (e.g. syft IMAGE) afterwards',
  '--sbom-output': 'tspod does not scan builds for an SBOM: scan the built image with a scanner (e.g. syft IMAGE) afterwards',
  '--sbom-purl-output': 'tspod does not scan builds for an SBOM: scan the built image with a scanner (e.g. syft IMAGE) afterwards',
  '--sbom-scanner-command': 'tspod does not scan builds for an SBOM: scan the built image with a scanner (e.g. syft IMAGE) afterwards',
  '--sbom-scanner-image': 'tspod does not scan builds for an SBOM: scan the built image with a scanner (e.g. syft IMAGE) afterwards',
  '--sign-by': 'tspod does not sign images: sign the pushed digest with cosign or skopeo standalone-sign',
  '--ssh': 'tspod does not forward SSH agents or keys into RUN steps: fetch what needs SSH before the build and put it in the context, or pass a key file as a --secret',
  '--unsetannotation': "tspod's builds inherit no annotations from their base image (pulled images keep none), so there are none to unset: drop the option",
  '--userns-gid-map': "tspod's RUN steps run in tspod's user namespace (the mapping of /etc/subuid and /etc/subgid): choose another with --userns",
  '--userns-gid-map-group': "tspod's RUN steps run in tspod's user namespace (the mapping of /etc/subuid and /etc/subgid): choose another with --userns",
  '--userns-uid-map': "tspod's RUN steps run in tspod's user namespace (the mapping of /etc/subuid and /etc/subgid): choose another with --userns",
  '--userns-uid-map-user': "tspod's RUN steps run in tspod's user namespace (the mapping of /etc/subuid and /etc/subgid): choose another with --userns",
  '--uts': "tspod's RUN steps run in namespaces of their own (the build container's): drop the option",
};

describe("build's refused options", () => {
  it('take =false where that is what tspod does anyway (no proxies passed, RUN writes under VOLUMEs kept, one platform, ...); --no-hostname=false does not parse (--no-no-hostname) and stays refused', () => {
    for (const name of ['--all-platforms', '--compat-volumes', '--created-annotation', '--http-proxy', '--logsplit', '--rewrite-timestamp']) {
      expect(() => flagsOf(`${name}=false`, '.'), name).not.toThrow();
      expect(() => flagsOf(name, '.'), name).toThrow(`${name} is not supported: ${BUILD_REFUSED[name]}`);
      expect(() => flagsOf(`${name}=true`, '.'), name).toThrow(`${name} is not supported: `);
    }
    expect(REFUSALS.build.filter((r) => r.allowed !== undefined).map((r) => r.names[0])).toEqual(['--all-platforms', '--compat-volumes', '--created-annotation', '--http-proxy', '--logsplit', '--rewrite-timestamp']);
  });

  it('are these, each with its reason', () => {
    expect(Object.fromEntries(REFUSALS.build.map((r) => [r.names[0], r.reason]))).toEqual(BUILD_REFUSED);
  });

  it('print "OPTION is not supported: why" and exit 125, short names too', () => {
    const probes: Array<[string[], string]> = [
      [['--ssh', 'default'], '--ssh'],
      [['-m', '1g'], '--memory'],
      [['-c', '512'], '--cpu-shares'],
      [['--http-proxy=true'], '--http-proxy'],
      [['--sbom', 'syft'], '--sbom'],
    ];
    for (const [words, name] of probes) {
      let caught: unknown;
      try {
        flagsOf(...words, '.');
      } catch (err) {
        caught = err;
      }
      expect((caught as Error).message, words.join(' ')).toBe(`${name} is not supported: ${BUILD_REFUSED[name]}`);
      expect((caught as { exitCode: number }).exitCode).toBe(125);
      expect(refusalMessage(REFUSALS.build.find((r) => r.names[0] === name)!)).toBe(`${name} is not supported: ${BUILD_REFUSED[name]}`);
    }
  });
});
