import { describe, expect, it } from 'vitest';
import { DockerProgress, errorMessage, progressBar, pullEndMessages, pullStartMessage, pushEndMessages, type JsonMessage } from '../../../api/docker/image-progress';

const D = 'sha256:8867e303389700000000000000000000000000000000000000000000000000aa';

describe('DockerProgress', () => {
  it('words a pull as Docker does, byte counts at most once per interval', () => {
    const out: JsonMessage[] = [];
    let t = 1000;
    const p = new DockerProgress((m) => out.push(m), 'pull', () => t, 200);
    p.line('Trying to pull x...');
    p.blobStart(D, 1000, 0);
    p.blobBytes(D, 100);
    t += 50;
    p.blobBytes(D, 100); // within the interval: not sent
    t += 300;
    p.blobBytes(D, 100);
    p.blobBytes(D, 700); // complete: sent though within the interval
    p.blobDone(D, 'done');
    expect(out).toEqual([
      { status: 'Pulling fs layer', progressDetail: {}, id: '8867e3033897' },
      { status: 'Downloading', progressDetail: { current: 100, total: 1000 }, progress: progressBar(100, 1000), id: '8867e3033897' },
      { status: 'Downloading', progressDetail: { current: 300, total: 1000 }, progress: progressBar(300, 1000), id: '8867e3033897' },
      { status: 'Downloading', progressDetail: { current: 1000, total: 1000 }, progress: progressBar(1000, 1000), id: '8867e3033897' },
      { status: 'Download complete', progressDetail: {}, id: '8867e3033897' },
      { status: 'Pull complete', progressDetail: {}, id: '8867e3033897' },
    ]);
    expect(p.transferred).toBe(true);
  });

  it('says Already exists for a stored layer and nothing was transferred', () => {
    const out: JsonMessage[] = [];
    const p = new DockerProgress((m) => out.push(m), 'pull');
    p.blobDone(D, 'skipped: already exists');
    expect(out).toEqual([{ status: 'Already exists', progressDetail: {}, id: '8867e3033897' }]);
    expect(p.transferred).toBe(false);
    expect(pullEndMessages('busybox:latest', 'sha256:abc', false)).toEqual([{ status: 'Digest: sha256:abc' }, { status: 'Status: Image is up to date for busybox:latest' }]);
  });

  it('words a push: Preparing, Pushed, Layer already exists, Mounted from', () => {
    const out: JsonMessage[] = [];
    const p = new DockerProgress((m) => out.push(m), 'push');
    p.blobStart(D, 10, 0);
    p.blobDone(D, 'done');
    p.blobDone(D, 'skipped: already exists');
    p.blobDone(D, 'skipped: mounted from library/busybox');
    expect(out.map((m) => m.status)).toEqual(['Preparing', 'Pushed', 'Layer already exists', 'Mounted from library/busybox']);
    expect(pushEndMessages('v1', 'sha256:abc')).toEqual([{ status: 'v1: digest: sha256:abc' }, { progressDetail: {}, aux: { Tag: 'v1', Digest: 'sha256:abc' } }]);
  });

  it('draws the bar and the error and start messages', () => {
    expect(progressBar(0, 100)).toBe(`[${' '.repeat(50)}] 0B/100B`);
    expect(progressBar(50, 100)).toBe(`[${'='.repeat(24)}>${' '.repeat(25)}] 50B/100B`);
    expect(progressBar(2_140_000, 2_140_000)).toMatch(/^\[=+>\] 2\.14MB\/2\.14MB$/);
    expect(errorMessage('boom')).toEqual({ errorDetail: { message: 'boom' }, error: 'boom' });
    expect(pullStartMessage('docker.io/library/busybox', 'latest')).toEqual({ status: 'Pulling from library/busybox', id: 'latest' });
  });
});
