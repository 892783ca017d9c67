import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diffUpper } from '../../../../libpod/container/container-diff';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('diff of an upper directory', () => {
  it("leaves out a directory the runtime made only for tspod's mount points (/run for /run/.containerenv)", () => {
    const upper = tmp();
    const lower = tmp();
    fs.mkdirSync(path.join(lower, 'etc'));
    fs.mkdirSync(path.join(upper, 'etc'));
    fs.writeFileSync(path.join(upper, 'etc/hosts'), '');
    fs.mkdirSync(path.join(upper, 'run'));
    fs.writeFileSync(path.join(upper, 'run/.containerenv'), '');
    expect(diffUpper(upper, [lower])).toEqual([{ kind: 'C', path: '/etc' }]);
    // What the container itself put there, or an empty directory it made, is still its change.
    fs.writeFileSync(path.join(upper, 'run/mine'), 'x');
    fs.mkdirSync(path.join(upper, 'empty'));
    expect(diffUpper(upper, [lower])).toEqual([{ kind: 'A', path: '/empty' }, { kind: 'C', path: '/etc' }, { kind: 'A', path: '/run' }, { kind: 'A', path: '/run/mine' }]);
  });
});
