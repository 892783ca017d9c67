// How templates meet tspod's data (plain objects with Podman's JSON keys) and Podman's report
// package: field lookup by Go or JSON name, methods, Podman's functions, json, and "table".
import { describe, expect, it } from 'vitest';
import { compileFormat, compileTemplate, tabwrite } from '../../../../src/go-template';
import { camelSplit, fieldHeading } from '../../../../src/go-template/table';
import { renderList } from '../../../../commands/format/list-printer';

const run = (t: string, data: unknown) => compileTemplate(t)(data);

describe('go-template: fields by Go or JSON name', () => {
  const inspect = { Id: 'abc123', Name: 'web', Host: { ociRuntime: { name: 'crun' } }, network_interface: 'podman0', ID: undefined };
  it('finds the exact key first, then the one equal ignoring case and underscores', () => {
    expect(run('{{.Id}} {{.Name}}', inspect)).toBe('abc123 web');
    expect(run('{{.Host.OCIRuntime.Name}} {{.NetworkInterface}}', { ...inspect, ID: undefined })).toBe('crun podman0');
    expect(run('{{.ID}}', { Id: 'lower', ID: 'exact' })).toBe('exact');
  });

  it('an unknown field of a struct is an error; a missing map key is <no value>, and index gives the element zero value', () => {
    expect(() => run('{{.Nope}}', { Id: 'x', Name: 'y' })).toThrow("can't evaluate field Nope in type struct {Id, Name}");
    // Labels are a map even when their keys look like Go names.
    const data = { Labels: { Maintainer: 'me' } };
    expect(run('{{.Labels.version}}|{{.Labels.Maintainer}}|{{index .Labels "version"}}|', data)).toBe('<no value>|me||');
  });

  it('names a large struct by its first eight fields in the error', () => {
    const big = Object.fromEntries('ABCDEFGHIJ'.split('').map((k) => [k, 1]));
    expect(() => run('{{.Z}}', big)).toThrow("can't evaluate field Z in type struct {A, B, C, D, E, F, G, H, ...}");
  });

  it('calls function-valued properties as methods with their arguments, and checks their arity', () => {
    const row = Object.defineProperty({ Names: 'web' }, 'Label', { value: (k: string) => ({ app: 'shop' })[k] ?? '' });
    expect(run('{{.Label "app"}}|{{.Label "none"}}|{{"app" | .Label}}', row)).toBe('shop||shop');
    expect(() => run('{{.Label}}', row)).toThrow('wrong number of args for Label: want 1 got 0');
    expect(run('{{json .}}', row)).toBe('{"Names":"web"}');
  });
});

describe("go-template: Podman's functions", () => {
  it.each([
    ['join, upper, lower, title, truncate, pad', '{{join (split "a,b,c" ",") "+"}} {{upper "abc"}} {{lower "ABC"}} {{title "hello big-world foo_bar"}} {{truncate "abcdef" 3}} {{truncate "ab" 3}}|{{pad "x" 2 1}}|{{pad "" 2 1}}|', 'a+b+c ABC abc Hello Big-World Foo_bar abc ab|  x ||'],
    ['json of values: no HTML escaping', '{{json (split "a,b" ",")}} {{json "<&>"}} {{json 1.5}} {{json nil}} {{json true}}', '["a","b"] "<&>" 1.5 null true'],
    ['split prints as a slice', '{{split "a,b,c" ","}} {{len (split "" ",")}}', '[a b c] 1'],
    ['html, js, urlquery', '{{html "<b>\\"Tom\\" & \'Jerry\'</b>"}} {{js "a\'b\\"c<d>&=e"}} {{urlquery "a b/c?d=é"}}', '&lt;b&gt;&#34;Tom&#34; &amp; &#39;Jerry&#39;&lt;/b&gt; a\\\'b\\"c\\u003Cd\\u003E\\u0026\\u003De a+b%2Fc%3Fd%3D%C3%A9'],
    ['len counts bytes, index a string gives a byte, slice', '{{len "héllo"}} {{index "héllo" 1}} {{slice "hello" 1 3}} {{slice "hello" 2}}', '6 195 el llo'],
    ['and/or give back the deciding value', '{{and 1 "" 2}}|{{and 1 2}}|{{or "" 0 "z"}}|{{or "" 0}}|{{not ""}}|{{not 1}}', '|2|z|0|true|false'],
    ['eq with several arguments, ne lt le gt ge', '{{eq 1 1 2}} {{eq "a" "b" "c"}} {{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}} {{eq nil nil}}', 'true false true true true true false true'],
  ])('%s', (_name, t, want) => {
    expect(run(t, {})).toBe(want);
  });

  it('json sorts a map\'s keys as json.Marshal does, keeps a struct\'s field order, and prints {} and null as given', () => {
    const data = { Labels: { zeta: '1', alpha: '2' }, State: { Status: 'running', Pid: 7 }, Empty: {}, None: null };
    expect(run('{{json .Labels}} {{json .State}} {{json .Empty}} {{json .None}}', data)).toBe('{"alpha":"2","zeta":"1"} {"Status":"running","Pid":7} {} null');
  });

  it('join refuses what is not a list of strings, with Go\'s message', () => {
    expect(() => run('{{join .N ","}}', { N: [1, 2] })).toThrow('wrong type for value; expected []string; got []interface {}');
  });
});

describe('go-template: table', () => {
  it("splits field names as Podman's camelcase package does", () => {
    expect(camelSplit('PDFLoader')).toEqual(['PDF', 'Loader']);
    expect(camelSplit('GL11Version')).toEqual(['GL', '11', 'Version']);
    expect(camelSplit('vimRPCPlugin')).toEqual(['vim', 'RPC', 'Plugin']);
    expect(fieldHeading('RunningFor')).toBe('RUNNING FOR');
  });

  it('aligns tab-ended cells like tabwriter(minwidth 12, padding 2), block by block', () => {
    expect(tabwrite('NAMES\tSTATUS\tRUNNING FOR\tX\na-very-long-name-here\tUp\tnow\ty\n')).toBe(
      'NAMES                  STATUS      RUNNING FOR  X\na-very-long-name-here  Up          now          y\n',
    );
    // A line without tabs ends the block: the next block is measured afresh.
    expect(tabwrite('a\tb\nno tabs\nlonger-than-twelve\tc\n')).toBe('a           b\nno tabs\nlonger-than-twelve  c\n');
  });

  const rows = [
    { ID: '0123456789ab', Names: 'web', Status: 'Up 2 seconds', RunningFor: '2 seconds' },
    { ID: 'ba9876543210', Names: 'database-server', Status: 'Exited (0) 1 second ago', RunningFor: '3 seconds' },
  ];
  const columns: Array<[string, (r: (typeof rows)[number]) => string]> = [
    ['CONTAINER ID', (r) => r.ID],
    ['NAMES', (r) => r.Names],
  ];

  it("'table' heads each field with the command's column heading or Podman's rule, spaces become column breaks", () => {
    expect(renderList(rows, { columns, format: 'table {{.ID}} {{.Names}}\\t{{.RunningFor}}' })).toBe(
      'CONTAINER ID  NAMES            RUNNING FOR\n0123456789ab  web              2 seconds\nba9876543210  database-server  3 seconds\n',
    );
  });

  it("'table' with --noheading, with no rows, and 'table' alone", () => {
    expect(renderList(rows, { columns, format: 'table {{.Names}}', noHeading: true })).toBe('web\ndatabase-server\n');
    expect(renderList([], { columns, format: 'table {{.Names}}\\t{{.Id}}' })).toBe('NAMES       CONTAINER ID\n');
    expect(renderList(rows, { columns, format: 'table' })).toBe('CONTAINER ID  NAMES\n0123456789ab  web\nba9876543210  database-server\n');
  });

  it('a plain format is rendered per row with one newline; one that ranges itself gets the whole list', () => {
    expect(renderList(rows, { columns, format: '{{.Names}}' })).toBe('web\ndatabase-server\n');
    expect(renderList(rows, { columns, format: '{{.Names}}\\n' })).toBe('web\ndatabase-server\n');
    expect(renderList(rows, { columns, format: '{{range .}}{{.Names}},{{end}}' })).toBe('web,database-server,\n');
  });

  it('compiles once: a parse error is raised before any row is seen', () => {
    expect(() => compileFormat('table {{.Names')).toThrow('template: format:1: unclosed action');
  });
});

describe('go-template: maps and structs', () => {
  const info = { host: { distribution: { distribution: 'debian', version: '12', codename: 'bookworm' }, kernel: '6.1' }, store: { graphOptions: { 'overlay.mount_program': 'fuse' } } };

  it("takes lowerCamel JSON objects as structs: field order kept in json and %v, an unknown field is an error", () => {
    expect(run('{{json .Host.Distribution}} {{.Host.Distribution}}', info)).toBe('{"distribution":"debian","version":"12","codename":"bookworm"} {debian 12 bookworm}');
    expect(() => run('{{.Host.Kernl}}', info)).toThrow("can't evaluate field Kernl in type struct {distribution, kernel}");
  });

  it('takes objects with keys no Go field could have, and Labels nested in a struct, as maps', () => {
    expect(run('{{.Store.GraphOptions}} {{.Store.GraphOptions.nope}}', info)).toBe('map[overlay.mount_program:fuse] <no value>');
    const row = { Names: 'web', Labels: { zeta: '1', alpha: '2' } };
    expect(run('{{.}} {{json .}} {{printf "%v" .}}', row)).toBe('{web map[alpha:2 zeta:1]} {"Names":"web","Labels":{"alpha":"2","zeta":"1"}} {web map[alpha:2 zeta:1]}');
  });
});
