// Which compose files a project is made of, as Docker Compose finds them: -f (in order; "-" is
// stdin), else COMPOSE_FILE, else the first directory from the working directory upwards holding one
// of the default names, with its override file beside it.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import { log } from '../../src/log';

/** The default names, by precedence (Compose's own order). */
export const DEFAULT_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
/** The override files looked for beside a default file, by precedence (Compose's own order). */
export const DEFAULT_OVERRIDE_NAMES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];

export const STDIN = '-';

export interface FoundFiles {
  /** Absolute paths, "-" for stdin, in merge order. */
  files: string[];
  /** Whether they came from the default lookup (so the project directory is the first file's). */
  defaulted: boolean;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The first of `names` present in `dir` (warning when several are), or undefined. */
function pick(dir: string, names: string[], what: string): string | undefined {
  const present = names.map((n) => path.join(dir, n)).filter(isFile);
  if (present.length > 1) {
    log.warn(`Found multiple ${what} files with supported names: ${present.join(', ')}`);
    log.warn(`Using ${present[0]}`);
  }
  return present[0];
}

/**
 * The project's files. `composeFile` is COMPOSE_FILE (from the process environment or the .env
 * file) and `separator` COMPOSE_PATH_SEPARATOR; relative paths are taken against `workingDir`.
 * The default lookup starts in `searchFrom` (--project-directory, else the working directory).
 */
export function findComposeFiles(files: string[], workingDir: string, composeFile?: string, separator?: string, searchFrom = workingDir): FoundFiles {
  if (files.length > 0) {
    return { files: files.map((f) => (f === STDIN ? STDIN : path.resolve(workingDir, f))), defaulted: false };
  }
  if (composeFile) {
    const list = composeFile.split(separator || ':').filter((f) => f !== '');
    if (list.length > 0) return { files: list.map((f) => (f === STDIN ? STDIN : path.resolve(workingDir, f))), defaulted: false };
  }
  for (let dir = path.resolve(searchFrom); ; dir = path.dirname(dir)) {
    const main = pick(dir, DEFAULT_FILE_NAMES, 'config');
    if (main) {
      const override = pick(dir, DEFAULT_OVERRIDE_NAMES, 'override');
      return { files: override ? [main, override] : [main], defaulted: true };
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new InvalidArgumentError(
    `no configuration file provided: not found: write a compose.yaml in ${searchFrom} (or a directory above it), or name one with -f`,
  );
}

/** The text of one file ("-": stdin through `stdin`). */
export function readComposeFile(file: string, stdin?: () => string): string {
  if (file === STDIN) {
    if (!stdin) throw new InvalidArgumentError('-f -: no standard input to read the compose file from');
    return stdin();
  }
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InvalidArgumentError(`open ${file}: no such file or directory: check the -f path`);
    if (code === 'EISDIR') throw new InvalidArgumentError(`${file} is a directory: name the compose file itself`);
    throw new InvalidArgumentError(`reading ${file}: ${(e as Error).message}`);
  }
}
