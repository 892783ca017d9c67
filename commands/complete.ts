import { Command, Option, type CommandClass } from 'clipanion';
import { TspodCommand } from './tspod-command';
import { complete, formatCompletion, NO_FILES } from '../src/completion/candidates';
import { resolvePaths } from '../src/paths';
import { globalOptions } from '../src/global-options';
import { StateNames } from '../libpod/completion/state-names';

/**
 * Answers a completion script: `tspod __complete WORDS... CURRENT`. src/main.ts calls it before
 * clipanion, the engine or the configuration load; it reads the state database read-only and,
 * whatever fails, prints only the directive line and exits 0 (nothing may reach the prompt).
 */
export function answerCompletion(argv: string[], commands: CommandClass[], write: (text: string) => void): number {
  const words = argv.slice(0, -1);
  const current = argv.length > 0 ? argv[argv.length - 1] : '';
  let names: StateNames | undefined;
  try {
    const result = complete(words, current, commands, (root) => (names = new StateNames(resolvePaths({ root }).database)));
    write(formatCompletion(result));
  } catch {
    write(formatCompletion({ candidates: [], directive: NO_FILES }));
  } finally {
    try {
      names?.close();
    } catch {
      /* the answer is out already */
    }
  }
  return 0;
}

export default class CompleteCommand extends TspodCommand {
  static override paths = [['__complete']];
  static override usage = Command.Usage({ category: 'hidden', description: 'Candidates for the word being completed (the completion scripts call it)' });
  args = Option.Proxy();

  async execute(): Promise<number> {
    // Reached through clipanion only when global flags came first (`tspod --root R __complete`).
    const root = this.root ?? globalOptions().root;
    return answerCompletion([...(root ? ['--root', root] : []), ...this.args], this.context.commands, (t) => this.write(t));
  }
}
