import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { replicaName, templateDigest, writeVolumeFiles } from '../../../../libpod/kube/play-plan';
import type { TranslatedPod } from '../../../../libpod/kube/types';

const pod = (name: string, dir: string, env: string): TranslatedPod => ({
  pod: { name, hostname: name, infra: true, labels: ['app=web'], publish: [], addHosts: [], dns: [], dnsSearch: [], dnsOptions: [], volumes: [] },
  containers: [{ name: 'httpd', init: false, create: { image: 'busybox', command: ['httpd'], name: `${name}-httpd`, env: [env], envFiles: [], labels: [], readOnly: false, init: false, replace: false, pull: 'missing', capAdd: [], capDrop: [], securityOpt: [], interactive: false, tty: false, rm: false, mounts: [`type=bind,source=${dir}/cfg,target=/etc/cfg,ro=true`] } }],
  claims: [],
  containerPorts: [],
  hostPaths: [],
  emptyDirs: [],
  readiness: {},
});

describe('kube play --replace: the digest of a translated template', () => {
  it('is the same for two translations of one template (other files directory), and differs when env or a file changes', () => {
    const files = [{ path: 'cfg/a', data: Buffer.from('x'), mode: 0o644 }];
    const a = templateDigest(pod('web-pod', '/s/kube/files/aaaa', 'V=1'), '/s/kube/files/aaaa', 'web-pod', files);
    const b = templateDigest(pod('web-pod', '/s/kube/files/bbbb', 'V=1'), '/s/kube/files/bbbb', 'web-pod', files);
    expect(a).toBe(b);
    expect(templateDigest(pod('web-pod', '/s/kube/files/bbbb', 'V=2'), '/s/kube/files/bbbb', 'web-pod', files)).not.toBe(a);
    expect(templateDigest(pod('web-pod', '/s/kube/files/bbbb', 'V=1'), '/s/kube/files/bbbb', 'web-pod', [{ ...files[0], data: Buffer.from('y') }])).not.toBe(a);
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('replica names', () => {
  it('are the Pod\'s own name, "<name>-pod" for replica 0 of the others, "<name>-pod-<i>" after', () => {
    expect(replicaName({ kind: 'Pod', name: 'app' }, 0)).toBe('app');
    expect(replicaName({ kind: 'Deployment', name: 'web' }, 0)).toBe('web-pod');
    expect(replicaName({ kind: 'Deployment', name: 'web' }, 2)).toBe('web-pod-2');
    expect(replicaName({ kind: 'Job', name: 'once' }, 0)).toBe('once-pod');
  });
});

describe('a volume\'s files written for a pod', () => {
  it('keeps each file inside its directory, with its mode', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-files-'));
    const written: Array<{ path: string; data: Buffer; mode: number }> = [];
    const out = writeVolumeFiles(path.join(dir, 'creds'), [{ path: 'sub/pass', data: Buffer.from('s3cret'), mode: 0o400 }], written);
    expect(fs.readFileSync(path.join(out, 'sub/pass'), 'utf8')).toBe('s3cret');
    expect(fs.statSync(path.join(out, 'sub/pass')).mode & 0o777).toBe(0o400);
    expect(() => writeVolumeFiles(path.join(dir, 'creds'), [{ path: '../../escape', data: Buffer.from('x'), mode: 0o644 }], written)).toThrow(/leaves its volume/);
    expect(fs.existsSync(path.join(dir, '..', 'escape'))).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });
});
