// run/create's pulling and attaching flags as the unprivileged user, against the real registry:
// --platform from a multi-platform index (and another architecture refused: no emulation here),
// --pull=newer, --cert-dir and certs.d with a TLS registry, --retry, -a/--attach, --rmi,
// --requires, and --pod/--pod-id-file naming a pod that is not there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Store, registry, userEnv, userTempDir, removeTree } from './harness';
import { RegistryProxy, pushMultiArch, startRegistry } from './registry-tools';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const store = new Store('run-pull-flags');
const unique = `pf${process.pid}`;
const busybox = `${registry}/library/busybox`;
const servers: Array<() => void> = [];

function skopeoCopy(from: string, to: string, extra: string[] = []): void {
  const r = spawnSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', ...extra, `docker://${from}`, `docker://${to}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`skopeo copy ${from} ${to}: ${r.stderr}`);
}

const imageOf = (name: string) => store.tspod(['inspect', '--format', '{{.Image}}', name]).stdout.trim();

beforeAll(() => {
  expect(store.tspod(['pull', '-q', busybox]).code).toBe(0);
});

afterAll(() => {
  store.tspod(['rm', '-af', '-t', '0']);
  store.cleanup();
  for (const stop of servers) stop();
});

describe('--platform, --arch, --variant', () => {
  it('pulls the platform asked for, and refuses to run another architecture with the reason', async () => {
    const ids = await pushMultiArch(registry, `${unique}/multi`);
    const multi = `${registry}/${unique}/multi`;
    const host = store.tspod(['run', '--rm', '-q', '--platform', 'linux/amd64', multi, 'true']);
    expect(host.stderr).toBe('');
    expect(host.code).toBe(0);
    const arm = store.tspod(['run', '--rm', '-q', '--arch', 'arm64', '--variant', 'v8', multi, 'true']);
    expect(arm.code).toBe(125);
    expect(arm.stderr).toMatch(new RegExp(`Error: image ${multi.replace(/\./g, '\\.')} is for linux/arm64(/v8)? and this host runs linux/amd64: tspod runs images of the host's own platform only \\(no emulation\\): choose --platform linux/amd64\\n$`));
    // The arm64 image was pulled (the stored amd64 one is not of the platform asked for); no container was left.
    expect(store.tspod(['images', '-q', '--no-trunc']).stdout).toContain(ids.arm64);
    expect(store.tspod(['ps', '-aq']).stdout).toBe('');
    const created = store.tspod(['create', '--platform', 'linux/arm64', '--pull', 'never', multi, 'true']);
    expect(created.code).toBe(125);
    expect(created.stderr).toMatch(/is for linux\/arm64(\/v8)? and this host runs linux\/amd64/);
    const bad = store.tspod(['create', '--platform', 'arm64', multi]);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toBe('Error: invalid platform "arm64": use os/arch[/variant], e.g. linux/arm64\n');
  });
});

describe('--pull=newer', () => {
  it('pulls when the registry has another image under the name, and keeps the stored one otherwise', () => {
    const name = `${registry}/${unique}/newer:latest`;
    skopeoCopy(`${registry}/library/busybox:latest`, name);
    expect(store.tspod(['create', '--name', 'newer1', name, 'true']).code).toBe(0);
    const first = imageOf('newer1');
    expect(store.tspod(['create', '--name', 'newer2', '--pull', 'newer', name, 'true']).code).toBe(0);
    expect(imageOf('newer2')).toBe(first);
    skopeoCopy(`${registry}/library/debian:latest`, name);
    expect(store.tspod(['create', '--name', 'newer3', name, 'true']).code).toBe(0);
    expect(imageOf('newer3')).toBe(first); // missing: the stored one
    const r = store.tspod(['create', '--name', 'newer4', '-q', '--pull', 'newer', name, 'true']);
    expect(r.code).toBe(0);
    expect(imageOf('newer4')).not.toBe(first);
    expect(store.tspod(['rm', 'newer1', 'newer2', 'newer3', 'newer4']).code).toBe(0);
  });
});

describe('registry access', () => {
  let addr = '';
  let certDir = '';
  beforeAll(async () => {
    const dir = userTempDir('pull-flags-tls');
    const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(`openssl: ${gen.stderr}`);
    const reg = await startRegistry(dir, '', `  tls:\n    certificate: ${dir}/cert.pem\n    key: ${dir}/key.pem\n`);
    servers.push(reg.stop, () => removeTree(dir));
    addr = reg.addr;
    skopeoCopy(`${registry}/library/busybox:latest`, `${addr}/tls/busybox:latest`);
    certDir = path.join(dir, 'certs');
    fs.mkdirSync(certDir);
    fs.copyFileSync(`${dir}/cert.pem`, path.join(certDir, 'ca.crt'));
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(certDir, 0o755);
    fs.chmodSync(path.join(certDir, 'ca.crt'), 0o644);
  });

  it('trusts the CA in --cert-dir, and in the registry\'s directory under ~/.config/containers/certs.d', () => {
    const untrusted = store.tspod(['run', '--rm', `${addr}/tls/busybox`, 'true']);
    expect(untrusted.code).toBe(125);
    expect(untrusted.stderr).toMatch(/its TLS certificate is not trusted/);
    const r = store.tspod(['run', '--rm', '-q', '--cert-dir', certDir, `${addr}/tls/busybox`, 'echo', 'trusted']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('trusted\n');
    expect(store.tspod(['rmi', `${addr}/tls/busybox`]).code).toBe(0);
    const home = userEnv().home;
    const mine = path.join(home, '.config', 'containers', 'certs.d', addr);
    fs.mkdirSync(mine, { recursive: true });
    try {
      fs.copyFileSync(path.join(certDir, 'ca.crt'), path.join(mine, 'ca.crt'));
      fs.chmodSync(path.join(mine, 'ca.crt'), 0o644);
      spawnSync('chmod', ['-R', 'a+rX', path.join(home, '.config', 'containers')]);
      const pulled = store.tspod(['pull', '-q', `${addr}/tls/busybox`]);
      expect(pulled.stderr).toBe('');
      expect(pulled.code).toBe(0);
    } finally {
      fs.rmSync(mine, { recursive: true, force: true });
    }
    const missing = store.tspod(['pull', '--cert-dir', '/nonexistent', `${addr}/tls/busybox`]);
    expect(missing.code).toBe(125);
    expect(missing.stderr).toBe("Error: --cert-dir /nonexistent: no such directory: give a directory holding the registry's *.crt (and *.cert/*.key) files\n");
  });

  it('--retry 0 gives up on a busy registry at once; the default waits it out', async () => {
    const proxy = new RegistryProxy(registry);
    const via = await proxy.start();
    const s = new Store('pull-flags-retry');
    try {
      proxy.mode = 'busy-once';
      const once = await s.tspodAsync(['pull', '-q', '--retry', '0', `${via}/library/busybox`]);
      expect(once.code).toBe(125);
      expect(once.stderr).toMatch(/503/);
      proxy.mode = 'busy-once';
      const again = await s.tspodAsync(['pull', '-q', '--retry', '2', '--retry-delay', '10ms', `${via}/library/busybox`]);
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      const bad = await s.tspodAsync(['pull', '--retry', 'many', `${via}/library/busybox`]);
      expect(bad.stderr).toBe('Error: invalid --retry "many": give a whole number of tries\n');
    } finally {
      await proxy.stop();
      s.cleanup();
    }
  });
});

describe('-a/--attach, --rmi, --requires', () => {
  it('-a attaches only the streams named', () => {
    const out = store.tspod(['run', '--rm', '-a', 'stdout', busybox, 'sh', '-c', 'echo out; echo err >&2']);
    expect(out).toMatchObject({ code: 0, stdout: 'out\n', stderr: '' });
    const err = store.tspod(['run', '--rm', '--attach', 'stderr', busybox, 'sh', '-c', 'echo out; echo err >&2']);
    expect(err).toMatchObject({ code: 0, stdout: '', stderr: 'err\n' });
    const bad = store.tspod(['run', '--rm', '-a', 'stdall', busybox, 'true']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toBe('Error: invalid stream "stdall" for --attach - must be one of stdin, stdout, or stderr\n');
    const both = store.tspod(['run', '-d', '-a', 'stdout', busybox, 'true']);
    expect(both.code).toBe(125);
    expect(both.stderr).toMatch(/conflicting options: -a\/--attach and -d\/--detach/);
  });

  it('--rmi removes the image with the container, unless another container uses it', () => {
    const name = `${registry}/${unique}/rmi:latest`;
    skopeoCopy(`${registry}/library/busybox:latest`, name);
    const r = store.tspod(['run', '--rmi', '-q', name, 'echo', 'gone']);
    expect(r).toMatchObject({ code: 0, stdout: 'gone\n' });
    expect(store.tspod(['image', 'exists', name]).code).toBe(1);
    expect(store.tspod(['ps', '-aq', '--filter', `ancestor=${name}`]).stdout).toBe('');
    expect(store.tspod(['create', '--name', 'keeper', '-q', name, 'true']).code).toBe(0);
    const kept = store.tspod(['run', '--rmi', name, 'true']);
    expect(kept.code).toBe(0);
    expect(kept.stderr).toMatch(/Failed to remove image: .*keeper|Failed to remove image: .*container/);
    expect(store.tspod(['image', 'exists', name]).code).toBe(0);
    expect(store.tspod(['rm', 'keeper']).code).toBe(0);
  });

  it('--requires starts the containers needed first, and rm keeps them while others need them', () => {
    expect(store.tspod(['create', '--name', 'db', busybox, 'sleep', '1000']).code).toBe(0);
    expect(store.tspod(['create', '--name', 'cache', busybox, 'sleep', '1000']).code).toBe(0);
    const web = store.tspod(['run', '-d', '--name', 'web', '--requires', 'db,cache', busybox, 'sleep', '1000']);
    expect(web.code).toBe(0);
    const states = store.tspod(['ps', '-a', '--format', '{{.Names}} {{.State}}', '--sort', 'names']).stdout;
    expect(states).toBe('cache running\ndb running\nweb running\n');
    const id = store.tspod(['inspect', '--format', '{{.Id}}', 'web']).stdout.trim();
    const rm = store.tspod(['rm', '-f', 'db']);
    expect(rm.code).toBe(125);
    expect(rm.stderr).toMatch(new RegExp(`has dependent containers which must be removed before it: ${id}`));
    expect(store.tspod(['stop', '-t', '0', 'web', 'db', 'cache']).code).toBe(0);
    // start of the dependent starts what it needs again
    expect(store.tspod(['start', 'web']).code).toBe(0);
    expect(store.tspod(['inspect', '--format', '{{.State.Status}}', 'db']).stdout).toBe('running\n');
    const gone = store.tspod(['rm', '-f', '--depend', 'db']);
    expect(gone.code).toBe(0);
    expect(store.tspod(['ps', '-a', '--format', '{{.Names}}']).stdout).toBe('cache\n');
    expect(store.tspod(['rm', '-f', '-t', '0', 'cache']).code).toBe(0);
    const none = store.tspod(['create', '--requires', 'nosuch', busybox]);
    expect(none).toMatchObject({ code: 125, stderr: 'Error: no container with name or ID "nosuch" found: no such container\n' });
  });
});

describe('pod options of run and create', () => {
  it('refuse a pod that is not there by name, creating nothing', () => {
    const h = store.tspod(['run', '--rm', '--pod-id-file', '/nonexistent/pod.id', busybox, 'true']);
    expect(h.code).toBe(125);
    expect(h.stderr).toBe('Error: reading pod ID file /nonexistent/pod.id: no such file or directory: check the path given to --pod-id-file\n');
    const p = store.tspod(['create', '--pod', 'nosuchpod', busybox]);
    expect(p.code).toBe(125);
    expect(p.stderr).toBe('Error: no pod with name or ID nosuchpod found: no such pod\n');
    expect(store.tspod(['run', '--rm', '--no-healthcheck', '--disable-content-trust', busybox, 'true']).code).toBe(0);
    expect(store.tspod(['ps', '-aq']).stdout).toBe('');
    expect(store.tspod(['pod', 'ps', '-q']).stdout).toBe('');
  });
});
