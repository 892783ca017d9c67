import { Command, Option } from 'clipanion';
import { TspodCommand } from './tspod-command';
import { commandHelp, isNoun, nounHelp, topLevelHelp } from '../src/help';
import { UnknownHelpTopicError } from '../src/errors';

export default class HelpCommand extends TspodCommand {
  static override paths = [['help']];
  static override usage = Command.Usage({
    description: 'Help about any command',
    examples: [['Help for system check', '$0 help system check']],
  });
  words = Option.Rest();

  async execute(): Promise<number> {
    const commands = this.context.commands;
    if (this.words.length === 0) {
      this.write(topLevelHelp(commands));
      return 0;
    }
    const page = commandHelp(commands, this.words) ?? (this.words.length === 1 && isNoun(this.words[0], commands) ? nounHelp(this.words[0], commands) : null);
    if (!page) throw new UnknownHelpTopicError(`unknown help topic "${this.words.join(' ')}": run "tspod help" for the list of commands`);
    this.write(page);
    return 0;
  }
}
