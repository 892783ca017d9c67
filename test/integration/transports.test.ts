// Image transports as a user types them: docker-archive:, oci-archive:, oci:, dir:, docker:// and
// containers-storage: for pull, run, push and save, between two stores and with skopeo (the real
// containers/image) reading what tspod writes and writing what tspod reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Store, registry, run } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

describe('image transports', () => {
  const a = new Store('transport-a');
  const b = new Store('transport-b');
  const busybox = `${registry}/library/busybox`;
  let id = '';
  const idOf = (s: Store, name: string) => s.tspod(['image', 'inspect', '--format', '{{.Id}}', name]).stdout.trim();
  const names = (s: Store) => s.tspod(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']).stdout.split('\n').filter(Boolean).sort();
  beforeAll(() => {
    expect(a.tspod(['pull', '-q', busybox]).code).toBe(0);
    id = idOf(a, busybox);
    expect(id).toMatch(/^[a-f0-9]{64}$/);
  });
  afterAll(() => {
    a.cleanup();
    b.cleanup();
  });
  const fresh = () => {
    b.tspod(['rm', '-af', '-t', '0']);
    b.tspod(['rmi', '-af']);
  };

  it('runs docker-archive:FILE from a save, named by its RepoTags', () => {
    fresh();
    const file = path.join(a.dir, 'bb.tar');
    expect(a.tspod(['save', '-o', file, busybox]).code).toBe(0);
    const r = b.tspod(['run', '--rm', `docker-archive:${file}`, 'true']);
    expect(r.code, r.stderr).toBe(0);
    expect(names(b)).toEqual([`${busybox}:latest ${id.slice(0, 12)}`]);
    const pulled = b.tspod(['pull', '-q', `docker-archive:${file}:${busybox}`]);
    expect(pulled).toMatchObject({ code: 0, stdout: `${id}\n` });
  });

  it('pulls oci-archive:FILE and takes the name from its ref.name', () => {
    fresh();
    const file = path.join(a.dir, 'bb-oci.tar');
    expect(a.tspod(['save', '--format', 'oci-archive', '-o', file, busybox]).code).toBe(0);
    const r = b.tspod(['pull', `oci-archive:${file}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${id}\n`);
    expect(r.stderr).toMatch(/^Getting image source signatures\nCopying blob [a-f0-9]{12} done\n(Copying blob [a-f0-9]{12} done\n)*Copying config [a-f0-9]{12} done\nWriting manifest to image destination\n$/);
    expect(names(b)).toEqual([`${busybox}:latest ${id.slice(0, 12)}`]);
  });

  it('push IMG oci:DIR:REF writes a layout skopeo reads; pull oci:DIR:REF reads it back', () => {
    fresh();
    const dir = path.join(a.dir, 'layout');
    expect(a.tspod(['push', busybox, `oci:${dir}:bb1`])).toMatchObject({ code: 0, stdout: '' });
    expect(a.tspod(['push', busybox, `oci:${dir}:bb2`]).code).toBe(0);
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
    expect(index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations['org.opencontainers.image.ref.name'])).toEqual(['bb1', 'bb2']);
    const inspect = run(['skopeo', 'inspect', `oci:${dir}:bb1`]);
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(JSON.parse(inspect.stdout).Digest).toBe(index.manifests[0].digest);
    const config = JSON.parse(run(['skopeo', 'inspect', '--config', `oci:${dir}:bb2`]).stdout);
    expect(config.rootfs.diff_ids).toEqual(JSON.parse(a.tspod(['image', 'inspect', busybox]).stdout)[0].RootFS.Layers);
    const pulled = b.tspod(['pull', '-q', `oci:${dir}:bb2`]);
    expect(pulled).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(names(b)).toEqual([`localhost/bb2:latest ${id.slice(0, 12)}`]);
    // Two images and no name: which one is meant must be said.
    const both = b.tspod(['pull', `oci:${dir}`]);
    expect(both.code).toBe(125);
    expect(both.stderr).toBe(`Error: oci:${dir} holds 2 images: choose one with oci:${dir}:NAME (bb1, bb2)\n`);
  });

  it('push IMG dir:D writes what skopeo copies; run dir:D leaves D as it was', () => {
    fresh();
    const dir = path.join(a.dir, 'dirimage');
    const digestFile = path.join(a.dir, 'dir-digest');
    expect(a.tspod(['push', '--digestfile', digestFile, busybox, `dir:${dir}`]).code).toBe(0);
    expect(JSON.parse(run(['skopeo', 'inspect', `dir:${dir}`]).stdout).Digest).toBe(fs.readFileSync(digestFile, 'utf8'));
    expect(fs.readFileSync(path.join(dir, 'version'), 'utf8')).toBe('Directory Transport Version: 1.1\n');
    const before = fs.readdirSync(dir).sort();
    expect(before).toContain(id);
    const copied = path.join(a.dir, 'skopeo-oci');
    const copy = run(['skopeo', 'copy', `dir:${dir}`, `oci:${copied}:fromdir`]);
    expect(copy.code, copy.stderr).toBe(0);
    const r = b.tspod(['run', '--rm', `dir:${dir}`, 'echo', 'from dir']);
    expect(r).toMatchObject({ code: 0, stdout: 'from dir\n' });
    expect(fs.readdirSync(dir).sort()).toEqual(before);
    expect(names(b)).toEqual([`<none>:<none> ${id.slice(0, 12)}`]);
    // What skopeo wrote from it, tspod reads: the same image.
    fresh();
    expect(b.tspod(['pull', '-q', `oci:${copied}:fromdir`])).toMatchObject({ code: 0, stdout: `${id}\n` });
  });

  it('push IMG docker-archive:F:REF and oci-archive:F write archives skopeo reads, and tspod runs skopeo\'s', () => {
    fresh();
    const file = path.join(a.dir, 'pushed.tar');
    expect(a.tspod(['push', busybox, `docker-archive:${file}:myname:2`]).code).toBe(0);
    expect(JSON.parse(run(['tar', '-xOf', file, 'manifest.json']).stdout)[0].RepoTags).toEqual(['docker.io/library/myname:2']);
    expect(JSON.parse(run(['skopeo', 'inspect', '--config', `docker-archive:${file}`]).stdout).rootfs.type).toBe('layers');
    const ociFile = path.join(a.dir, 'pushed-oci.tar');
    expect(a.tspod(['push', busybox, `oci-archive:${ociFile}`]).code).toBe(0);
    expect(run(['skopeo', 'inspect', `oci-archive:${ociFile}`]).code).toBe(0);
    const fromSkopeo = path.join(a.dir, 'skopeo.tar');
    const copy = run(['skopeo', 'copy', `oci-archive:${ociFile}`, `docker-archive:${fromSkopeo}:sk/img:1`]);
    expect(copy.code, copy.stderr).toBe(0);
    expect(b.tspod(['run', '--rm', `docker-archive:${fromSkopeo}`, 'echo', 'ok'])).toMatchObject({ code: 0, stdout: 'ok\n' });
    expect(names(b)).toEqual([`docker.io/sk/img:1 ${id.slice(0, 12)}`]);
  });

  it('save --format oci-dir and docker-dir write the layouts of oci: and dir:', () => {
    const oci = path.join(a.dir, 'save-oci');
    const dir = path.join(a.dir, 'save-dir');
    expect(a.tspod(['save', '--format', 'oci-dir', '-o', oci, busybox])).toMatchObject({ code: 0, stderr: '' });
    expect(a.tspod(['save', '--format', 'docker-dir', '-o', dir, busybox])).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run(['skopeo', 'inspect', '--config', `oci:${oci}:${busybox}:latest`]).stdout).rootfs.type).toBe('layers');
    expect(JSON.parse(run(['skopeo', 'inspect', '--config', `dir:${dir}`]).stdout).rootfs.type).toBe('layers');
    // load -i reads both directories back, as Podman's load does.
    fresh();
    expect(b.tspod(['load', '-i', oci])).toMatchObject({ code: 0, stdout: `Loaded image: ${busybox}:latest\n` });
    fresh();
    expect(b.tspod(['load', '-i', dir])).toMatchObject({ code: 0, stdout: `Loaded image: ${id}\n` });
    expect(fs.readdirSync(dir)).toContain(id);
  });

  it('takes docker://REF as REF and containers-storage:REF as the local image', () => {
    fresh();
    expect(b.tspod(['pull', '-q', `docker://${busybox}`])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(b.tspod(['run', '--rm', `containers-storage:${busybox}`, 'true']).code).toBe(0);
    expect(b.tspod(['create', '--pull', 'never', `docker://${busybox}`, 'true']).code).toBe(0);
  });

  it('says what is missing and what transport is unknown, exit 125', () => {
    const missing = path.join(a.dir, 'nosuch.tar');
    expect(b.tspod(['pull', `docker-archive:${missing}`])).toMatchObject({ code: 125, stderr: `Error: cannot read docker-archive:${missing}: no such file or directory\n` });
    expect(b.tspod(['run', '--rm', `oci:${missing}`, 'true'])).toMatchObject({ code: 125, stderr: `Error: cannot read oci:${missing}: no such file or directory\n` });
    expect(b.tspod(['pull', `docker-archiv:${missing}`])).toMatchObject({
      code: 125,
      stderr: `Error: invalid image name "docker-archiv:${missing}", unknown transport "docker-archiv": use one of docker://, docker-archive:, oci-archive:, oci:, dir:, containers-storage: or a registry reference\n`,
    });
    expect(a.tspod(['push', busybox, `dir:${path.join(missing, 'x')}`])).toMatchObject({ code: 125, stderr: `Error: cannot write dir:${path.join(missing, 'x')}: directory ${missing} does not exist\n` });
  });
});
