import { describe, expect, it } from 'vitest';
import { mergeValues, portKey, volumeKey } from '../../../../libpod/compose/merge';
import { parseComposeYaml, whereIn } from '../../../../libpod/compose/yaml-source';

function mergeTexts(...texts: string[]): Record<string, unknown> {
  let dict: unknown = {};
  texts.forEach((t, i) => {
    const p = parseComposeYaml(t, `/p/f${i}.yaml`);
    dict = mergeValues(dict, p.value, { resets: p.resets, overrides: p.overrides });
  });
  return dict as Record<string, unknown>;
}

function web(dict: Record<string, unknown>): Record<string, unknown> {
  return (dict.services as Record<string, Record<string, unknown>>).web;
}

describe('mergeValues', () => {
  it('merges mappings key by key, later scalars win', () => {
    const d = mergeTexts('services:\n  web:\n    image: a\n    user: u\n', 'services:\n  web:\n    image: b\n  db:\n    image: c\n');
    expect(d).toEqual({ services: { web: { image: 'b', user: 'u' }, db: { image: 'c' } } });
  });

  it('appends plain sequences and de-duplicates set-like ones', () => {
    const d = mergeTexts('services:\n  web:\n    dns: [1.1.1.1]\n    cap_add: [NET_ADMIN]\n', 'services:\n  web:\n    dns: [8.8.8.8, 1.1.1.1]\n    cap_add: [NET_ADMIN, SYS_TIME]\n');
    expect(web(d).dns).toEqual(['1.1.1.1', '8.8.8.8']);
    expect(web(d).cap_add).toEqual(['NET_ADMIN', 'SYS_TIME']);
  });

  it('replaces command, entrypoint and healthcheck.test', () => {
    const d = mergeTexts(
      'services:\n  web:\n    command: [echo, foo]\n    entrypoint: sh\n    healthcheck:\n      test: [CMD, a]\n      retries: 3\n',
      'services:\n  web:\n    command: [echo, bar]\n    entrypoint: [bash, -c]\n    healthcheck:\n      test: [CMD, b]\n',
    );
    expect(web(d)).toEqual({ command: ['echo', 'bar'], entrypoint: ['bash', '-c'], healthcheck: { test: ['CMD', 'b'], retries: 3 } });
  });

  it('merges environment and labels as maps whichever form they were written in', () => {
    const d = mergeTexts('services:\n  web:\n    environment: [A=1, B=2, C]\n    labels: {x: "1"}\n', 'services:\n  web:\n    environment:\n      B: "3"\n      D: "4"\n    labels: [y=2]\n');
    expect(web(d).environment).toEqual({ A: '1', B: '3', C: null, D: '4' });
    expect(web(d).labels).toEqual({ x: '1', y: '2' });
  });

  it('merges volumes by target, ports by their identity, secrets and configs by source', () => {
    const d = mergeTexts(
      'services:\n  web:\n    volumes: ["foo:/work", "./a:/a"]\n    ports: ["8080:80", "9000:90/udp"]\n    secrets: [s1, {source: s2, target: t2}]\n',
      'services:\n  web:\n    volumes: ["bar:/work", {type: volume, source: v, target: /b}]\n    ports: ["8080:80", "8081:80", {target: 90, published: "9000", protocol: udp, mode: host}]\n    secrets: [{source: s2, target: t3}, s3]\n',
    );
    expect(web(d).volumes).toEqual(['bar:/work', './a:/a', { type: 'volume', source: 'v', target: '/b' }]);
    // The long form of 9000:90/udp has the same identity: it takes that entry's place.
    expect(web(d).ports).toEqual(['8080:80', { target: 90, published: '9000', protocol: 'udp', mode: 'host' }, '8081:80']);
    expect(web(d).secrets).toEqual(['s1', { source: 's2', target: 't3' }, 's3']);
  });

  it('merges networks and depends_on given as lists or maps', () => {
    const d = mergeTexts('services:\n  web:\n    networks: [front]\n    depends_on: [db]\n', 'services:\n  web:\n    networks:\n      back:\n        aliases: [w]\n    depends_on:\n      cache:\n        condition: service_healthy\n');
    expect(web(d).networks).toEqual({ front: null, back: { aliases: ['w'] } });
    expect(web(d).depends_on).toEqual({ db: { condition: 'service_started' }, cache: { condition: 'service_healthy' } });
  });

  it('merges a short build onto a long one', () => {
    const d = mergeTexts('services:\n  web:\n    build: ./app\n', 'services:\n  web:\n    build:\n      dockerfile: Dockerfile.dev\n');
    expect(web(d).build).toEqual({ context: './app', dockerfile: 'Dockerfile.dev' });
  });

  it('replaces logging when the driver changes', () => {
    const d = mergeTexts('services:\n  web:\n    logging:\n      driver: json-file\n      options: {max-size: 1m}\n', 'services:\n  web:\n    logging:\n      driver: journald\n');
    expect(web(d).logging).toEqual({ driver: 'journald' });
  });

  it('removes !reset values and replaces !override ones', () => {
    const d = mergeTexts(
      'services:\n  web:\n    image: a\n    build: {context: .}\n    ports: ["80:80"]\n    environment: [FOO=BAR, KEEP=1]\n    volumes: ["a:/a"]\n',
      'services:\n  web:\n    build: !reset null\n    ports: !override ["81:81"]\n    environment:\n      FOO: !reset null\n    volumes: !reset []\n',
    );
    expect(web(d)).toEqual({ image: 'a', ports: ['81:81'], environment: { KEEP: '1' } });
  });

  it('keeps where each key came from', () => {
    const d = mergeTexts('services:\n  web:\n    image: a\n    ports: ["80:80"]\n', 'services:\n\n  web:\n    user: u\n    ports: ["81:81"]\n');
    expect(whereIn(d, ['services', 'web', 'image'])).toEqual({ file: '/p/f0.yaml', line: 3 });
    expect(whereIn(d, ['services', 'web', 'user'])).toEqual({ file: '/p/f1.yaml', line: 4 });
    expect(whereIn(d, ['services', 'web', 'ports', 0])).toEqual({ file: '/p/f0.yaml', line: 4 });
    expect(whereIn(d, ['services', 'web', 'ports', 1])).toEqual({ file: '/p/f1.yaml', line: 5 });
  });

  it('does not change its inputs', () => {
    const a = parseComposeYaml('services:\n  web:\n    dns: [a]\n', 'a').value;
    const b = parseComposeYaml('services:\n  web:\n    dns: [b]\n', 'b').value;
    mergeValues(a, b);
    expect(a).toEqual({ services: { web: { dns: ['a'] } } });
  });
});

describe('keys', () => {
  it.each([
    ['80', '|80||tcp'],
    ['8080:80', '|80|8080|tcp'],
    ['127.0.0.1:8080:80/udp', '127.0.0.1|80|8080|udp'],
    ['[::1]:8080:80', '::1|80|8080|tcp'],
  ])('port %s', (p, k) => expect(portKey(p)).toBe(k));
  it('volume targets', () => {
    expect(volumeKey('/anon')).toBe('/anon');
    expect(volumeKey('data:/d:ro')).toBe('/d');
    expect(volumeKey({ type: 'bind', source: '.', target: '/x' })).toBe('/x');
  });
});
