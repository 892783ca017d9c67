import { describe, expect, it } from 'vitest';
import { parseTransportRef } from '../../../../libpod/image/transport';

describe('image transports', () => {
  it.each([
    ['busybox', { transport: 'docker', target: 'busybox' }],
    ['docker://quay.io/a/b:1', { transport: 'docker', target: 'quay.io/a/b:1' }],
    // Podman takes docker:latest as the image "docker", tag latest.
    ['docker:latest', { transport: 'docker', target: 'docker:latest' }],
    ['localhost:5000/app', { transport: 'docker', target: 'localhost:5000/app' }],
    // Not a transport: the registry parser says what is wrong with it.
    ['Bad:Name', { transport: 'docker', target: 'Bad:Name' }],
    ['docker-archive:/tmp/a.tar', { transport: 'docker-archive', target: '/tmp/a.tar' }],
    ['docker-archive:a.tar:busybox:1', { transport: 'docker-archive', target: 'a.tar', ref: 'busybox:1' }],
    ['oci-archive:/tmp/o.tar:v1', { transport: 'oci-archive', target: '/tmp/o.tar', ref: 'v1' }],
    ['oci:/tmp/layout', { transport: 'oci', target: '/tmp/layout' }],
    ['oci:/tmp/layout:', { transport: 'oci', target: '/tmp/layout' }],
    ['oci:layout:app:2', { transport: 'oci', target: 'layout', ref: 'app:2' }],
    ['dir:/tmp/d', { transport: 'dir', target: '/tmp/d' }],
    ['containers-storage:localhost/app:1', { transport: 'containers-storage', target: 'localhost/app:1' }],
    ['containers-storage:[overlay@/r+/run]app', { transport: 'containers-storage', target: 'app' }],
  ])('reads %s', (name, want) => {
    expect(parseTransportRef(name)).toEqual(want);
  });

  it.each([
    ['docker-archiv:/tmp/a.tar', 'invalid image name "docker-archiv:/tmp/a.tar", unknown transport "docker-archiv": use one of docker://, docker-archive:, oci-archive:, oci:, dir:, containers-storage: or a registry reference'],
    ['ftp://host/x', 'invalid image name "ftp://host/x", unknown transport "ftp": use one of docker://, docker-archive:, oci-archive:, oci:, dir:, containers-storage: or a registry reference'],
    ['dir:', 'invalid image name "dir:": dir: needs a path, e.g. dir:/tmp/image'],
    ['oci-archive:', 'invalid image name "oci-archive:": oci-archive: needs a path, e.g. oci-archive:/tmp/image.tar'],
    ['containers-storage:', 'invalid image name "containers-storage:": containers-storage: needs an image name or ID'],
  ])('refuses %s', (name, message) => {
    expect(() => parseTransportRef(name)).toThrow(message);
  });
});
