import { describe, expect, it } from 'vitest';
import { buildEndMessages, buildOptionsFromQuery, dockerBuildLine } from '../../../api/docker/image-build';
import { defaultBuildOptions } from '../../../libpod/build/build-defaults';

const q = (s: string) => new URLSearchParams(s);
const opts = (s: string) => buildOptionsFromQuery(q(s), defaultBuildOptions('-', []), 'amd64');

describe('POST /build query', () => {
  it('keeps the defaults when nothing is asked: the body is the context', () => {
    const o = opts('');
    expect(o.context).toBe('-');
    expect(o.files).toEqual([]);
    expect(o).toMatchObject({ tags: [], noCache: false, pull: 'missing', rm: true, forceRm: false, quiet: false, layers: true });
  });
  it('takes tags, dockerfile, build args, labels, target and the flags', () => {
    const args = encodeURIComponent(JSON.stringify({ A: '1', B: null }));
    const labels = encodeURIComponent(JSON.stringify({ l: 'v' }));
    const o = opts(`t=a:1&t=b&dockerfile=sub/Containerfile&buildargs=${args}&labels=${labels}&target=final&nocache=1&pull=1&rm=0&forcerm=1&q=1&extrahosts=h:1.2.3.4&networkmode=host&shmsize=1048576`);
    expect(o).toMatchObject({ tags: ['a:1', 'b'], files: ['sub/Containerfile'], buildArgs: { A: '1' }, labels: ['l=v'], target: 'final', noCache: true, pull: 'always', rm: false, forceRm: true, quiet: true, addHosts: ['h:1.2.3.4'], network: 'host', shmSize: '1048576b' });
  });
  it('takes a remote URL as the context', () => {
    expect(opts('remote=https://example.com/ctx.tar').context).toBe('https://example.com/ctx.tar');
    expect(() => opts('remote=git://example.com/r.git')).toThrow(/not supported: give an http\(s\) URL/);
  });
  it('refuses a dockerfile outside the context, bad JSON, BuildKit and another platform', () => {
    expect(() => opts('dockerfile=../x')).toThrow(/inside the build context/);
    expect(() => opts('dockerfile=/etc/passwd')).toThrow(/inside the build context/);
    expect(() => opts('buildargs=nope')).toThrow(/invalid buildargs/);
    expect(() => opts(`labels=${encodeURIComponent('{"a":1}')}`)).toThrow(/invalid labels/);
    expect(() => opts('version=2')).toThrow(/DOCKER_BUILDKIT=0/);
    expect(() => opts('platform=linux/arm64')).toThrow(/linux\/amd64 only/);
    expect(opts('platform=linux/amd64').platform).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(() => opts('shmsize=1g')).toThrow(/number of bytes/);
  });
});

describe('build stream', () => {
  it('words the engine lines as the legacy builder', () => {
    expect(dockerBuildLine('STEP 1/3: FROM busybox')).toBe('Step 1/3 : FROM busybox');
    expect(dockerBuildLine('--> 4e8ee8c4527')).toBe(' ---> 4e8ee8c4527');
    expect(dockerBuildLine('hello from RUN')).toBe('hello from RUN');
    expect(dockerBuildLine('COMMIT a:1')).toBeUndefined();
    expect(dockerBuildLine('Successfully tagged localhost/a:1')).toBeUndefined();
    expect(dockerBuildLine('ab'.repeat(32))).toBeUndefined();
  });
  it('ends with the aux ID and Docker closing lines, or only the ID when quiet', () => {
    const id = 'cd'.repeat(32);
    expect(buildEndMessages(id, ['a:1'], false)).toEqual([{ aux: { ID: `sha256:${id}` } }, { stream: `Successfully built ${id.slice(0, 12)}\n` }, { stream: 'Successfully tagged a:1\n' }]);
    expect(buildEndMessages(`sha256:${id}`, [], true)).toEqual([{ aux: { ID: `sha256:${id}` } }, { stream: `sha256:${id}\n` }]);
  });
});
