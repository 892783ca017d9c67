// An included project's .env (or env_file) fills in only what the including project's environment
// does not set: the including project's .env and the shell win, as compose-go merges them (its
// "local environment overrides included .env"). tspod let the included .env win over the
// including .env, so `include` changed the values of variables the user had set for the project.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadRaw } from '../../../../libpod/compose/load';

let root: string;
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-include-env-')));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(root, { recursive: true, force: true });
});

function write(rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

type Dict = { services: Record<string, { image: string }> };

describe('include and the environment', () => {
  beforeEach(() => {
    write('compose.yaml', 'include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: web\n');
    write('sub/compose.yaml', 'services:\n  db:\n    image: "mysql:${TAG}-${ONLY_SUB}"\n');
    write('sub/.env', 'TAG=from-sub\nONLY_SUB=sub\n');
  });

  it("lets the including project's .env win over the included .env", () => {
    write('.env', 'TAG=from-main\n');
    const raw = loadRaw({ files: [], profiles: [], envFiles: [], env: {}, workingDir: root });
    expect((raw.dict as Dict).services.db.image).toBe('mysql:from-main-sub');
  });

  it('lets the shell win over both', () => {
    write('.env', 'TAG=from-main\n');
    const raw = loadRaw({ files: [], profiles: [], envFiles: [], env: { TAG: 'shell' }, workingDir: root });
    expect((raw.dict as Dict).services.db.image).toBe('mysql:shell-sub');
  });

  it('uses the included .env for what the project does not set', () => {
    const raw = loadRaw({ files: [], profiles: [], envFiles: [], env: {}, workingDir: root });
    expect((raw.dict as Dict).services.db.image).toBe('mysql:from-sub-sub');
  });
});
