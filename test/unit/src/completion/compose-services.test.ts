import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeServiceNames } from '../../../../src/completion/compose-services';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-services-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('compose service names for completion', () => {
  it('reads the services of the file found upwards, sorted', () => {
    fs.writeFileSync(path.join(dir, 'docker-compose.yml'), 'services:\n  web: {image: x}\n  db:\n    image: y\nx-a: &a {}\n');
    const sub = path.join(dir, 'sub');
    fs.mkdirSync(sub);
    expect(composeServiceNames(sub, {})).toEqual(['db', 'web']);
  });

  it('takes COMPOSE_FILE, and offers nothing for a file that does not parse or is missing', () => {
    fs.writeFileSync(path.join(dir, 'other.yaml'), 'services:\n  api: {}\n');
    expect(composeServiceNames(dir, { COMPOSE_FILE: 'other.yaml' })).toEqual(['api']);
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'services: [\n');
    expect(composeServiceNames(dir, { COMPOSE_FILE: 'bad.yaml' })).toEqual([]);
    expect(composeServiceNames(dir, { COMPOSE_FILE: 'nope.yaml' })).toEqual([]);
  });
});
