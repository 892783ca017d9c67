import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkLaunchedHolder, INSIDE_ENV, LAUNCHED_ENV } from '../../../../libpod/rootless/user-namespace';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-userns-'));
afterEach(() => {
  delete process.env[LAUNCHED_ENV];
  delete process.env[INSIDE_ENV];
});

describe('a command bin/tspod started inside the namespace', () => {
  it('goes on when the holder it entered is its runroot\'s, and passes the mark on to nothing it starts', () => {
    fs.writeFileSync(path.join(dir, 'pause.pid'), '4242 123456\n');
    Object.assign(process.env, { [LAUNCHED_ENV]: '1', [INSIDE_ENV]: '4242' });
    expect(() => checkLaunchedHolder(dir)).not.toThrow();
    expect(process.env[LAUNCHED_ENV]).toBeUndefined();
  });

  it('stops, saying what to do, when the launcher entered another holder than the runroot names', () => {
    fs.writeFileSync(path.join(dir, 'pause.pid'), '4242 123456\n');
    Object.assign(process.env, { [LAUNCHED_ENV]: '1', [INSIDE_ENV]: '777' });
    expect(() => checkLaunchedHolder(dir)).toThrow(`internal error: bin/tspod entered the namespace of process 777, but ${dir}/pause.pid names 4242: run the command again with TSPOD_NO_LAUNCHER=1 set, and report it`);
    fs.rmSync(path.join(dir, 'pause.pid'));
    Object.assign(process.env, { [LAUNCHED_ENV]: '1', [INSIDE_ENV]: '777' });
    expect(() => checkLaunchedHolder(dir)).toThrow(/pause.pid names none/);
  });

  it('checks nothing when node outside entered the namespace (the mark is absent)', () => {
    process.env[INSIDE_ENV] = '777';
    expect(() => checkLaunchedHolder(path.join(dir, 'nowhere'))).not.toThrow();
  });
});
