import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Cli } from 'clipanion';
import CompletionCommand from '../../../../commands/completion';
import { completionScript } from '../../../../src/completion/scripts';

const SHIPPED: Record<string, string> = { bash: 'completions/bash/tspod', zsh: 'completions/zsh/_tspod', fish: 'completions/fish/tspod.fish' };

/** What `tspod completion SHELL` prints, through clipanion as main runs it. */
async function printed(shell: string): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d) => (text += d));
  const cli = Cli.from([CompletionCommand]);
  const code = await cli.run(['completion', shell], { ...Cli.defaultContext, stdout, stderr: new PassThrough(), commands: [CompletionCommand] });
  return { code, stdout: text };
}

describe('completion scripts', () => {
  it.each(Object.entries(SHIPPED))('the shipped %s script is what `tspod completion` prints', async (shell, file) => {
    const out = await printed(shell);
    expect(out.code).toBe(0);
    expect(fs.readFileSync(path.join(__dirname, '../../../..', file), 'utf8')).toBe(out.stdout);
    expect(out.stdout).toContain('__complete');
    expect(out.stdout).not.toContain('\\${'); // the template's escapes are gone
  });

  it('has no script for another shell', () => {
    expect(completionScript('tcsh')).toBeUndefined();
    expect(completionScript('toString')).toBeUndefined();
  });
});
