// Finds host programs (runtimes, network helpers, ID mappers) on PATH and the sbin directories
// that a user's PATH often lacks, and reads their versions without a shell.
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';

export interface ProgramInfo {
  name: string;
  path: string | null;
  version: string | null;
}

const EXTRA_DIRS = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/libexec/podman'];

export function findProgram(name: string, env: Record<string, string | undefined> = process.env): string | null {
  if (name.includes('/')) return isExecutable(name) ? name : null;
  const dirs = (env.PATH ?? '').split(':').filter(Boolean).concat(EXTRA_DIRS);
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs a short command and resolves with stdout+stderr, or null if it could not run in time. */
export function runQuiet(file: string, args: string[], timeoutMs = 5000): Promise<{ code: number; output: string } | null> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const output = `${stdout ?? ''}${stderr ?? ''}`;
      if (err && typeof (err as NodeJS.ErrnoException).code === 'string') return resolve(null);
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output });
    });
  });
}

/** The version line: the first line that names the program or says "version", else the first line. */
export function pickVersionLine(name: string, output: string): string | null {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const base = path.basename(name);
  const named = lines.find((l) => l.startsWith(base) && /version|\d/.test(l));
  return named ?? lines.find((l) => /version/i.test(l)) ?? lines[0] ?? null;
}

export async function programInfo(name: string, versionArgs = ['--version']): Promise<ProgramInfo> {
  const found = findProgram(name);
  if (!found) return { name: path.basename(name), path: null, version: null };
  const result = await runQuiet(found, versionArgs);
  return { name: path.basename(name), path: found, version: result ? pickVersionLine(name, result.output) : null };
}
