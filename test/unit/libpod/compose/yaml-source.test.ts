import { describe, expect, it } from 'vitest';
import { formatPath, parseComposeYaml, whereIn } from '../../../../libpod/compose/yaml-source';

describe('parseComposeYaml', () => {
  it('resolves anchors, aliases and << merge keys (explicit keys win) and keeps x- extensions', () => {
    const text = [
      'x-common: &common',
      '  restart: always',
      '  environment:',
      '    A: "1"',
      'x-more: &more',
      '  user: nobody',
      'services:',
      '  web:',
      '    <<: [*common, *more]',
      '    image: nginx',
      '    restart: "no"',
      '  db:',
      '    <<: *common',
      '    labels: &labels',
      '      tier: db',
      '  cache:',
      '    labels: *labels',
    ].join('\n');
    const { value } = parseComposeYaml(text, '/p/compose.yaml');
    expect(value.services).toEqual({
      web: { image: 'nginx', restart: 'no', environment: { A: '1' }, user: 'nobody' },
      db: { restart: 'always', environment: { A: '1' }, labels: { tier: 'db' } },
      cache: { labels: { tier: 'db' } },
    });
    expect(value['x-common']).toEqual({ restart: 'always', environment: { A: '1' } });
  });

  it('records the line of each key and sequence item', () => {
    const { value } = parseComposeYaml('services:\n  web:\n    image: a\n    ports:\n      - "80:80"\n      - 443\n', '/p/c.yaml');
    expect(whereIn(value, ['services', 'web', 'image'])).toEqual({ file: '/p/c.yaml', line: 3 });
    expect(whereIn(value, ['services', 'web', 'ports', 1])).toEqual({ file: '/p/c.yaml', line: 6 });
    // A key not written falls back to its nearest parent.
    expect(whereIn(value, ['services', 'web', 'nope', 'deeper'])).toEqual({ file: '/p/c.yaml', line: 2 });
  });

  it('refuses duplicate keys, naming the line and key', () => {
    expect(() => parseComposeYaml('services:\n  web:\n    image: a\n    image: b\n', '/p/c.yaml')).toThrow('/p/c.yaml:4: key "image" is already defined');
  });

  it('names the line of a syntax error', () => {
    expect(() => parseComposeYaml('services:\n  web:\n    image: [a\n', '/p/c.yaml')).toThrow(/^\/p\/c\.yaml:\d+: /);
  });

  it('refuses a top level that is not a mapping, and reads an empty file as an empty one', () => {
    expect(() => parseComposeYaml('- a\n', 'c.yaml')).toThrow('c.yaml: the top level must be a mapping');
    expect(parseComposeYaml('', 'c.yaml').value).toEqual({});
  });

  it('takes !reset keys out and remembers them and !override keys', () => {
    const parsed = parseComposeYaml('services:\n  web:\n    build: !reset null\n    ports: !override ["8080:80"]\n    environment:\n      A: !reset\n', 'c.yaml');
    expect(parsed.value).toEqual({ services: { web: { ports: ['8080:80'], environment: {} } } });
    expect(parsed.resets).toEqual([
      ['services', 'web', 'build'],
      ['services', 'web', 'environment', 'A'],
    ]);
    expect(parsed.overrides).toEqual([['services', 'web', 'ports']]);
  });

  it('refuses a file whose aliases expand without bound', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 7; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    expect(() => parseComposeYaml(lines.join('\n'), 'bomb.yaml')).toThrow('bomb.yaml: the YAML expands to more than 200000 values through its aliases');
  });

  it('reads plain 0440 as octal and 0b11 as binary, as Compose (Go) does, but not quoted ones', () => {
    expect(parseComposeYaml('a: 0440\nb: "0440"\nc: 0o17\nd: 0b11\ne: 08\nf: 0\n', 'c.yaml').value).toEqual({ a: 0o440, b: '0440', c: 15, d: 3, e: 8, f: 0 });
  });

  it('keeps YAML scalar types', () => {
    expect(parseComposeYaml('a: 1\nb: "1"\nc: true\nd: null\ne: 1.5\n', 'c.yaml').value).toEqual({ a: 1, b: '1', c: true, d: null, e: 1.5 });
  });
});

describe('formatPath', () => {
  it('prints paths as Compose does', () => {
    expect(formatPath(['services', 'web', 'ports', 0])).toBe('services.web.ports[0]');
    expect(formatPath(['services', 'web', 'ports', '2', 'target'])).toBe('services.web.ports[2].target');
    expect(formatPath([])).toBe('');
  });
});
