import { afterEach, describe, expect, it, vi } from 'vitest';
import { interpolateTree, substitute, TemplateFault } from '../../../../libpod/compose/interpolate';
import { parseComposeYaml } from '../../../../libpod/compose/yaml-source';

const env: Record<string, string> = { SET: 'value', EMPTY: '', B: 'bee' };
const lookup = (n: string) => (n in env ? env[n] : undefined);

function fault(template: string): TemplateFault {
  try {
    substitute(template, lookup);
  } catch (e) {
    if (e instanceof TemplateFault) return e;
    throw e;
  }
  throw new Error(`${template} expanded without an error`);
}

describe('substitute', () => {
  it.each([
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['a-$SET-b', 'a-value-b'],
    ['${SET}x', 'valuex'],
    ['$SET.x', 'value.x'],
    ['$$SET', '$SET'],
    ['$${SET}', '${SET}'],
    ['cost: $$5', 'cost: $5'],
    ['${UNSET:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${SET:-d}', 'value'],
    ['${UNSET-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${SET:+r}', 'r'],
    ['${EMPTY:+r}', ''],
    ['${UNSET:+r}', ''],
    ['${EMPTY+r}', 'r'],
    ['${UNSET+r}', ''],
    ['${SET:?boom}', 'value'],
    ['${EMPTY?boom}', ''],
    ['${UNSET:-${B:-x}}', 'bee'],
    ['${UNSET:-${UNSET2:-x}}', 'x'],
    ['${UNSET:-a $SET b}', 'a value b'],
    ['${UNSET:-}', ''],
    ['${UNSET:-{json}}', '{json}'],
    ['no dollars', 'no dollars'],
  ])('%s -> %s', (template, want) => {
    expect(substitute(template, lookup)).toBe(want);
  });

  it('gives unset variables as "" and reports them', () => {
    const unset: string[] = [];
    expect(substitute('a${NOPE}b$NADA', lookup, { onUnset: (n) => unset.push(n) })).toBe('ab');
    expect(unset).toEqual(['NOPE', 'NADA']);
  });

  it('does not report variables that have a default', () => {
    const unset: string[] = [];
    substitute('${NOPE:-x}${NOPE-y}${NOPE:+z}', lookup, { onUnset: (n) => unset.push(n) });
    expect(unset).toEqual([]);
  });

  it('fails on required variables with their message', () => {
    expect(fault('${UNSET:?set UNSET first}').message).toBe('required variable UNSET is missing a value: set UNSET first');
    expect(fault('${EMPTY:?}').message).toBe('required variable EMPTY is missing a value');
    expect(fault('${UNSET?need it}').kind).toBe('required');
    expect(fault('${UNSET:?no $SET}').message).toBe('required variable UNSET is missing a value: no value');
  });

  it.each(['${V', '${V:x}', '${}', '${1V}', '$', 'a $ b', '$1', '${V:-${W}'])('rejects bad syntax %s', (t) => {
    expect(fault(t).kind).toBe('syntax');
  });
});

describe('interpolateTree', () => {
  afterEach(() => vi.restoreAllMocks());

  it('interpolates string values at every depth, not keys, and keeps other types', () => {
    const doc = parseComposeYaml('services:\n  ${SET}:\n    image: "img:${B}"\n    ports: ["$SET", 80]\n    read_only: true\n', '/p/compose.yaml').value;
    interpolateTree(doc, { file: '/p/compose.yaml', env });
    expect(doc).toEqual({ services: { '${SET}': { image: 'img:bee', ports: ['value', 80], read_only: true } } });
  });

  it('warns once per unset variable with Compose wording', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const doc = parseComposeYaml('a: $NOPE\nb: ${NOPE}\n', 'f.yaml').value;
    interpolateTree(doc, { file: 'f.yaml', env });
    const lines = write.mock.calls.map((c) => String(c[0]));
    expect(lines).toEqual(['WARN[0000] The "NOPE" variable is not set. Defaulting to a blank string.\n']);
    expect(doc).toEqual({ a: '', b: '' });
  });

  it('names file, line and key for bad syntax', () => {
    const doc = parseComposeYaml('services:\n  web:\n    image: "${V"\n', '/p/compose.yaml').value;
    expect(() => interpolateTree(doc, { file: '/p/compose.yaml', env })).toThrow(
      `/p/compose.yaml:3: invalid interpolation format for services.web.image: "\${V". You may need to escape any '$' with another '$'`,
    );
  });

  it('names file, line and key for a missing required variable', () => {
    const doc = parseComposeYaml('services:\n  web:\n    environment:\n      - A=1\n      - B=${TOKEN:?set TOKEN}\n', '/p/c.yaml').value;
    expect(() => interpolateTree(doc, { file: '/p/c.yaml', env })).toThrow('/p/c.yaml:5: services.web.environment[1]: required variable TOKEN is missing a value: set TOKEN');
  });
});
