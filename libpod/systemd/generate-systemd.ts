// `generate systemd`: a container's unit file, as Podman writes one. Without --new the unit starts
// and stops the existing container and follows its monitor through the monitor's pid file
// (Type=forking); with --new it runs the container's own `run` command line again (stored at
// create), rewritten to make a fresh container per start and remove it at stop (Type=notify: the
// `run -d` reports READY=1 and the monitor as MAINPID). Pure: the engine gathers the facts.
import { InvalidArgumentError } from '../../src/errors';
import { splitGlobalFlags } from '../../src/global-options';
import type { Container } from '../container/container';
import { execLine, renderUnit, systemdWord, type Section } from './unit-file';

export interface GenerateSystemdOptions {
  /** Name the unit and the commands after the container's name rather than its ID. */
  useName: boolean;
  new: boolean;
  restartPolicy?: string;
  restartSec?: number;
  startTimeout?: number;
  stopTimeout?: number;
  containerPrefix: string;
  separator: string;
  noHeader: boolean;
  after: string[];
  wants: string[];
  requires: string[];
  /** KEY=VALUE assignments for Environment= (a bare KEY already resolved by the caller). */
  env: string[];
}

export interface GenerateFacts {
  /** Absolute path of the tspod executable. */
  binary: string;
  /** --root/--runroot when the store is not the default one (they must reach the same store). */
  globalArgs: string[];
  runroot: string;
  /** The runroot written with %t when it lies under XDG_RUNTIME_DIR. */
  runrootSpecifier: string;
  monitorPidFile: string;
  version: string;
  now: Date;
}

export interface GeneratedUnit {
  /** The unit's name without ".service" (the key of --format json). */
  name: string;
  text: string;
}

const RESTART_POLICIES = ['no', 'on-success', 'on-failure', 'on-abnormal', 'on-watchdog', 'on-abort', 'always'];

/** The unit's Restart=: the flag, else the container's own policy (systemd restarts it now), else on-failure as Podman. */
function restartFor(c: Container, flag: string | undefined): string {
  if (flag !== undefined) {
    if (!RESTART_POLICIES.includes(flag)) throw new InvalidArgumentError(`invalid --restart-policy "${flag}": use one of ${RESTART_POLICIES.join(', ')}`);
    return flag;
  }
  const own = c.spec.restartPolicy?.name;
  if (own === 'always' || own === 'unless-stopped') return 'always';
  return 'on-failure';
}

/** Flags of `run` that generate --new sets itself, with whether each takes a value. */
const REPLACED: Record<string, boolean> = { '-d': false, '--detach': false, '--rm': false, '--replace': false, '--cidfile': true, '--sdnotify': true, '--restart': true };

/**
 * The stored create command rewritten for --new: the global flags and the run/create flags kept
 * word for word, the ones the unit owns (-d, --rm, --replace, --cidfile, --sdnotify, --restart)
 * dropped and set by the unit. valueFlags names every run flag that takes a value, so that a value
 * is never mistaken for a flag. Returns [globals, flags, positionals (image and command)].
 */
export function rewriteCreateCommand(command: string[], valueFlags: ReadonlySet<string>, containerName: string): { globals: string[]; flags: string[]; rest: string[] } {
  const { globals } = splitGlobalFlags(command);
  let i = globals.length;
  if (command[i] === 'container') i++;
  if (command[i] !== 'run' && command[i] !== 'create') {
    throw new InvalidArgumentError(`container ${containerName} was not made by "tspod run" or "tspod create", so there is no command line to repeat: generate the unit without --new`);
  }
  i++;
  const flags: string[] = [];
  for (; i < command.length; i++) {
    const word = command[i];
    if (word === '--') {
      i++;
      break;
    }
    if (!word.startsWith('-') || word === '-') break;
    const [name] = word.split('=');
    if (name in REPLACED) {
      if (REPLACED[name] && !word.includes('=')) i++;
      continue;
    }
    if (!word.startsWith('--') && word.length > 2) {
      // A cluster of short flags (-dit): drop -d, keep the others; the last one may take a value.
      const letters = word.slice(1).split('');
      const takesValue = letters.findIndex((l) => valueFlags.has(`-${l}`));
      if (takesValue >= 0 && takesValue < letters.length - 1) {
        flags.push(word); // -eFOO=bar: a value glued to its flag
        continue;
      }
      const kept = letters.filter((l) => l !== 'd');
      if (kept.length) flags.push(`-${kept.join('')}`);
      if (takesValue === letters.length - 1) flags.push(command[++i]);
      continue;
    }
    flags.push(word);
    if (valueFlags.has(name) && !word.includes('=')) flags.push(command[++i]);
  }
  return { globals, flags, rest: command.slice(i) };
}

export function generateSystemd(c: Container, opts: GenerateSystemdOptions, facts: GenerateFacts, valueFlags: ReadonlySet<string>): GeneratedUnit {
  const ident = opts.useName ? c.name : c.id;
  const name = `${opts.containerPrefix}${opts.separator}${ident}`;
  const stopTimeout = opts.stopTimeout ?? c.spec.stopTimeout;
  const unit: Section = [
    ['Description', `tspod ${name}.service`],
    ['Wants', ['network-online.target', ...opts.wants].join(' ')],
    ['After', ['network-online.target', ...opts.after].join(' ')],
    ...(opts.requires.length ? ([['Requires', opts.requires.join(' ')]] as Section) : []),
    ['RequiresMountsFor', opts.new ? facts.runrootSpecifier : facts.runroot],
  ];
  const service: Section = [
    ['Environment', 'TSPOD_SYSTEMD_UNIT=%n'],
    ...opts.env.map((e): [string, string] => ['Environment', systemdWord(e)]),
    ['Restart', restartFor(c, opts.restartPolicy)],
    ...(opts.restartSec !== undefined ? ([['RestartSec', String(opts.restartSec)]] as Section) : []),
    ...(opts.startTimeout !== undefined ? ([['TimeoutStartSec', String(opts.startTimeout)]] as Section) : []),
    ['TimeoutStopSec', String(60 + stopTimeout)],
  ];
  const bin = facts.binary;
  if (opts.new) {
    const { globals, flags, rest } = rewriteCreateCommand(c.spec.createCommand ?? [], valueFlags, c.name);
    const cid = { raw: '--cidfile=%t/%n.ctr-id' };
    if (c.spec.createCwd) service.push(['WorkingDirectory', `-${systemdWord(c.spec.createCwd)}`]);
    service.push(
      ['ExecStart', execLine([bin, ...globals, 'run', cid, '--rm', '--sdnotify=conmon', '-d', '--replace', ...flags, ...rest], 1 + globals.length + 1)],
      ['ExecStop', execLine([bin, ...globals, 'stop', '--ignore', '-t', String(stopTimeout), cid], 1 + globals.length + 1)],
      ['ExecStopPost', execLine([bin, ...globals, 'rm', '-f', '--ignore', '-t', String(stopTimeout), cid], 1 + globals.length + 1)],
      ['Type', 'notify'],
      ['NotifyAccess', 'all'],
    );
  } else {
    const g = facts.globalArgs;
    service.push(
      ['ExecStart', execLine([bin, ...g, 'start', ident], 99)],
      ['ExecStop', execLine([bin, ...g, 'stop', '-t', String(stopTimeout), ident], 99)],
      ['ExecStopPost', execLine([bin, ...g, 'stop', '-t', String(stopTimeout), ident], 99)],
      ['PIDFile', facts.monitorPidFile],
      ['Type', 'forking'],
    );
  }
  const header = opts.noHeader ? [] : [`${name}.service`, `autogenerated by tspod ${facts.version}`, facts.now.toUTCString()];
  const text = renderUnit({ header, sections: [['Unit', unit], ['Service', service], ['Install', [['WantedBy', 'default.target']]]] });
  return { name, text };
}
