// A local volume declared as a bind of a host directory (driver_opts o: bind, device: ./data) in an
// included project is that project's directory, as compose-go resolves volumes.*.driver_opts.device
// against the included project's directory. tspod left it relative, and the normaliser then took it
// against the including project's directory: the service bound another directory than the one written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadProject } from '../../../../libpod/compose/project';

let root: string;
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-include-device-')));
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

describe('include and bind-declared volumes', () => {
  it("resolves an included volume's relative device against the included project's directory", () => {
    write('compose.yaml', 'include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: web\n');
    write('sub/compose.yaml', 'services:\n  db:\n    image: db\n    volumes: [data:/data]\nvolumes:\n  data:\n    driver: local\n    driver_opts: {type: none, o: bind, device: ./data}\n');
    const p = loadProject({ files: [], profiles: [], envFiles: [], env: {}, workingDir: root });
    expect(p.volumes.data.driver_opts?.device).toBe(path.join(root, 'sub', 'data'));
  });
});
