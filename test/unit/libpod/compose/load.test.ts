import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { loadRaw, normalizeProjectName } from '../../../../libpod/compose/load';
import type { ProjectOptions } from '../../../../libpod/compose/types';

let root: string;
let stderr: MockInstance;

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-compose-load-')));
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(root, { recursive: true, force: true });
});

function write(rel: string, text: string): string {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

function opts(over: Partial<ProjectOptions> = {}): ProjectOptions {
  return { files: [], profiles: [], envFiles: [], env: {}, workingDir: root, ...over };
}

function warnings(): string[] {
  return stderr.mock.calls.map((c) => String(c[0]));
}

type Dict = Record<string, Record<string, Record<string, unknown>>>;
const services = (d: Record<string, unknown>) => (d as Dict).services;

describe('file lookup', () => {
  it('finds compose.yaml from a subdirectory upwards and takes its directory as the project directory', () => {
    const file = write('app/compose.yaml', 'services:\n  web:\n    image: a\n');
    fs.mkdirSync(path.join(root, 'app/sub/deeper'), { recursive: true });
    const raw = loadRaw(opts({ workingDir: path.join(root, 'app/sub/deeper') }));
    expect(raw.files).toEqual([file]);
    expect(raw.workingDir).toBe(path.join(root, 'app'));
    expect(raw.name).toBe('app');
  });

  it('prefers compose.yaml over docker-compose.yml and warns about both', () => {
    write('compose.yaml', 'services:\n  a:\n    image: a\n');
    write('docker-compose.yml', 'services:\n  b:\n    image: b\n');
    const raw = loadRaw(opts());
    expect(Object.keys(services(raw.dict))).toEqual(['a']);
    expect(warnings()).toContain(`WARN[0000] Found multiple config files with supported names: ${root}/compose.yaml, ${root}/docker-compose.yml\n`);
  });

  it('prefers docker-compose.yml over docker-compose.yaml, as Compose does', () => {
    write('docker-compose.yaml', 'services:\n  a:\n    image: a\n');
    write('docker-compose.yml', 'services:\n  b:\n    image: b\n');
    expect(loadRaw(opts()).files).toEqual([path.join(root, 'docker-compose.yml')]);
  });

  it('reads .env from the working directory, not from the directory above where the file was found (as Compose)', () => {
    write('compose.yaml', 'services:\n  web:\n    image: img${TAG:-}\n');
    write('.env', 'TAG=:parent\n');
    write('sub/.env', 'TAG=:sub\n');
    expect(services(loadRaw(opts({ workingDir: path.join(root, 'sub') })).dict).web.image).toBe('img:sub');
  });

  it('looks for the default files from --project-directory', () => {
    write('proj/compose.yaml', 'services:\n  web:\n    image: a\n');
    fs.mkdirSync(path.join(root, 'elsewhere'));
    const raw = loadRaw(opts({ workingDir: path.join(root, 'elsewhere'), projectDirectory: path.join(root, 'proj') }));
    expect(raw.files).toEqual([path.join(root, 'proj/compose.yaml')]);
  });

  it.each(['compose.yml', 'docker-compose.yaml', 'docker-compose.yml'])('finds %s', (name) => {
    write(name, 'services:\n  a:\n    image: a\n');
    expect(loadRaw(opts()).files).toEqual([path.join(root, name)]);
  });

  it('merges the override file beside a default file', () => {
    write('docker-compose.yml', 'services:\n  web:\n    image: a\n');
    write('docker-compose.override.yml', 'services:\n  web:\n    image: b\n');
    const raw = loadRaw(opts());
    expect(raw.files).toEqual([path.join(root, 'docker-compose.yml'), path.join(root, 'docker-compose.override.yml')]);
    expect(services(raw.dict).web.image).toBe('b');
  });

  it('does not look for override files next to -f files', () => {
    write('compose.yaml', 'services:\n  web:\n    image: a\n');
    write('compose.override.yaml', 'services:\n  web:\n    image: b\n');
    expect(services(loadRaw(opts({ files: ['compose.yaml'] })).dict).web.image).toBe('a');
  });

  it('merges several -f files in order, relative to the working directory', () => {
    write('base.yaml', 'services:\n  web:\n    image: a\n    user: u\n');
    write('more/prod.yaml', 'services:\n  web:\n    image: b\n');
    const raw = loadRaw(opts({ files: ['base.yaml', 'more/prod.yaml'] }));
    expect(services(raw.dict).web).toEqual({ image: 'b', user: 'u' });
    expect(raw.workingDir).toBe(root);
  });

  it('takes COMPOSE_FILE with COMPOSE_PATH_SEPARATOR', () => {
    write('one.yaml', 'services:\n  web:\n    image: a\n');
    write('two.yaml', 'services:\n  web:\n    image: b\n');
    expect(services(loadRaw(opts({ env: { COMPOSE_FILE: 'one.yaml:two.yaml' } })).dict).web.image).toBe('b');
    expect(services(loadRaw(opts({ env: { COMPOSE_FILE: 'two.yaml;one.yaml', COMPOSE_PATH_SEPARATOR: ';' } })).dict).web.image).toBe('a');
  });

  it('takes COMPOSE_FILE from .env', () => {
    write('.env', 'COMPOSE_FILE=other.yaml\n');
    write('other.yaml', 'services:\n  web:\n    image: from-env\n');
    expect(services(loadRaw(opts()).dict).web.image).toBe('from-env');
  });

  it('reads "-" from stdin, with the working directory as project directory', () => {
    const raw = loadRaw(opts({ files: ['-'], stdin: () => 'services:\n  web:\n    image: piped\n' }));
    expect(raw.files).toEqual(['-']);
    expect(raw.workingDir).toBe(root);
    expect(services(raw.dict).web.image).toBe('piped');
  });

  it('takes the project directory from the first file that is not stdin', () => {
    write('sub/more.yaml', 'services:\n  web:\n    user: u\n');
    const raw = loadRaw(opts({ files: ['-', 'sub/more.yaml'], stdin: () => 'services:\n  web:\n    image: piped\n' }));
    expect(raw.workingDir).toBe(path.join(root, 'sub'));
    expect(raw.files).toEqual(['-', path.join(root, 'sub/more.yaml')]);
    expect(services(raw.dict).web).toEqual({ image: 'piped', user: 'u' });
  });

  it('fails with Compose wording when there is no file', () => {
    expect(() => loadRaw(opts())).toThrow(/^no configuration file provided: not found/);
    expect(() => loadRaw(opts({ files: ['missing.yaml'] }))).toThrow(`open ${root}/missing.yaml: no such file or directory`);
  });

  it('drops version: with Compose warning', () => {
    write('compose.yaml', 'version: "3.8"\nservices:\n  web:\n    image: a\n');
    const raw = loadRaw(opts());
    expect(raw.dict.version).toBeUndefined();
    expect(warnings().join('')).toContain('the attribute `version` is obsolete');
  });
});

describe('project name and directory', () => {
  it('normalises derived names', () => {
    expect(normalizeProjectName('My App.v2')).toBe('myappv2');
    expect(normalizeProjectName('_-x')).toBe('x');
  });

  it('takes -p, then COMPOSE_PROJECT_NAME, then name:, then the directory', () => {
    write('My_Dir/compose.yaml', 'name: "${NAME:-from-file}"\nservices:\n  web:\n    image: a\n');
    const wd = path.join(root, 'My_Dir');
    expect(loadRaw(opts({ workingDir: wd, projectName: 'given' })).name).toBe('given');
    expect(loadRaw(opts({ workingDir: wd, env: { COMPOSE_PROJECT_NAME: 'from-env' } })).name).toBe('from-env');
    expect(() => loadRaw(opts({ workingDir: wd, env: { COMPOSE_PROJECT_NAME: 'From Env' } }))).toThrow('invalid project name "From Env" (COMPOSE_PROJECT_NAME)');
    expect(loadRaw(opts({ workingDir: wd })).name).toBe('from-file');
    expect(loadRaw(opts({ workingDir: wd, env: { NAME: 'interp' } })).name).toBe('interp');
    write('Other_Dir/compose.yaml', 'services:\n  web:\n    image: a\n');
    expect(loadRaw(opts({ workingDir: path.join(root, 'Other_Dir') })).name).toBe('other_dir');
  });

  it('takes COMPOSE_PROJECT_NAME from .env', () => {
    write('.env', 'COMPOSE_PROJECT_NAME=dotenv-name\n');
    write('compose.yaml', 'name: file-name\nservices:\n  web:\n    image: a\n');
    expect(loadRaw(opts()).name).toBe('dotenv-name');
  });

  it('refuses an invalid -p or name:', () => {
    write('compose.yaml', 'services:\n  web:\n    image: a\n');
    expect(() => loadRaw(opts({ projectName: 'Bad Name' }))).toThrow(
      'invalid project name "Bad Name": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number',
    );
    expect(() => loadRaw(opts({ projectName: '-x' }))).toThrow('invalid project name "-x"');
    write('compose.yaml', 'name: My App\nservices:\n  web:\n    image: a\n');
    expect(() => loadRaw(opts())).toThrow('invalid project name "My App" (the top-level name:): must consist only of');
  });

  it('refuses a directory name with nothing left once normalised, saying to use -p', () => {
    write('!!!/compose.yaml', 'services:\n  web:\n    image: a\n');
    expect(() => loadRaw(opts({ workingDir: path.join(root, '!!!') }))).toThrow(/gives no project name .*: give one with -p/);
  });

  it('takes --project-directory for the project directory and its .env', () => {
    write('proj/.env', 'IMG=from-proj\n');
    write('files/compose.yaml', 'services:\n  web:\n    image: $IMG\n');
    const raw = loadRaw(opts({ files: ['files/compose.yaml'], projectDirectory: 'proj' }));
    expect(raw.workingDir).toBe(path.join(root, 'proj'));
    expect(services(raw.dict).web.image).toBe('from-proj');
  });
});

describe('environment', () => {
  it('interpolates from .env, the process environment winning', () => {
    write('.env', 'IMG=dotenv\nTAG=1.0\n');
    write('compose.yaml', 'services:\n  web:\n    image: $IMG:${TAG}\n');
    expect(services(loadRaw(opts()).dict).web.image).toBe('dotenv:1.0');
    const raw = loadRaw(opts({ env: { TAG: '2.0' } }));
    expect(services(raw.dict).web.image).toBe('dotenv:2.0');
    expect(raw.environment).toMatchObject({ IMG: 'dotenv', TAG: '2.0' });
  });

  it('reads --env-file files in order instead of .env, and fails on a missing one', () => {
    write('.env', 'IMG=dotenv\n');
    write('a.env', 'IMG=a\nTAG=a\n');
    write('b.env', 'TAG=b\n');
    write('compose.yaml', 'services:\n  web:\n    image: $IMG:$TAG\n');
    expect(services(loadRaw(opts({ envFiles: ['a.env', 'b.env'] })).dict).web.image).toBe('a:b');
    expect(() => loadRaw(opts({ envFiles: ['nope.env'] }))).toThrow(`couldn't find env file: ${root}/nope.env`);
  });

  it('passes COMPOSE_PROFILES on when no --profile was given', () => {
    write('.env', 'COMPOSE_PROFILES=debug, tools\n');
    write('compose.yaml', 'services:\n  web:\n    image: a\n');
    expect(loadRaw(opts()).profiles).toEqual(['debug', 'tools']);
    expect(loadRaw(opts({ profiles: ['x'] })).profiles).toBeUndefined();
  });

  it('names file, line and key for interpolation errors', () => {
    write('compose.yaml', 'services:\n  web:\n    image: ${IMG:?set IMG}\n');
    expect(() => loadRaw(opts())).toThrow(`${root}/compose.yaml:3: services.web.image: required variable IMG is missing a value: set IMG`);
  });
});

describe('schema', () => {
  it('checks each file before the merge, naming its file and line', () => {
    write('compose.yaml', 'services:\n  web:\n    image: a\n');
    write('bad.yaml', 'services:\n  web:\n    imagee: b\n');
    expect(() => loadRaw(opts({ files: ['compose.yaml', 'bad.yaml'] }))).toThrow(`${root}/bad.yaml:3: services.web: additional property "imagee" is not allowed`);
  });

  it('checks values after interpolation', () => {
    write('compose.yaml', 'services:\n  web:\n    image: a\n    ports:\n      - ${P:-8080}\n');
    expect(services(loadRaw(opts()).dict).web.ports).toEqual(['8080']);
  });
});

describe('where', () => {
  it('names the file and line a merged key was written on', () => {
    const a = write('a.yaml', 'services:\n  web:\n    image: a\n');
    const b = write('b.yaml', 'services:\n  web:\n\n    ports: ["80:80"]\n');
    const raw = loadRaw(opts({ files: ['a.yaml', 'b.yaml'] }));
    expect(raw.where(['services', 'web', 'image'])).toEqual({ file: a, line: 3 });
    expect(raw.where(['services', 'web', 'ports', '0'])).toEqual({ file: b, line: 4 });
    expect(raw.where(['nothing'])).toEqual({ file: a });
  });
});

describe('extends', () => {
  it('extends a service of the same file, chained, the extending service winning', () => {
    write(
      'compose.yaml',
      [
        'services:',
        '  base:',
        '    image: base',
        '    environment: [A=1, B=1]',
        '    ports: ["80:80"]',
        '  mid:',
        '    extends: base',
        '    environment:',
        '      B: "2"',
        '  web:',
        '    extends:',
        '      service: mid',
        '    image: web',
        '    ports: ["81:81"]',
      ].join('\n'),
    );
    const web = services(loadRaw(opts()).dict).web;
    expect(web).toEqual({ image: 'web', environment: { A: '1', B: '2' }, ports: ['80:80', '81:81'] });
  });

  it('extends a service of another file, its relative paths made absolute against its directory', () => {
    write('common/base.yaml', 'services:\n  app:\n    build: ./ctx\n    env_file: app.env\n    volumes: ["./data:/data", "named:/n"]\n');
    write('compose.yaml', 'services:\n  web:\n    extends:\n      file: common/base.yaml\n      service: app\n    volumes: ["./mine:/mine"]\n');
    const web = services(loadRaw(opts()).dict).web;
    expect(web).toEqual({
      build: path.join(root, 'common/ctx'),
      env_file: path.join(root, 'common/app.env'),
      volumes: [`${path.join(root, 'common/data')}:/data`, 'named:/n', './mine:/mine'],
    });
  });

  it('follows extends: file: relative to the file naming it', () => {
    write('a/one.yaml', 'services:\n  one:\n    extends:\n      file: ../b/two.yaml\n      service: two\n    user: one\n');
    write('b/two.yaml', 'services:\n  two:\n    image: two\n');
    write('compose.yaml', 'services:\n  web:\n    extends:\n      file: a/one.yaml\n      service: one\n');
    expect(services(loadRaw(opts()).dict).web).toEqual({ image: 'two', user: 'one' });
  });

  it('lets the extending service !reset what it inherits, and remembers where inherited keys were written', () => {
    const base = write('base.yaml', 'services:\n  app:\n    image: base\n    ports: ["80:80"]\n    user: u\n');
    const main = write('compose.yaml', 'services:\n  web:\n    extends:\n      file: base.yaml\n      service: app\n    ports: !reset []\n    user: me\n');
    const raw = loadRaw(opts());
    expect(services(raw.dict).web).toEqual({ image: 'base', user: 'me' });
    expect(raw.where(['services', 'web', 'image'])).toEqual({ file: base, line: 3 });
    expect(raw.where(['services', 'web', 'user'])).toEqual({ file: main, line: 7 });
  });

  it('names the extended file in its schema errors', () => {
    const base = write('base.yaml', 'services:\n  app:\n    imag: base\n');
    write('compose.yaml', 'services:\n  web:\n    extends:\n      file: base.yaml\n      service: app\n');
    expect(() => loadRaw(opts())).toThrow(`${base}:3: services.app: additional property "imag" is not allowed`);
  });

  it('gives services extending one base objects of their own', () => {
    write('compose.yaml', 'services:\n  base:\n    image: b\n    healthcheck:\n      test: [CMD, x]\n  a:\n    extends: base\n  b:\n    extends: base\n');
    const s = services(loadRaw(opts()).dict);
    expect(s.a.healthcheck).toEqual(s.b.healthcheck);
    expect(s.a.healthcheck).not.toBe(s.b.healthcheck);
    expect(s.a.healthcheck).not.toBe(s.base.healthcheck);
  });

  it('refuses cycles and unknown services', () => {
    write('compose.yaml', 'services:\n  a:\n    extends: b\n  b:\n    extends: a\n');
    expect(() => loadRaw(opts())).toThrow(/services\.a\.extends: circular reference \(a -> b -> a\)/);
    write('compose.yaml', 'services:\n  a:\n    extends: nope\n');
    expect(() => loadRaw(opts())).toThrow(`${root}/compose.yaml:3: services.a.extends: cannot extend service "nope": no such service in ${root}/compose.yaml`);
  });

  it('refuses an extends file that does not exist', () => {
    write('compose.yaml', 'services:\n  a:\n    extends:\n      file: gone.yaml\n      service: x\n');
    expect(() => loadRaw(opts())).toThrow(`${root}/compose.yaml:4: extends: file ${root}/gone.yaml does not exist`);
  });
});

describe('include', () => {
  it('adds the services, networks and volumes of included projects (short form), with their own .env and paths', () => {
    write('sub/.env', 'DB_IMAGE=postgres\n');
    write('sub/compose.yaml', 'services:\n  db:\n    image: $DB_IMAGE\n    volumes: ["./init:/init", "dbdata:/var/lib/db"]\nvolumes:\n  dbdata: {}\n');
    write('compose.yaml', 'include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: web\n    depends_on: [db]\n');
    const raw = loadRaw(opts());
    expect(services(raw.dict).db).toEqual({ image: 'postgres', volumes: [`${root}/sub/init:/init`, 'dbdata:/var/lib/db'] });
    expect(services(raw.dict).web.image).toBe('web');
    expect(raw.dict.volumes).toEqual({ dbdata: {} });
    expect(raw.dict.include).toBeUndefined();
    expect(raw.environment.DB_IMAGE).toBeUndefined();
  });

  it('takes the long form: several paths, project_directory and env_file', () => {
    write('inc/a.yaml', 'services:\n  a:\n    image: $IMG\n    build: .\n');
    write('inc/b.yaml', 'services:\n  a:\n    user: b\n');
    write('elsewhere/vars.env', 'IMG=from-env-file\n');
    write(
      'compose.yaml',
      'include:\n  - path: [inc/a.yaml, inc/b.yaml]\n    project_directory: elsewhere\n    env_file: vars.env\nservices:\n  web:\n    image: w\n',
    );
    expect(services(loadRaw(opts()).dict).a).toEqual({ image: 'from-env-file', build: path.join(root, 'elsewhere'), user: 'b' });
  });

  it('refuses a missing env_file of an include, saying where', () => {
    write('sub/compose.yaml', 'services:\n  db:\n    image: d\n');
    write('compose.yaml', 'include:\n  - path: sub/compose.yaml\n    env_file: nope.env\nservices:\n  web:\n    image: w\n');
    expect(() => loadRaw(opts())).toThrow(`couldn't find env file: ${root}/sub/nope.env: check env_file of the include at ${root}/compose.yaml:2`);
  });

  it('refuses a resource defined in both', () => {
    write('sub/compose.yaml', 'services:\n  web:\n    image: theirs\n');
    write('compose.yaml', 'include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: ours\n');
    expect(() => loadRaw(opts())).toThrow(`${root}/compose.yaml:4: services.web: the included ${root}/sub/compose.yaml defines service "web" too`);
  });

  it('refuses an include cycle and a missing file', () => {
    write('compose.yaml', 'include:\n  - compose.yaml\nservices:\n  web:\n    image: a\n');
    expect(() => loadRaw(opts())).toThrow(/include cycle/);
    write('compose.yaml', 'include:\n  - nope.yaml\nservices: {}\n');
    expect(() => loadRaw(opts())).toThrow(`${root}/compose.yaml:2: include: ${root}/nope.yaml does not exist`);
  });
});
