// `generate systemd`, `generate quadlet` and `quadlet` (engine.generate): the facts the unit
// writers need (the tspod executable, the store's paths, the container), and the files they write.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../src/errors';
import { resolvePaths } from '../src/paths';
import { VERSION } from '../src/version';
import type { Runtime } from './runtime';
import { generateSystemd, type GeneratedUnit, type GenerateSystemdOptions } from './systemd/generate-systemd';
import { fromQuadlet, toQuadlet } from './systemd/quadlet';

export interface WrittenUnit extends GeneratedUnit {
  /** Where it was written (--files, --output), else undefined. */
  path?: string;
}

export class GenerateEngine {
  constructor(private readonly rt: Runtime) {}

  /** The tspod executable units run: the one running now, by its absolute path. */
  private binary(): string {
    return path.resolve(process.argv[1]);
  }

  /** --root/--runroot for commands in a unit, where this store is not the one tspod finds by default. */
  private globalArgs(): string[] {
    const defaults = resolvePaths({});
    const p = this.rt.paths;
    return [...(p.root !== defaults.root ? ['--root', p.root] : []), ...(p.runroot !== defaults.runroot ? ['--runroot', p.runroot] : [])];
  }

  /** The runroot as a unit names it: %t (systemd's XDG_RUNTIME_DIR) where it lies below that. */
  private runrootSpecifier(): string {
    const xdg = process.env.XDG_RUNTIME_DIR;
    const rr = this.rt.paths.runroot;
    return xdg && (rr === xdg || rr.startsWith(`${xdg}/`)) ? `%t${rr.slice(xdg.length)}` : rr;
  }

  private write(dir: string, file: string, text: string): string {
    const target = path.resolve(dir, file);
    try {
      fs.writeFileSync(target, text, { mode: 0o644 });
    } catch (err) {
      throw new InvalidArgumentError(`cannot write ${target}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}: run it in a directory you can write`);
    }
    return target;
  }

  /** A container's unit; with `filesIn` also written there as <name>.service. */
  systemd(nameOrId: string, opts: GenerateSystemdOptions, valueFlags: ReadonlySet<string>, filesIn?: string): WrittenUnit {
    const c = this.rt.containers().resolve(nameOrId);
    const env = opts.env.map((e) => (e.includes('=') ? e : `${e}=${process.env[e] ?? ''}`));
    const unit = generateSystemd(
      c,
      { ...opts, env },
      {
        binary: this.binary(),
        globalArgs: this.globalArgs(),
        runroot: this.rt.paths.runroot,
        runrootSpecifier: this.runrootSpecifier(),
        monitorPidFile: this.rt.containers().pathsOf(c).monitorPidFile,
        version: VERSION,
        now: new Date(),
      },
      valueFlags,
    );
    return filesIn ? { ...unit, path: this.write(filesIn, `${unit.name}.service`, unit.text) } : unit;
  }

  /** A container as a quadlet .container file; with `filesIn` also written there as <container>.container. */
  quadlet(nameOrId: string, valueFlags: ReadonlySet<string>, filesIn?: string): WrittenUnit {
    const c = this.rt.containers().resolve(nameOrId);
    const text = toQuadlet(c, valueFlags, VERSION);
    const unit = { name: c.name, text };
    return filesIn ? { ...unit, path: this.write(filesIn, `${c.name}.container`, text) } : unit;
  }

  /** Where `tspod quadlet` looks without file arguments: Podman's directory for the user, then ours. */
  quadletDirs(): string[] {
    const configHome = path.dirname(this.rt.paths.configDir);
    return [path.join(configHome, 'containers', 'systemd'), path.join(this.rt.paths.configDir, 'systemd')];
  }

  /** .container files (given, else those in quadletDirs()) as service units; with outputDir written there. */
  fromQuadlet(files: string[], outputDir?: string): WrittenUnit[] {
    let sources = files;
    if (!sources.length) {
      sources = this.quadletDirs().flatMap((d) => {
        try {
          return fs.readdirSync(d).filter((f) => f.endsWith('.container')).sort().map((f) => path.join(d, f));
        } catch {
          return [];
        }
      });
    }
    const facts = { binary: this.binary(), globalArgs: this.globalArgs(), runrootSpecifier: this.runrootSpecifier(), version: VERSION };
    return sources.map((f) => {
      if (!f.endsWith('.container')) throw new InvalidArgumentError(`${f}: not a .container file: tspod quadlet converts FILE.container files`);
      let text: string;
      try {
        text = fs.readFileSync(f, 'utf8');
      } catch (err) {
        throw new InvalidArgumentError(`cannot read ${f}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const unit = fromQuadlet(text, path.resolve(f), facts);
      const out = { name: unit.unitName.replace(/\.service$/, ''), text: unit.text };
      if (!outputDir) return out;
      fs.mkdirSync(outputDir, { recursive: true });
      return { ...out, path: this.write(outputDir, unit.unitName, unit.text) };
    });
  }
}
