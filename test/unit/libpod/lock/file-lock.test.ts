import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lockState, removeLock, withLock } from '../../../../libpod/lock/file-lock';
import { processStartTime } from '../../../../libpod/rootless/pause-process';

function tempFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-lock-')), 'c');
}

/** A pid and start time of a process that has ended. */
function deadOwner(): string {
  const r = spawnSync('sh', ['-c', 'echo $$ $(cut -d" " -f22 /proc/$$/stat)'], { encoding: 'utf8' });
  return r.stdout.trim();
}

describe('file locks with named holders', () => {
  it('is free before, held while fn runs (by this process, named beside it), free after', async () => {
    const file = tempFile();
    expect(lockState(file)).toBe('free');
    await withLock(file, () => {
      expect(lockState(file)).toBe('held');
      expect(fs.readFileSync(`${file}.owner`, 'utf8')).toBe(`${process.pid} ${processStartTime(process.pid)}`);
    });
    expect(lockState(file)).toBe('free');
    expect(fs.existsSync(`${file}.owner`)).toBe(false);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('wakes a waiter when the holder releases, not on its next poll', async () => {
    // Eight locks, each held for about a second: a waiter that polled (proper-lockfile's retries
    // reach 100 ms apart by then) would take each one up to 100 ms after its release.
    const files = Array.from({ length: 8 }, tempFile);
    const latencies = await Promise.all(
      files.map(async (file, i) => {
        let released = 0;
        let taken = 0;
        let holding!: () => void;
        const held = new Promise<void>((r) => (holding = r));
        const holder = withLock(file, () => new Promise<void>((r) => {
          holding();
          setTimeout(r, 1_000 + i * 11);
        })).then(() => (released = performance.now()));
        await held;
        await withLock(file, () => void (taken = performance.now()));
        await holder;
        return taken - released;
      }),
    );
    expect(Math.max(...latencies)).toBeLessThan(50);
  });

  it('knows a lock whose holder died as abandoned at once, and takes it over without waiting for staleness', async () => {
    const file = tempFile();
    fs.mkdirSync(`${file}.lock`);
    fs.writeFileSync(`${file}.owner`, deadOwner());
    expect(lockState(file)).toBe('abandoned');
    const t0 = Date.now();
    expect(await withLock(file, () => 'ran', 'lock', 3_000)).toBe('ran');
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(lockState(file)).toBe('free');
  });

  it('leaves a lock without a named holder to it (held) until it goes stale, and removeLock leaves a held lock alone', () => {
    const file = tempFile();
    fs.mkdirSync(`${file}.lock`);
    expect(lockState(file)).toBe('held');
    expect(removeLock(file)).toBe(false);
    expect(fs.existsSync(`${file}.lock`)).toBe(true);
    // Nameless for seconds: a holder that could not name itself (a full disk) keeps it fresh.
    const seconds = new Date(Date.now() - 3_000);
    fs.utimesSync(`${file}.lock`, seconds, seconds);
    expect(lockState(file)).toBe('held');
    const stale = new Date(Date.now() - 11_000); // nobody refreshed it: its holder died as it took it
    fs.utimesSync(`${file}.lock`, stale, stale);
    expect(lockState(file)).toBe('abandoned');
    fs.utimesSync(`${file}.lock`, new Date(), new Date());
    fs.writeFileSync(`${file}.owner.123.tmp`, '123');
    fs.writeFileSync(`${file}.owner`, deadOwner());
    expect(removeLock(file)).toBe(true);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
    expect(fs.existsSync(`${file}.owner`)).toBe(false);
    expect(fs.existsSync(`${file}.owner.123.tmp`)).toBe(false);
  });
});
