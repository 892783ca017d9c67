import { describe, expect, it } from 'vitest';
import { compileTemplate, formatOutput } from '../../../src/go-template';

describe('go-template', () => {
  const data = { Names: 'web', Status: 'Up 2 seconds', Host: { Kernel: '6.1', Maps: [1, 2] }, Labels: { a: 'b' }, Empty: null };

  it('renders fields, nested fields, escapes and functions', () => {
    expect(compileTemplate('{{.Names}}\\t{{.Status}}')(data)).toBe('web\tUp 2 seconds');
    expect(compileTemplate('kernel={{ .Host.Kernel }}\\n')(data)).toBe('kernel=6.1\n');
    expect(compileTemplate('{{json .Labels}}')(data)).toBe('{"a":"b"}');
    expect(compileTemplate('{{upper .Names}}/{{lower .Status}}')(data)).toBe('WEB/up 2 seconds');
    expect(compileTemplate('{{.Host.Maps}} {{.Labels}} {{.Empty}}')(data)).toBe('[1 2] map[a:b] <no value>');
    expect(compileTemplate('no actions')(data)).toBe('no actions');
  });

  it("rejects unknown fields and unclosed blocks with Go's messages", () => {
    expect(() => compileTemplate('{{.Nope}}')(data)).toThrow(
      'template: format:1:2: executing "format" at <.Nope>: can\'t evaluate field Nope in type struct {Names, Status, Host, Labels, Empty}',
    );
    expect(() => compileTemplate('{{.Host.Kernel.X}}')(data)).toThrow("can't evaluate field X in type string");
    // range is a real action now: without its {{end}} the template does not parse.
    expect(() => compileTemplate('{{range .Names}}')).toThrow('template: format:1: unexpected EOF');
  });

  it('formats json and templates with one trailing newline', () => {
    expect(formatOutput({ a: 1 }, 'json')).toBe('{\n    "a": 1\n}\n');
    expect(formatOutput(data, '{{.Names}}')).toBe('web\n');
    expect(formatOutput(data, '{{.Names}}\\n')).toBe('web\n');
  });
});
