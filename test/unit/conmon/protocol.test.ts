import { describe, expect, it } from 'vitest';
import { decodeSync, encodeSync, exitCodeFromStatus, LineSplitter, logLine, logLines } from '../../../conmon/protocol';

describe('monitor protocol', () => {
  it('encodes and decodes the sync message as conmon does', () => {
    expect(encodeSync({ data: 4242 })).toBe('{"data":4242}\n');
    expect(decodeSync('{"data":4242}\n')).toEqual({ data: 4242 });
    expect(decodeSync('{"data":-1,"message":"runc create failed"}\n')).toEqual({ data: -1, message: 'runc create failed' });
    expect(decodeSync('')).toEqual({ data: -1, message: 'the monitor exited without reporting' });
    expect(decodeSync('{"pid":1}')).toMatchObject({ data: -1 });
  });

  it('turns wait statuses into exit codes, 128+N for signal N', () => {
    expect(exitCodeFromStatus(0)).toBe(0);
    expect(exitCodeFromStatus(7 << 8)).toBe(7);
    expect(exitCodeFromStatus(9)).toBe(137);
    expect(exitCodeFromStatus(15 | 0x80)).toBe(143); // core dumped flag is ignored
  });

  it('writes k8s-file lines with nanosecond timestamps and F/P tags', () => {
    const t = new Date(Date.UTC(2024, 0, 2, 15, 4, 5, 123));
    expect(logLine(t, 'stdout', 'hello', false)).toBe('2024-01-02T15:04:05.123000000Z stdout F hello\n');
    expect(logLine(t, 'stderr', 'part', true)).toBe('2024-01-02T15:04:05.123000000Z stderr P part\n');
  });

  it('writes the lines of one chunk of output with the same timestamp, in order, none for no lines', () => {
    const t = new Date(Date.UTC(2024, 0, 2, 15, 4, 5, 7));
    expect(logLines(t, 'stdout', [{ text: 'a', partial: false }, { text: '', partial: false }, { text: 'rest', partial: true }])).toBe(
      '2024-01-02T15:04:05.007000000Z stdout F a\n2024-01-02T15:04:05.007000000Z stdout F \n2024-01-02T15:04:05.007000000Z stdout P rest\n',
    );
    expect(logLines(t, 'stderr', [])).toBe('');
  });

  it('splits output into whole lines and keeps or flushes partial ones', () => {
    const s = new LineSplitter(8);
    expect(s.push('a\nb')).toEqual([{ text: 'a', partial: false }]);
    expect(s.push('c\n\n')).toEqual([{ text: 'bc', partial: false }, { text: '', partial: false }]);
    expect(s.push('0123456789')).toEqual([{ text: '0123456789', partial: true }]);
    expect(s.push('tail')).toEqual([]);
    expect(s.flush()).toEqual([{ text: 'tail', partial: true }]);
    expect(s.flush()).toEqual([]);
  });
});

describe('attach frames', () => {
  it('survive being cut at any byte and keep their order', async () => {
    const { encodeFrame, FrameDecoder, FRAME } = await import('../../../conmon/protocol');
    const bytes = Buffer.concat([encodeFrame(FRAME.STDOUT, 'hello\n'), encodeFrame(FRAME.RESIZE, '24 80'), encodeFrame(FRAME.STDIN_EOF, ''), encodeFrame(FRAME.EXIT, '3')]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new FrameDecoder();
      const frames = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut))];
      expect(frames.map((f) => [f.type, f.payload.toString()])).toEqual([
        [FRAME.STDOUT, 'hello\n'],
        [FRAME.RESIZE, '24 80'],
        [FRAME.STDIN_EOF, ''],
        [FRAME.EXIT, '3'],
      ]);
    }
  });
});
