import { describe, expect, it } from 'vitest';
import type { ValidateFunction } from 'ajv';
import { compileSchemaSource, describeSchemaErrors, validateComposeFile } from '../../../../libpod/compose/schema';
import { parseComposeYaml } from '../../../../libpod/compose/yaml-source';

function check(text: string): void {
  validateComposeFile(parseComposeYaml(text, '/p/compose.yaml').value, '/p/compose.yaml');
}

describe('validateComposeFile', () => {
  it('accepts a valid file with current spec keys (include, develop, dockerfile_inline, x- extensions)', () => {
    expect(() =>
      check(
        [
          'name: demo',
          'include:',
          '  - other.yaml',
          'x-shared: {a: 1}',
          'services:',
          '  web:',
          '    image: busybox',
          '    build:',
          '      context: .',
          '      dockerfile_inline: FROM busybox',
          '    develop:',
          '      watch:',
          '        - path: ./src',
          '          action: sync',
          '          target: /src',
          '    ports: ["8080:80", 443, {target: 80, published: "8081"}]',
          '    environment: {A: 1, B: null}',
          '    x-note: kept',
          'volumes:',
          '  data: {}',
        ].join('\n'),
      ),
    ).not.toThrow();
  });

  it('names an unknown key with its line', () => {
    expect(() => check('services:\n  web:\n    image: a\n    imagee: b\n')).toThrow('/p/compose.yaml:4: services.web: additional property "imagee" is not allowed');
  });

  it('names an unknown top-level key', () => {
    expect(() => check('servces:\n  web:\n    image: a\n')).toThrow('/p/compose.yaml:1: additional property "servces" is not allowed');
  });

  it('says which types a value may have', () => {
    expect(() => check('services:\n  web:\n    image: a\n    ports:\n      - [80]\n')).toThrow('/p/compose.yaml:5: services.web.ports[0]: must be a number, a string or a mapping');
    expect(() => check('services:\n  web:\n    image: a\n    read_only: [x]\n')).toThrow(/^\/p\/compose\.yaml:4: services\.web\.read_only: must be a boolean/);
  });

  it('reports the deepest error of a oneOf, in a long form', () => {
    expect(() => check('services:\n  web:\n    image: a\n    build:\n      context: .\n      dockerfil: x\n')).toThrow(
      '/p/compose.yaml:6: services.web.build: additional property "dockerfil" is not allowed',
    );
  });

  it('checks enums and required properties', () => {
    expect(() => check('services:\n  web:\n    image: a\n    depends_on:\n      db:\n        condition: started\n')).toThrow(
      /^\/p\/compose\.yaml:6: services\.web\.depends_on\.db\.condition: must be one of "service_started"/,
    );
    expect(() => check('services:\n  web:\n    image: a\n    depends_on:\n      db:\n        restart: true\n')).toThrow(
      '/p/compose.yaml:5: services.web.depends_on.db: missing required property "condition"',
    );
  });

  it('points at the second of two identical items', () => {
    expect(() => check('services:\n  web:\n    image: a\n    ports:\n      - "80:80"\n      - "80:80"\n')).toThrow(
      '/p/compose.yaml:6: services.web.ports: items [0] and [1] are the same: each item must be unique',
    );
  });

  it('refuses a bad service name', () => {
    expect(() => check('services:\n  "bad name":\n    image: a\n')).toThrow('/p/compose.yaml:2: services: additional property "bad name" is not allowed');
  });
});

describe('compileSchemaSource (the build\'s precompiled validator)', () => {
  it('validates as the schema compiled at run time does', () => {
    const mod = { exports: {} as unknown };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('module', 'exports', 'require', compileSchemaSource())(mod, mod.exports, require);
    const validate = mod.exports as ValidateFunction;
    const good = parseComposeYaml('services:\n  web:\n    image: a\n    ports: ["80:80"]\n', 'c.yaml').value;
    expect(validate(good)).toBe(true);
    const bad = parseComposeYaml('services:\n  web:\n    image: a\n    build:\n      context: .\n      dockerfil: x\n', 'c.yaml').value;
    expect(validate(bad)).toBe(false);
    expect(describeSchemaErrors(validate.errors ?? [])).toEqual({
      path: ['services', 'web', 'build', 'dockerfil'],
      message: 'services.web.build: additional property "dockerfil" is not allowed',
    });
  });
});
