import { describe, expect, it } from 'vitest';
import os from 'node:os';
import { isNoSpace, noSpaceError } from '../../../src/disk-space';
import { NoSpaceError, RegistryError } from '../../../src/errors';

describe('a full disk', () => {
  it('is recognised through causes, in Node and SQLite errors', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(isNoSpace(enospc)).toBe(true);
    expect(isNoSpace(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(true);
    expect(isNoSpace(new RegistryError('cannot read the layer', { cause: enospc }))).toBe(true);
    expect(isNoSpace(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }))).toBe(false);
    expect(isNoSpace(undefined)).toBe(false);
  });

  it('is named with the failed path, its free space and what to free', () => {
    const cause = Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', path: os.tmpdir() });
    const err = noSpaceError(['/nonexistent-store'], 'writing x', cause);
    expect(err).toBeInstanceOf(NoSpaceError);
    expect(err.exitCode).toBe(125);
    expect(err.message).toMatch(new RegExp(`^no space left on device \\(ENOSPC\\) writing x: the filesystem of ${os.tmpdir()} is full \\([\\d.]+ [kMGT]?B free of [\\d.]+ [kMGT]?B\\): free space there: remove containers \\(tspod rm\\), unused images \\(tspod image prune -a\\) or other files on that filesystem, then try again$`));
    expect(noSpaceError(['/nonexistent-store'], 'writing y').message).toMatch(/^no space left on device \(ENOSPC\) writing y: the filesystem is full: free space there/);
  });
});
