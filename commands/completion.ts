import { Command, Option } from 'clipanion';
import { TspodCommand } from './tspod-command';
import { completionScript } from '../src/completion/scripts';
import { SHELLS } from '../src/completion/candidates';
import { InvalidArgumentError } from '../src/errors';

export default class CompletionCommand extends TspodCommand {
  static override paths = [['completion']];
  static override usage = Command.Usage({
    description: 'Generate shell completion scripts',
    details: 'Prints the completion script for bash, zsh or fish on stdout. The script asks tspod itself for the candidates, so it stays right as commands, containers and images change.',
    examples: [
      ['Bash, for this user', '$0 completion bash > ~/.local/share/bash-completion/completions/tspod'],
      ['Zsh', '$0 completion zsh > "${fpath[1]}/_tspod"'],
      ['Fish', '$0 completion fish > ~/.config/fish/completions/tspod.fish'],
    ],
  });
  shell = Option.String();

  async execute(): Promise<number> {
    const script = completionScript(this.shell);
    if (script === undefined) throw new InvalidArgumentError(`unsupported shell "${this.shell}": use one of ${SHELLS.join(', ')}`);
    this.write(script);
    return 0;
  }
}
