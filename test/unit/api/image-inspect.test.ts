import { describe, expect, it } from 'vitest';
import { dockerImageInspect } from '../../../api/docker/image-inspect';

describe('GET /images/{name}/json', () => {
  it("gives Docker's shape from the engine's document", () => {
    const d = dockerImageInspect({
      Id: 'ab'.repeat(32), RepoTags: ['x:1'], RepoDigests: [], Parent: '', Comment: 'c', Created: '2024-01-01T00:00:00Z',
      Config: { Cmd: ['sh'], Env: ['PATH=/bin'], Labels: { a: 'b' }, ExposedPorts: { '80/tcp': {} } }, Author: 'me', Architecture: 'amd64', Os: 'linux', Size: 5, VirtualSize: 5,
      GraphDriver: { Name: 'overlay', Data: { LowerDir: undefined, UpperDir: '/u' } }, RootFS: { Type: 'layers', Layers: ['sha256:1'] },
    });
    expect(d).toMatchObject({ Id: `sha256:${'ab'.repeat(32)}`, RepoTags: ['x:1'], Parent: '', Comment: 'c', Author: 'me', Architecture: 'amd64', Os: 'linux', Size: 5, GraphDriver: { Name: 'overlay', Data: { UpperDir: '/u' } }, RootFS: { Type: 'layers', Layers: ['sha256:1'] } });
    expect(d.Config).toMatchObject({ Cmd: ['sh'], Env: ['PATH=/bin'], Labels: { a: 'b' }, ExposedPorts: { '80/tcp': {} }, Entrypoint: null, WorkingDir: '', User: '', Volumes: null });
    expect((d.GraphDriver as { Data: object }).Data).not.toHaveProperty('LowerDir');
  });
  it('gives the parent with sha256: and nulls for an empty config', () => {
    const d = dockerImageInspect({ Id: 'sha256:aa', Parent: 'bb' });
    expect(d.Id).toBe('sha256:aa');
    expect(d.Parent).toBe('sha256:bb');
    expect(d.Config).toMatchObject({ Cmd: null, Env: null, Labels: null });
  });
});
