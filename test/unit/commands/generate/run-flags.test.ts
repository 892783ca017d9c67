import { describe, expect, it } from 'vitest';
import { runValueFlags } from '../../../../commands/generate/run-flags';
import { rewriteCreateCommand } from '../../../../libpod/systemd/generate-systemd';

describe('the run flags the unit writers read', () => {
  it('know the user-namespace flags take a value, so generate systemd --new keeps them and the image after them', () => {
    const flags = runValueFlags();
    for (const f of ['--userns', '--uidmap', '--gidmap', '--subuidname', '--subgidname', '--group-add', '--hostuser', '--passwd-entry', '--group-entry']) expect(flags.has(f), f).toBe(true);
    const r = rewriteCreateCommand(['run', '-d', '--userns', 'keep-id', '--uidmap', '0:1:10', '--group-add', 'wheel', '--passwd-entry', '$USERNAME:x:$UID', 'busybox', 'id'], flags, 'c');
    expect(r).toEqual({ globals: [], flags: ['--userns', 'keep-id', '--uidmap', '0:1:10', '--group-add', 'wheel', '--passwd-entry', '$USERNAME:x:$UID'], rest: ['busybox', 'id'] });
  });
});
