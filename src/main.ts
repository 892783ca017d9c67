// tspod's entry point: builds the clipanion CLI, handles the global flags and help pages, runs one
// command, and is the single place where errors are printed and mapped to exit codes.
import fs from 'node:fs';
import { Cli, Command, type CommandClass } from 'clipanion';
import { allCommands } from '../commands/index';
import { answerCompletion } from '../commands/complete';
import { TspodCommand, type TspodContext } from '../commands/tspod-command';
import { extractGlobalOptions, globalOptions, type GlobalOptions } from './global-options';
import { isLogLevel, logLevel, setLogLevel, setSyslog, LOG_LEVELS } from './log';
import { errorMessage, EXIT_TSPOD, GlobalFileError, TspodError, UsageError } from './errors';
import { isNoun, nounHelp, renderCommandHelp, topLevelHelp, unknownCommandMessage } from './help';
import { asksForHelp, dashValues, wordsOf, type CommandWords } from './dash-values';
import { syncFileStream } from './files';
import { useLazyMachine } from './cli-machine';
import { lazyStdin } from './lazy-stdin';
import { VERSION } from './version';
import { moveComposeGlobals } from './compose-argv';

function applyLogLevel(value: string | undefined): void {
  if (value === undefined) return;
  if (!isLogLevel(value)) throw new UsageError(`invalid log level "${value}": use one of ${LOG_LEVELS.join(', ')}`);
  setLogLevel(value);
}

/** Prints `Error: <message>` on stderr (with the stack at debug level) and returns the exit code. */
function report(err: unknown): number {
  if (logLevel() === 'debug' && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.stderr.write(`Error: ${errorMessage(err)}\n`);
  return err instanceof TspodError ? err.exitCode : EXIT_TSPOD;
}

/** clipanion's own parse errors carry ANSI-free but multi-line text; keep the first line and add a hint. */
function usageMessage(err: unknown, argv: string[], pathLength?: number): string {
  const name = (err as Error).name;
  const first = errorMessage(err).split('\n').find((l) => l.trim() !== '') ?? 'invalid command line';
  if (name === 'UnknownSyntaxError' && /Command not found/.test(first)) {
    return `unrecognized command \`tspod ${argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')}\`: run "tspod --help" for the list of commands`;
  }
  const flag = /Unsupported option name \("([^"]+)"\)/.exec(first);
  const what = flag ? `unknown flag: ${flag[1]}` : first.replace(/^(Usage Error|Error):\s*/, '').replace(/\.$/, '');
  const verb = (pathLength ? argv.slice(0, pathLength) : argv.filter((a) => !a.startsWith('-')).slice(0, 2)).join(' ');
  return `${what.charAt(0).toLowerCase()}${what.slice(1)}: run "tspod ${verb} --help" for usage`;
}

/** The command class whose path argv starts with (the longest such path), and that path's length. */
function namedCommand(candidates: CommandClass[], argv: string[]): { cls: CommandClass; length: number } | undefined {
  let best: { cls: CommandClass; length: number } | undefined;
  for (const cls of candidates) {
    for (const p of cls.paths ?? []) {
      if (p.length > (best?.length ?? -1) && p.every((w, i) => argv[i] === w)) best = { cls, length: p.length };
    }
  }
  return best;
}

/** The words of the command argv names: its value flags, where its own words end. */
function commandWords(best: { cls: CommandClass; length: number } | undefined, argv: string[]): CommandWords {
  return best ? wordsOf(best.cls, best.length) : { pathLength: argv.length, valueFlags: new Set(), proxy: false };
}

/**
 * What the global flags change in this process: the log, tspod's own standard output (--out,
 * --noout: a container's output still goes to the terminal, as with Podman), and the files that
 * registries.conf and credentials are read from (as their environment variables would; they are
 * passed on to the tspod run inside the user namespace).
 */
function applyGlobals(g: GlobalOptions): NodeJS.WriteStream {
  applyLogLevel(g.logLevel);
  if (g.syslog) setSyslog(true);
  if (g.registriesConf) process.env.CONTAINERS_REGISTRIES_CONF = g.registriesConf;
  if (g.config) {
    let isDir = true;
    try {
      isDir = fs.statSync(g.config).isDirectory();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new GlobalFileError(`supplied --config folder (${g.config}) exists but is not accessible: ${(err as Error).message}`);
    }
    if (!isDir) throw new GlobalFileError(`supplied --config file (${g.config}) is not a directory: give the directory that holds config.json`);
    process.env.DOCKER_CONFIG = g.config;
  }
  const file = g.noout ? '/dev/null' : g.out;
  if (file === undefined) return process.stdout;
  try {
    return syncFileStream(file);
  } catch (err) {
    throw new GlobalFileError(`unable to open file for standard output: ${(err as Error).message}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  const commands = allCommands();
  // A completion script is waiting at the user's prompt: answer before global flags, clipanion,
  // the engine or the configuration are touched (the words it sends may not even parse).
  if (argv[0] === '__complete') return answerCompletion(argv.slice(1), commands, (text) => process.stdout.write(text));
  let rest: string[];
  let out: NodeJS.WriteStream;
  try {
    rest = extractGlobalOptions(argv);
    out = applyGlobals(globalOptions());
  } catch (err) {
    return report(err);
  }
  if (rest.length === 0) {
    out.write(topLevelHelp(commands));
    return 0;
  }
  if (rest.length === 1 && (rest[0] === '--help' || rest[0] === '-h')) {
    out.write(topLevelHelp(commands));
    return 0;
  }
  // `podman --version ""` prints the version as Podman's does (cobra answers --version before it
  // looks at arguments): podman-compose 1.0.3 probes its --podman-path with exactly that argv.
  if ((rest[0] === '--version' || rest[0] === '-v') && rest.slice(1).every((a) => a === '')) {
    out.write(`tspod version ${VERSION}\n`);
    return 0;
  }
  if (rest[0] === 'compose' && rest.length > 1) {
    // Docker Compose's global options come before its verb: clipanion reads them after it.
    const moved = moveComposeGlobals(rest);
    if (moved.helpOnly) rest = ['compose', ...(rest.some((w) => w === '--help' || w === '-h') ? ['--help'] : [])];
    else rest = moved.argv;
  }
  if (isNoun(rest[0], commands) && (rest.length === 1 || (rest.length === 2 && (rest[1] === '--help' || rest[1] === '-h')))) {
    out.write(nounHelp(rest[0], commands) ?? '');
    // Docker Compose's `compose` alone is its help (exit 0); tspod's own nouns want a command.
    if (rest.length === 1 && rest[0] !== 'compose') return report(new UsageError(`missing command "tspod ${rest[0]} COMMAND"`));
    return 0;
  }

  // Only the class argv names is registered (or, when it names none, those that share its first
  // word, for clipanion's error): clipanion compiles a state machine over every registered path on
  // each run, and a command should not pay for the others.
  const candidates = rest[0] === 'help' ? commands : commands.filter((c) => (c.paths ?? []).some((p) => p[0] === rest[0]));
  if (candidates.length === 0) return report(new UsageError(unknownCommandMessage([rest[0]], commands)));
  const named = rest[0] === 'help' ? undefined : namedCommand(candidates, rest);
  if (!named && isNoun(rest[0], commands) && rest.length > 1) {
    if (rest[1].startsWith('-')) return report(new UsageError(`unknown flag: ${rest[1].split('=')[0]}: run "tspod ${rest[0]} --help" for usage`));
    return report(new UsageError(unknownCommandMessage(rest.slice(0, 2), commands)));
  }
  const cli = new Cli<TspodContext>({ binaryLabel: 'tspod', binaryName: 'tspod', binaryVersion: VERSION, enableColors: false });
  useLazyMachine(cli);
  for (const c of named ? [named.cls] : candidates) cli.register(c as CommandClass<TspodContext>);
  const words = commandWords(named, rest);
  if (named && asksForHelp(rest, words)) {
    out.write(renderCommandHelp(named.cls, rest.slice(0, named.length)));
    return 0;
  }
  const base = { env: process.env, stdin: lazyStdin as typeof process.stdin, stdout: out as typeof process.stdout, stderr: process.stderr, colorDepth: 1 };
  // clipanion spreads its default context into every command's: this one reads no stream it does not need.
  Cli.defaultContext = base;
  const context: TspodContext = { ...base, commands };
  let command: Command<TspodContext>;
  try {
    command = cli.process(dashValues(rest, words), context);
    applyLogLevel((command as { logLevel?: string }).logLevel);
  } catch (err) {
    if (err instanceof TspodError) return report(err);
    return report(new UsageError(usageMessage(err, rest, named?.length)));
  }
  if (command instanceof TspodCommand && (command.constructor as typeof TspodCommand).needsUserNamespace) {
    if (command.nothingToDo()) return 0;
    try {
      const inner = await command.engine.enterUserNamespace(command.selfArgv(), () => command.namespaceContainer());
      if (inner !== null) return inner;
    } catch (err) {
      return report(err);
    }
  }
  let failure: unknown;
  // TspodCommand.catch rethrows, so clipanion's run() would print the error itself on stdout;
  // wrap execute instead so that the failure reaches report() here.
  const execute = command.execute.bind(command);
  command.execute = async () => {
    try {
      return await execute();
    } catch (err) {
      failure = command instanceof TspodCommand ? command.explain(err) : err;
      return EXIT_TSPOD;
    }
  };
  const code = await cli.run(command, context);
  if (failure !== undefined) return report(failure);
  return code;
}

// Output piped into a program that stops reading (`tspod logs web | head`) is no error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// If the event loop empties while main() is still pending, an operation lost its callback:
// say so and fail, instead of exiting 0 as if the work were done.
let finished = false;
process.on('exit', () => {
  if (finished) return;
  process.stderr.write('Error: internal error: tspod stopped before its work was done (an operation never completed); run again with --log-level=debug and report it\n');
  process.exitCode = EXIT_TSPOD;
});

main(process.argv.slice(2)).then(
  (code) => {
    finished = true;
    process.exitCode = code;
  },
  (err) => {
    finished = true;
    process.exitCode = report(err);
  },
);
