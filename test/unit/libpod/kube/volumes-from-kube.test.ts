import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { translatePod } from '../../../../libpod/kube/translate-pod';
import { makeHostPaths } from '../../../../libpod/kube/volumes-from-kube';
import { template, testContext } from './helpers';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-vol-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const pod = (mounts: string, volumes: string) => template(`apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: app
    image: busybox
    volumeMounts:
${mounts}
  volumes:
${volumes}`);

describe('hostPath volumes', () => {
  it('binds an existing directory, file or socket, read-only when the mount says so, with subPath', () => {
    const d = tmp();
    fs.mkdirSync(path.join(d, 'dir/sub'), { recursive: true });
    fs.writeFileSync(path.join(d, 'file'), 'x');
    const sock = path.join(d, 's.sock');
    const server = net.createServer().listen(sock);
    try {
      const t = translatePod(
        pod(
          `    - {name: a, mountPath: /a}\n    - {name: b, mountPath: /b/, readOnly: true}\n    - {name: c, mountPath: /run/s.sock}\n    - {name: a, mountPath: /sub, subPath: sub}\n`,
          `  - {name: a, hostPath: {path: ${d}/dir, type: Directory}}\n  - {name: b, hostPath: {path: ${d}/file, type: File}}\n  - {name: c, hostPath: {path: ${sock}, type: Socket}}\n`,
        ),
        testContext(tmp()),
      );
      expect(t.containers[0].create.mounts).toEqual([`type=bind,source=${d}/dir,target=/a`, `type=bind,source=${d}/file,target=/b,ro=true`, `type=bind,source=${sock},target=/run/s.sock`, `type=bind,source=${d}/dir/sub,target=/sub`]);
      expect(t.hostPaths).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('lists DirectoryOrCreate and FileOrCreate paths that are missing, and makes nothing itself', () => {
    const d = tmp();
    const t = translatePod(
      pod(`    - {name: a, mountPath: /a}\n    - {name: b, mountPath: /b}\n    - {name: c, mountPath: /c, subPath: new/deeper}\n`, `  - {name: a, hostPath: {path: ${d}/made/here, type: DirectoryOrCreate}}\n  - {name: b, hostPath: {path: ${d}/f.txt, type: FileOrCreate}}\n  - {name: c, hostPath: {path: ${d}}}\n`),
      testContext(tmp()),
    );
    expect(t.hostPaths).toEqual([
      { path: `${d}/made/here`, type: 'directory' },
      { path: `${d}/f.txt`, type: 'file' },
      { path: `${d}/new/deeper`, type: 'directory' },
    ]);
    expect(fs.readdirSync(d)).toEqual([]);
    makeHostPaths(t.hostPaths);
    expect(fs.statSync(`${d}/made/here`).isDirectory()).toBe(true);
    expect(fs.statSync(`${d}/f.txt`).isFile()).toBe(true);
    expect(fs.statSync(`${d}/f.txt`).mode & 0o777).toBe(0o644 & ~process.umask());
    expect(fs.statSync(`${d}/new/deeper`).isDirectory()).toBe(true);
  });

  it('gives a character device to the container as a device', () => {
    const t = translatePod(pod('    - {name: n, mountPath: /dev/mynull}\n', '  - {name: n, hostPath: {path: /dev/null, type: CharDevice}}\n'), testContext(tmp()));
    expect(t.containers[0].create.security).toEqual({ devices: ['/dev/null:/dev/mynull'] });
    expect(t.containers[0].create.mounts).toEqual([]);
  });

  it('checks the type against the host as the kubelet does', () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, 'file'), 'x');
    const ctx = testContext(tmp());
    const one = (hp: string) => translatePod(pod('    - {name: a, mountPath: /a}\n', `  - {name: a, hostPath: ${hp}}\n`), ctx);
    expect(() => one(`{path: ${d}/file, type: Directory}`)).toThrow(`f.yaml, document 1: spec.volumes[0].hostPath.path: ${d}/file is not a directory, as type Directory requires`);
    expect(() => one(`{path: ${d}, type: File}`)).toThrow(`${d} is not a regular file, as type File requires`);
    expect(() => one(`{path: ${d}/file, type: Socket}`)).toThrow(`${d}/file is not a socket, as type Socket requires`);
    expect(() => one(`{path: ${d}/nope, type: Directory}`)).toThrow(`f.yaml, document 1: spec.volumes[0].hostPath.path: ${d}/nope does not exist (type Directory needs a directory): create it, or use type DirectoryOrCreate`);
    expect(() => one(`{path: ${d}/nope}`)).toThrow(`${d}/nope does not exist: create it, or use type DirectoryOrCreate`);
    expect(() => one(`{path: ${d}/no/dir/f, type: FileOrCreate}`)).toThrow(`the directory of ${d}/no/dir/f does not exist: FileOrCreate makes the file, not its directory`);
    expect(() => one(`{path: ${d}, type: Folder}`)).toThrow('f.yaml, document 1: spec.volumes[0].hostPath.type: unknown type "Folder": use one of DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice');
  });

  it('refuses /, a path with "..", a relative path and a link that leads to /', () => {
    const d = tmp();
    fs.symlinkSync('/', path.join(d, 'root'));
    const ctx = testContext(tmp());
    const one = (p: string) => translatePod(pod('    - {name: a, mountPath: /a}\n', `  - {name: a, hostPath: {path: "${p}"}}\n`), ctx);
    expect(() => one('/')).toThrow('f.yaml, document 1: spec.volumes[0].hostPath.path: "/" is the host\'s root directory: a container is never given the whole host; mount the directory it needs');
    expect(() => one('//')).toThrow('"/" is the host\'s root directory');
    expect(() => one('/etc/../')).toThrow('f.yaml, document 1: spec.volumes[0].hostPath.path: "/etc/../" contains "..": give the path without ".." components');
    expect(() => one('/tmp/../../etc')).toThrow('contains ".."');
    expect(() => one('etc')).toThrow('f.yaml, document 1: spec.volumes[0].hostPath.path: "etc" is relative: a hostPath must be absolute');
    expect(() => one(`${d}/root`)).toThrow(`f.yaml, document 1: spec.volumes[0].hostPath.path: "${d}/root" leads to the host's root directory`);
  });
});

describe('persistentVolumeClaim volumes', () => {
  it('mounts the claim as a named volume, lists it once, keeps readOnly and subPath', () => {
    const t = translatePod(
      pod(`    - {name: data, mountPath: /data}\n    - {name: data, mountPath: /logs, subPath: logs}\n    - {name: ro, mountPath: /ro}\n`, `  - {name: data, persistentVolumeClaim: {claimName: app-data}}\n  - {name: ro, persistentVolumeClaim: {claimName: shared, readOnly: true}}\n`),
      testContext(tmp()),
    );
    expect(t.containers[0].create.mounts).toEqual(['type=volume,source=app-data,target=/data', 'type=volume,source=app-data,target=/logs,subpath=logs', 'type=volume,source=shared,target=/ro,ro=true']);
    expect(t.claims).toEqual(['app-data', 'shared']);
  });

  it('refuses a mount of a volume the pod does not have, a relative mountPath, one mounted twice and a subPath with ".."', () => {
    const ctx = testContext(tmp());
    const vols = '  - {name: data, persistentVolumeClaim: {claimName: d}}\n';
    expect(() => translatePod(pod('    - {name: nope, mountPath: /x}\n', vols), ctx)).toThrow('f.yaml, document 1: spec.containers[0].volumeMounts[0].name: no volume "nope" in spec.volumes: add it there');
    expect(() => translatePod(pod('    - {name: data, mountPath: x}\n', vols), ctx)).toThrow('f.yaml, document 1: spec.containers[0].volumeMounts[0].mountPath must be an absolute path in the container');
    expect(() => translatePod(pod('    - {name: data, mountPath: /x}\n    - {name: data, mountPath: /x/}\n', vols), ctx)).toThrow('f.yaml, document 1: spec.containers[0].volumeMounts[1].mountPath: /x is mounted twice');
    expect(() => translatePod(pod('    - {name: data, mountPath: /x, subPath: ../up}\n', vols), ctx)).toThrow('f.yaml, document 1: spec.containers[0].volumeMounts[0].subPath: must be a relative path without ".."');
    expect(() => translatePod(pod('    - {name: data, mountPath: /x}\n', `${vols}${vols}`), ctx)).toThrow('f.yaml, document 1: spec.volumes[1].name: volume "data" is defined twice');
  });
});

const OBJECTS = `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {app.conf: "port=80\\n", extra: "x"}
binaryData: {logo.bin: AAEC}
---
apiVersion: v1
kind: Secret
metadata: {name: tls}
data: {tls.key: c2VjcmV0}
`;

describe('configMap, secret and downwardAPI volumes', () => {
  it('writes every key of a ConfigMap (binaryData decoded) with its defaultMode, bound read-only', () => {
    const ctx = testContext(tmp(), OBJECTS);
    const t = translatePod(pod('    - {name: c, mountPath: /etc/app}\n', '  - name: c\n    configMap: {name: cfg, defaultMode: 0600}\n'), ctx);
    expect(ctx.written.get('web/c')).toEqual([
      { path: 'app.conf', data: 'port=80\n', mode: 0o600 },
      { path: 'extra', data: 'x', mode: 0o600 },
      { path: 'logo.bin', data: '\u0000\u0001\u0002', mode: 0o600 },
    ]);
    const dir = ctx.materialize('web', 'c', []);
    expect(t.containers[0].create.mounts).toEqual([`type=bind,source=${dir},target=/etc/app,ro=true`]);
    expect(fs.readFileSync(path.join(dir, 'app.conf'), 'utf8')).toBe('port=80\n');
  });

  it('writes only the items asked for, under their paths and modes', () => {
    const ctx = testContext(tmp(), OBJECTS);
    translatePod(pod('    - {name: c, mountPath: /etc/app}\n    - {name: s, mountPath: /tls}\n', '  - name: c\n    configMap:\n      name: cfg\n      items: [{key: app.conf, path: conf/app.conf, mode: 0400}]\n  - name: s\n    secret: {secretName: tls}\n'), ctx);
    expect(ctx.written.get('web/c')).toEqual([{ path: 'conf/app.conf', data: 'port=80\n', mode: 0o400 }]);
    expect(ctx.written.get('web/s')).toEqual([{ path: 'tls.key', data: 'secret', mode: 0o644 }]);
  });

  it('refuses a missing key or object unless optional (then the directory is empty), and item paths that leave the volume', () => {
    const ctx = testContext(tmp(), OBJECTS);
    const one = (vol: string) => translatePod(pod('    - {name: c, mountPath: /etc/app}\n', `  - name: c\n    ${vol}\n`), ctx);
    expect(() => one('configMap: {name: cfg, items: [{key: nope, path: n}]}')).toThrow('f.yaml, document 1: spec.volumes[0].configMap.items[0].key: key "nope" is not in ConfigMap "cfg": add it, or mark the volume optional: true');
    expect(() => one('secret: {secretName: nosuch}')).toThrow('f.yaml, document 1: spec.volumes[0].secret: Secret "nosuch" is not in the file: add it, or mark the volume optional: true');
    one('secret: {secretName: nosuch, optional: true}');
    expect(ctx.written.get('web/c')).toEqual([]);
    expect(() => one('configMap: {name: cfg, items: [{key: extra, path: ../../etc/passwd}]}')).toThrow('f.yaml, document 1: spec.volumes[0].configMap.items[0].path: "../../etc/passwd" must be a relative path without ".."');
    expect(() => one('configMap: {name: cfg, items: [{key: extra, path: /abs}]}')).toThrow('must be a relative path without ".."');
    expect(() => one('configMap: {name: cfg, defaultMode: 4095}')).toThrow('f.yaml, document 1: spec.volumes[0].configMap.defaultMode must be a mode from 0 to 0777 (511)');
  });

  it('writes the downward API\'s fields: name, namespace, all labels, one annotation', () => {
    const ctx = testContext(tmp(), '', { podName: 'web-pod-1' });
    translatePod(
      pod('    - {name: info, mountPath: /info}\n', "  - name: info\n    downwardAPI:\n      items:\n      - {path: name, fieldRef: {fieldPath: metadata.name}}\n      - {path: ns, fieldRef: {fieldPath: metadata.namespace}}\n      - {path: labels, fieldRef: {fieldPath: metadata.labels}}\n      - {path: app, fieldRef: {fieldPath: \"metadata.labels['app']\"}}\n"),
      ctx,
    );
    expect(ctx.written.get('web-pod-1/info')).toEqual([
      { path: 'name', data: 'web-pod-1', mode: 0o644 },
      { path: 'ns', data: 'default', mode: 0o644 },
      { path: 'labels', data: 'app="web"', mode: 0o644 },
      { path: 'app', data: 'web', mode: 0o644 },
    ]);
  });
});

describe('emptyDir volumes', () => {
  it('is a volume of the pod\'s own shared by its containers, or a tmpfs with its size for medium Memory', () => {
    const t = translatePod(
      template(`apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: a
    image: busybox
    volumeMounts: [{name: scratch, mountPath: /scratch}, {name: mem, mountPath: /mem}]
  - name: b
    image: busybox
    volumeMounts: [{name: scratch, mountPath: /shared, readOnly: true}]
  volumes:
  - {name: scratch, emptyDir: {}}
  - {name: mem, emptyDir: {medium: Memory, sizeLimit: 64Mi}}
`),
      testContext(tmp()),
    );
    expect(t.containers[0].create.mounts).toEqual(['type=volume,source=web-scratch,target=/scratch', `type=tmpfs,target=/mem,tmpfs-size=${64 * 1024 * 1024}`]);
    expect(t.containers[1].create.mounts).toEqual(['type=volume,source=web-scratch,target=/shared,ro=true']);
    expect(t.emptyDirs).toEqual(['web-scratch']);
    expect(t.claims).toEqual([]);
  });

  it('says that a Memory emptyDir is not shared when two containers mount it', () => {
    const ctx = testContext(tmp());
    translatePod(template('apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - {name: a, image: busybox, volumeMounts: [{name: m, mountPath: /m}]}\n  - {name: b, image: busybox, volumeMounts: [{name: m, mountPath: /m}]}\n  volumes: [{name: m, emptyDir: {medium: Memory}}]\n'), ctx);
    expect(ctx.warnings).toEqual(['f.yaml, document 1: spec.volumes[name=m].emptyDir.medium: each container gets a tmpfs of its own: the files are not shared between its containers: ignored']);
  });
});
