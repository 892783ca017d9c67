// A question asked on the terminal, as Podman's login asks for the username and the password:
// the answer typed on a line, echoed, or (hidden) not echoed at all. Raw mode, so that the
// password never appears; backspace edits, ctrl-c and ctrl-d end it with an error.
import { UsageError } from './errors';

export interface Terminal {
  input: NodeJS.ReadStream;
  output: NodeJS.WritableStream;
}

export function askOnTerminal(question: string, hidden: boolean, term: Terminal): Promise<string> {
  const { input, output } = term;
  output.write(question);
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let answer = '';
    const finish = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(answer);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\x03') return finish(new UsageError('interrupted: nothing was stored'));
        if (ch === '\x04') return finish(answer ? undefined : new UsageError('no answer given (end of input): nothing was stored'));
        if (ch === '\x7f' || ch === '\b') {
          if (answer.length > 0) {
            answer = answer.slice(0, -1);
            if (!hidden) output.write('\b \b');
          }
          continue;
        }
        if (ch < ' ') continue;
        answer += ch;
        if (!hidden) output.write(ch);
      }
    };
    input.on('data', onData);
  });
}
