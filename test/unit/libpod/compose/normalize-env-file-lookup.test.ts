// An env_file's ${VAR} takes VAR from the project's environment first, then from the service's own
// environment: (compose-go's WithServicesEnvironmentResolved looks both up). tspod looked only in
// the project's environment, so `URL=http://${HOST}` with HOST under environment: became "http://".
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { normalizeProject } from '../../../../libpod/compose/normalize';
import type { RawProject } from '../../../../libpod/compose/types';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-envfile-lookup-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.writeFileSync(path.join(dir, 'app.env'), 'URL=http://${HOST}:${PORT}/\n');

const raw = (web: Record<string, unknown>, env: Record<string, string> = {}): RawProject => ({
  name: 'proj',
  workingDir: dir,
  files: [path.join(dir, 'compose.yaml')],
  environment: env,
  dict: { services: { web: { image: 'busybox', env_file: 'app.env', ...web } } },
  where: () => undefined,
});

describe('env_file interpolation', () => {
  it("uses the service's environment for what the project's does not set", () => {
    const s = normalizeProject(raw({ environment: { HOST: 'db', PORT: '80' } }, { PORT: '8080' }), []).services.web;
    expect(s.environment?.URL).toBe('http://db:8080/');
  });
});
