// Registry authentication against real registry servers on 127.0.0.1: htpasswd (Basic) and the
// token flow (a token service of the test's own, as Docker Hub's auth.docker.io is one), with
// tspod login/logout writing a Podman-compatible auth.json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Store, Terminal, registry, tspodBin, userEnv, userTempDir, removeTree } from './harness';
import { TokenServer, startRegistry } from './registry-tools';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

const work = userTempDir('auth');
fs.chmodSync(work, 0o755);

function copyImage(from: string, to: string, creds: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('skopeo', ['copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', '--dest-creds', creds, `docker://${from}`, `docker://${to}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`skopeo copy ${to}: ${err}`))));
  });
}

const servers: Array<() => void> = [];
afterAll(() => {
  for (const stop of servers) stop();
  removeTree(work);
});

describe.each(['htpasswd', 'token'] as const)('%s authentication', (kind) => {
  const store = new Store(`auth-${kind}`);
  let addr = '';
  let tokens: TokenServer | undefined;
  const authFile = () => path.join(userEnv().env.XDG_RUNTIME_DIR, 'containers', 'auth.json');

  beforeAll(async () => {
    const dir = path.join(work, kind);
    fs.mkdirSync(dir, { recursive: true });
    let auth: string;
    if (kind === 'htpasswd') {
      const hash = spawnSync('htpasswd', ['-Bbn', 'alice', 'secret'], { encoding: 'utf8' });
      if (hash.status !== 0) throw new Error('htpasswd is missing: scripts/setup-host.sh installs apache2-utils');
      fs.writeFileSync(path.join(dir, 'htpasswd'), hash.stdout);
      auth = `auth:\n  htpasswd:\n    realm: tspod-test\n    path: ${dir}/htpasswd`;
    } else {
      const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '2', '-subj', '/CN=tspod-test-token'], { encoding: 'utf8' });
      if (gen.status !== 0) throw new Error(`openssl: ${gen.stderr}`);
      const cert = new crypto.X509Certificate(fs.readFileSync(`${dir}/cert.pem`));
      tokens = new TokenServer(crypto.createPrivateKey(fs.readFileSync(`${dir}/key.pem`)), cert.raw);
      const realm = await tokens.start();
      servers.push(() => tokens!.stop());
      auth = `auth:\n  token:\n    realm: ${realm}\n    service: ${tokens.service}\n    issuer: ${tokens.issuer}\n    rootcertbundle: ${dir}/cert.pem`;
    }
    const reg = await startRegistry(dir, auth);
    servers.push(reg.stop);
    addr = reg.addr;
    await copyImage(`${registry}/library/busybox:latest`, `${addr}/team/busybox:latest`, 'alice:secret');
    if (kind === 'token') await copyImage(`${registry}/library/busybox:latest`, `${addr}/public/busybox:latest`, 'alice:secret');
    fs.rmSync(authFile(), { force: true });
  });
  afterAll(() => {
    fs.rmSync(authFile(), { force: true });
    store.cleanup();
  });

  it('says that credentials are needed, and refuses wrong ones at login', async () => {
    const anon = await store.tspodAsync(['pull', `${addr}/team/busybox`]);
    expect(anon.code).toBe(125);
    expect(anon.stderr).toMatch(new RegExp(`Error: .*${addr.replace(/\./g, '\\.')}.*(401|wants credentials).*tspod login ${addr.replace(/\./g, '\\.')}`));
    const wrong = await store.tspodAsync(['login', '-u', 'alice', '--password-stdin', addr], { input: 'wrong\n' });
    expect(wrong.code).toBe(125);
    expect(wrong.stderr).toMatch(/invalid username or password/);
    expect(fs.existsSync(authFile())).toBe(false);
  });

  it('logs in, pulls with the stored credentials, and logs out', async () => {
    const login = await store.tspodAsync(['login', '-u', 'alice', '--password-stdin', addr], { input: 'secret\n' });
    expect(login.stderr).toBe('');
    expect(login).toMatchObject({ code: 0, stdout: 'Login Succeeded!\n' });
    const st = fs.statSync(authFile());
    expect(st.mode & 0o777).toBe(0o600);
    expect(st.uid).toBe(userEnv().uid);
    expect(JSON.parse(fs.readFileSync(authFile(), 'utf8')).auths[addr]).toEqual({ auth: Buffer.from('alice:secret').toString('base64') });
    if (tokens) tokens.requests.length = 0;
    const pull = await store.tspodAsync(['pull', '-q', `${addr}/team/busybox`]);
    expect(pull.stderr).toBe('');
    expect(pull.code).toBe(0);
    if (tokens) {
      // One token for the repository's pull scope, reused for manifest, config and layer.
      expect(tokens.requests).toEqual([{ user: 'alice', scope: ['repository:team/busybox:pull'] }]);
    }
    const logout = await store.tspodAsync(['logout', addr]);
    expect(logout).toMatchObject({ code: 0, stdout: `Removed login credentials for ${addr}\n` });
    expect(JSON.parse(fs.readFileSync(authFile(), 'utf8')).auths).toEqual({});
    const again = await store.tspodAsync(['logout', addr]);
    expect(again).toMatchObject({ code: 125, stderr: `Error: not logged into ${addr}\n` });
    expect((await store.tspodAsync(['rmi', `${addr}/team/busybox`])).code).toBe(0);
    expect((await store.tspodAsync(['pull', `${addr}/team/busybox`])).code).toBe(125);
  });

  it('asks for the username and, without echo, the password on a terminal, as Podman\'s login', async () => {
    const term = new Terminal(`login-${kind}`);
    try {
      term.start(`${tspodBin} --root ${store.root} --runroot ${store.runroot} login ${addr}; echo "exit=$?"; sleep 60`);
      await term.waitFor(/Username: $/m);
      term.type('alice');
      await term.waitFor(/^Username: alice\nPassword: $/m);
      term.keys('-l', 'sec');
      // Backspace edits what was typed; nothing of it is shown.
      term.keys('BSpace');
      term.type('cret');
      const screen = await term.waitFor(/exit=\d+/);
      expect(screen).toMatch(/^Username: alice\nPassword: \nLogin Succeeded!\nexit=0$/m);
      expect(screen).not.toMatch(/sec|cret/);
      expect(JSON.parse(fs.readFileSync(authFile(), 'utf8')).auths[addr]).toEqual({ auth: Buffer.from('alice:secret').toString('base64') });
    } finally {
      term.kill();
      fs.rmSync(authFile(), { force: true });
    }
    // Not on a terminal, nothing can be asked: the error says what to give.
    const piped = await store.tspodAsync(['login', addr], { input: '' });
    expect(piped).toMatchObject({ code: 125, stderr: 'Error: a username is needed: tspod login -u USER --password-stdin REGISTRY (or run it on a terminal, which asks)\n' });
  });

  it('takes --creds for one pull without storing them', async () => {
    const r = await store.tspodAsync(['pull', '-q', '--creds', 'alice:secret', `${addr}/team/busybox`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const bad = await store.tspodAsync(['pull', '--creds', 'alice:nope', `${addr}/team/busybox`]);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toMatch(/invalid username or password|answered 401/);
  });

  if (kind === 'token') {
    it('gets an anonymous token for a public repository', async () => {
      tokens!.requests.length = 0;
      const r = await store.tspodAsync(['pull', '-q', `${addr}/public/busybox`]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(tokens!.requests).toEqual([{ user: '', scope: ['repository:public/busybox:pull'] }]);
    });
  }
});

describe('TLS', () => {
  const store = new Store('tls');
  let addr = '';
  beforeAll(async () => {
    const dir = path.join(work, 'tls');
    fs.mkdirSync(dir, { recursive: true });
    const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(`openssl: ${gen.stderr}`);
    const reg = await startRegistry(dir, '', `  tls:\n    certificate: ${dir}/cert.pem\n    key: ${dir}/key.pem\n`);
    servers.push(reg.stop);
    addr = reg.addr;
    await new Promise<void>((resolve, reject) => {
      const p = spawn('skopeo', ['copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${registry}/library/busybox:latest`, `docker://${addr}/tls/busybox:latest`], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr.on('data', (d) => (err += d));
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(err))));
    });
  });
  afterAll(() => store.cleanup());

  it('verifies the certificate by default and says how to proceed', async () => {
    const r = await store.tspodAsync(['pull', `${addr}/tls/busybox`]);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(new RegExp(`Error: cannot reach registry ${addr.replace(/\./g, '\\.')} \\(\\w+\\): its TLS certificate is not trusted; add its CA to the system's trust store, or mark it insecure in registries.conf or pass --tls-verify=false\\n$`));
    expect((await store.tspodAsync(['images', '-q'])).stdout).toBe('');
  });

  it('talks HTTPS without verification when told --tls-verify=false or insecure = true', async () => {
    const r = await store.tspodAsync(['pull', '-q', '--tls-verify=false', `${addr}/tls/busybox`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await store.tspodAsync(['rmi', `${addr}/tls/busybox`])).code).toBe(0);
    const conf = path.join(store.dir, 'registries.conf');
    fs.writeFileSync(conf, `[[registry]]\nlocation = "${addr}"\ninsecure = true\n`);
    fs.chmodSync(conf, 0o644);
    const viaConf = await store.tspodAsync(['pull', '-q', `${addr}/tls/busybox`], { env: { CONTAINERS_REGISTRIES_CONF: conf } });
    expect(viaConf.stderr).toBe('');
    expect(viaConf.code).toBe(0);
  });
});
