// The base of every command: the global flags (also accepted before the verb, see src/main.ts),
// the engine built from them, and one way to report failures (recorded, then printed by main).
import { Command, Option, type BaseContext, type CommandClass } from 'clipanion';
import type { Engine } from '../libpod/engine';
import { resolvePaths } from '../src/paths';
import { globalOptions } from '../src/global-options';
import { nodeCommand } from '../src/node-command';
import { InvalidStateError } from '../src/errors';
import { renderList, type ListSpec } from './format/list-printer';

/** The error codes of a name that names nothing: container, image, volume, network. */
const NOT_FOUND = new Set(['ENOCONTAINER', 'ENOIMAGE', 'ENOVOLUME', 'ENONETWORK']);

/** What main hands every command: clipanion's streams, and the list of commands (for help and completion). */
export interface TspodContext extends BaseContext {
  commands: CommandClass[];
}

export abstract class TspodCommand extends Command<TspodContext> {
  /** Commands that touch layer files or mounts run inside the user namespace (src/main.ts re-runs them there). */
  static needsUserNamespace = false;

  root = Option.String('--root', { description: 'path to the root directory in which data, including images, is stored', hidden: true });
  runroot = Option.String('--runroot', { description: 'path to the runtime directory, for locks, sockets and pid files', hidden: true });
  logLevel = Option.String('--log-level', { description: 'log messages at and above this level: debug, info, warn, error', hidden: true });

  private engineInstance?: Engine;

  /**
   * The container this command works on, for commands that run inside the user namespace: when it
   * runs in the namespace of a holder that was killed (and made again), the command enters that
   * container's namespaces instead (src/main.ts).
   */
  namespaceContainer(): string | undefined {
    return undefined;
  }

  /**
   * True when the command has nothing to do and should exit 0 at once, before src/main.ts enters
   * the user namespace (which would make the runroot and start a holder).
   */
  nothingToDo(): boolean {
    return false;
  }

  /** The engine for this invocation; flags given after the verb win over those before it. */
  get engine(): Engine {
    if (!this.engineInstance) {
      const g = globalOptions();
      // Loaded lazily so that `--help` and `version` do not pay for the engine's modules.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Engine } = require('../libpod/engine') as typeof import('../libpod/engine');
      const overrides = { modules: g.modules, runtime: g.runtime, runtimeFlags: g.runtimeFlags, storageOpts: g.storageOpts, eventsBackend: g.eventsBackend as 'file' | 'none' | undefined };
      this.engineInstance = new Engine(resolvePaths({ root: this.root ?? g.root, runroot: this.runroot ?? g.runroot }), overrides);
    }
    return this.engineInstance;
  }

  /** Failures go to src/main.ts, which prints `Error: ...` once and picks the exit code. */
  override async catch(error: unknown): Promise<void> {
    throw error;
  }

  /** A failure as the user should read it (a damaged database or a full disk named with its path). */
  explain(err: unknown): unknown {
    return this.engineInstance ? this.engineInstance.explainFailure(err) : err;
  }

  /** This very command line, to run again inside the user namespace. */
  selfArgv(): string[] {
    return nodeCommand(process.argv[1], process.argv.slice(2), process.execArgv);
  }

  /** One line from stdin ('' at its end), for confirmations. */
  readLine(): Promise<string> {
    return new Promise((resolve) => {
      let text = '';
      const stdin = this.context.stdin;
      const done = () => {
        stdin.off('data', onData);
        stdin.off('end', done);
        stdin.pause();
        resolve(text.split('\n')[0]);
      };
      const onData = (d: Buffer) => {
        text += d.toString();
        if (text.includes('\n')) done();
      };
      stdin.on('data', onData);
      stdin.on('end', done);
    });
  }

  write(text: string): void {
    this.context.stdout.write(text);
  }

  /** A list command's output: json, a Go template per row, -q, or the table (see format/list-printer). */
  printList<R>(rows: R[], spec: ListSpec<R>): number {
    this.write(renderList(rows, spec, this.path[this.path.length - 1]));
    return 0;
  }

  /**
   * rm, rmi, volume rm, network rm: printReports with Podman's exit codes for removals: 1 when a
   * name was not found, else 2 when something is running or in use, else the last failure's; with
   * --force a name not found is no error, and nothing is said of it.
   */
  printRemovals<T extends { error?: Error }>(reports: T[], force: boolean, ok: (r: T) => string | null): number {
    const missing = (r: T) => NOT_FOUND.has((r.error as { code?: string } | undefined)?.code ?? '');
    const shown = force ? reports.filter((r) => !missing(r)) : reports;
    const code = this.printReports(shown, ok);
    if (code === 0) return 0;
    if (shown.some(missing)) return 1;
    return shown.some((r) => r.error instanceof InvalidStateError) ? 2 : code;
  }

  /**
   * Prints per-item results the Podman way: successes on stdout, each failure as `Error: ...` on
   * stderr; exit 0 if all succeeded, else the last failure's code (125 for tspod's own errors).
   */
  printReports<T extends { error?: Error }>(reports: T[], ok: (r: T) => string | null): number {
    let code = 0;
    for (const r of reports) {
      if (r.error) {
        const error = this.explain(r.error) as Error;
        this.context.stderr.write(`Error: ${error.message}\n`);
        code = (error as { exitCode?: number }).exitCode ?? 125;
      } else {
        const line = ok(r);
        if (line !== null) this.write(`${line}\n`);
      }
    }
    return code;
  }
}
