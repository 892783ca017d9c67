// What a service's containers need on the host before they are created: the missing directories
// of its bind mounts (create_host_path, as Compose makes them) and the files of secrets and
// configs given as content or environment, written under the runroot, one directory per project
// (<runroot>/compose/<project>/<secrets|configs>/<name>), rewritten at each up.
import fs from 'node:fs';
import path from 'node:path';
import type { ComposeContext } from './context';
import type { Materialize } from './translator';
import type { ServiceConfig } from './types';

/**
 * The file name of a secret or config: its name, with each character a file name cannot hold
 * (and a leading dot: "." and ".." name directories) as %XX of its UTF-8 bytes. One name, one
 * file: "db password" and "db_password" must not share (and overwrite) one file.
 */
function fileName(name: string): string {
  const escaped = name.replace(/[^A-Za-z0-9_.-]|^\./gu, (ch) => [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
  return escaped || '%';
}

/** The materialize callback serviceCreateOptions takes: content written to the project's file of that name. */
export function materializer(ctx: ComposeContext): Materialize {
  return (name, content, kind) => {
    const dir = path.join(ctx.runroot, 'compose', ctx.project.name, `${kind}s`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, fileName(name));
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, content, { mode: 0o644 });
    fs.renameSync(tmp, file);
    return file;
  };
}

/** Makes the service's missing bind sources (directories). */
export function createBindSources(ctx: ComposeContext, service: ServiceConfig): void {
  for (const dir of ctx.tr.bindSourcesToCreate(ctx.project, service)) if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true });
}

/** down: the project's secret and config files. */
export function removeProjectFiles(ctx: ComposeContext): void {
  fs.rmSync(path.join(ctx.runroot, 'compose', ctx.project.name), { recursive: true, force: true });
}
