// What completion knows of a command, read from its clipanion class: paths and description from
// the statics, options and positionals by running each option's definition against a recorder
// (the way Cli.register does), so no state machine is compiled and no help text is formatted.
import { Command, type CommandClass } from 'clipanion';
import { isHidden } from '../help';

export interface OptionSpec {
  names: string[];
  /** 0 for a boolean, 1 for a flag that takes a value. */
  arity: number;
  description: string;
  hidden: boolean;
}

export interface ArgumentSpec {
  options: OptionSpec[];
  /** Named positionals before any rest or proxy. */
  positionals: number;
  /** After its positionals, every word belongs to the program the command runs (run, exec). */
  proxy: boolean;
}

/** The builder calls clipanion's option definitions make, recorded instead of compiled. */
class Recorder {
  readonly spec: ArgumentSpec = { options: [], positionals: 0, proxy: false };

  addOption(o: { names: string[]; arity?: number; description?: string; hidden?: boolean }): void {
    this.spec.options.push({ names: o.names, arity: o.arity ?? 0, description: o.description ?? '', hidden: o.hidden ?? false });
  }

  addPositional(): void {
    this.spec.positionals += 1;
  }

  addRest(): void {}

  addProxy(): void {
    this.spec.proxy = true;
  }
}

/** The options and positionals of one command class. */
export function argumentSpec(commandClass: CommandClass): ArgumentSpec {
  const recorder = new Recorder();
  const instance = new (commandClass as unknown as new () => Record<string, unknown>)();
  for (const key of Object.keys(instance)) {
    const value = instance[key] as { [Command.isOption]?: boolean; definition?: (builder: Recorder, key: string) => void } | null;
    if (value && typeof value === 'object' && value[Command.isOption] && value.definition) value.definition(recorder, key);
  }
  return recorder.spec;
}

/** The classes completion may offer: those `tspod --help` lists (hidden ones are tspod's own). */
export function visibleCommands(commands: CommandClass[]): CommandClass[] {
  return commands.filter((c) => !isHidden(c));
}

export function description(commandClass: CommandClass): string {
  return (commandClass.usage?.description ?? '').split('\n')[0];
}

export function pathsOf(commandClass: CommandClass): string[][] {
  return commandClass.paths ?? [];
}
