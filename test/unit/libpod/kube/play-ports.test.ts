import { describe, expect, it } from 'vitest';
import { mergePublish } from '../../../../libpod/kube/play-ports';
import { buildContext, imageDirName } from '../../../../libpod/kube/play-build';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('mergePublish (kube play --publish)', () => {
  it('replaces the host side of a containerPort of the same number and protocol, keeps the others, adds new ones', () => {
    expect(mergePublish(['8080:80/tcp', '5353:53/udp'], ['127.0.0.1:9090:80'])).toEqual(['5353:53/udp', '127.0.0.1:9090:80']);
    expect(mergePublish(['8080:80/tcp'], ['53:53/udp'])).toEqual(['8080:80/tcp', '53:53/udp']);
    expect(mergePublish(['8080:80/tcp'], [])).toEqual(['8080:80/tcp']);
  });

  it('refuses a --publish that does not parse, as -p does', () => {
    expect(() => mergePublish([], ['80/sctp'])).toThrow(/invalid protocol "sctp"/);
  });
});

describe('--build: the directory named after an image', () => {
  it('is the last path component without tag or digest', () => {
    expect(imageDirName('localhost/web:1.0')).toBe('web');
    expect(imageDirName('registry.example:5000/team/api@sha256:abcd')).toBe('api');
    expect(imageDirName('busybox')).toBe('busybox');
  });

  it('counts only when it holds a Containerfile or Dockerfile, and never leaves the directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-build-'));
    fs.mkdirSync(path.join(dir, 'web'));
    fs.mkdirSync(path.join(dir, 'empty'));
    fs.writeFileSync(path.join(dir, 'web', 'Dockerfile'), 'FROM busybox\n');
    expect(buildContext(dir, 'localhost/web:latest')).toBe(path.join(dir, 'web'));
    expect(buildContext(dir, 'empty')).toBeUndefined();
    expect(buildContext(dir, '..')).toBeUndefined();
    fs.rmSync(dir, { recursive: true });
  });
});
