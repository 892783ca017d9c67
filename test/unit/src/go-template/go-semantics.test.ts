// Go's documented text/template behaviour. Expected outputs were printed by Podman 4.3's Go
// (podman version --format '...') for the same templates, so they are Go's, not ours.
import { describe, expect, it } from 'vitest';
import { compileTemplate, formatOutput } from '../../../../src/go-template';

const run = (t: string, data: unknown = {}) => compileTemplate(t, 'version')(data);
const fails = (t: string, data: unknown = {}) => {
  try {
    run(t, data);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${t} did not fail`);
};

describe('go-template: control structures', () => {
  it.each([
    ['truth: 0, "" and empty slices are false, "0" is true', '{{if 0}}a{{else}}b{{end}}|{{if ""}}a{{else}}b{{end}}|{{if "0"}}a{{end}}|{{if (split "" "")}}a{{else}}e{{end}}', 'b|b|a|e'],
    ['range with $i, $v over a slice', '{{$m := split "b,a" ","}}{{range $i, $v := $m}}{{$i}}:{{$v}} {{end}}', '0:b 1:a '],
    ['range with one variable gets the element', '{{range $v := split "x,y" ","}}{{$v}}{{end}}', 'xy'],
    ['range {{else}} when empty', '{{range split "" ""}}x{{else}}empty{{end}}', 'empty'],
    ['break and continue', '{{range $i, $v := split "a,b,c,d" ","}}{{if eq $i 1}}{{continue}}{{end}}{{if eq $i 3}}{{break}}{{end}}{{$v}}{{end}}', 'ac'],
    ['a variable declared in a block ends with it', '{{$x := "outer"}}{{if true}}{{$x := "inner"}}{{$x}}{{end}} {{$x}}', 'inner outer'],
    ['= assigns to the outer variable', '{{$x := 1}}{{range split "a,b" ","}}{{$x = .}}{{end}}{{$x}}', 'b'],
    ['else if', '{{if false}}a{{else if true}}b{{else}}c{{end}}', 'b'],
    ['with sets dot, with-else, with declaring a variable', '{{with "x"}}{{.}}{{end}}{{with ""}}a{{else}}b{{end}}{{with $v := "q"}}{{$v}}{{end}}', 'xbq'],
    ['define and template, with and without a pipeline', '{{define "T"}}<{{.}}>{{end}}{{template "T" "v"}}{{template "T"}}', '<v><<no value>>'],
    ['block defines and runs', '{{block "B" "x"}}[{{.}}]{{end}}', '[x]'],
    ['range over an integer (Go 1.22)', '{{range $i := 3}}{{$i}}{{end}}', '012'],
    ['$ is the data inside with', '{{with .A}}{{.}} {{$.B}}{{end}}', 'a b'],
  ])('%s', (_name, t, want) => {
    expect(run(t, { A: 'a', B: 'b' })).toBe(want);
  });

  it('ranges over a map in sorted key order, with $k, $v', () => {
    expect(run('{{range $k, $v := .}}{{$k}}={{$v}};{{end}}', { zeta: 1, alpha: 2, mid: 3 })).toBe('alpha=2;mid=3;zeta=1;');
  });
});

describe('go-template: syntax', () => {
  it.each([
    ['trim markers eat white space on their side', '{{- "a" -}} {{- "b" }}  {{"c" -}}  d', 'ab  cd'],
    ['comments, trimmed too', '{{/* comment */}}x{{- /* trimmed */ -}} y', 'xy'],
    ['literals: raw string, escapes, char, hex, underscores, octal, floats, negatives', '{{"esc\\u00e9"}} {{\'x\'}} {{0x10}} {{1_000}} {{0o17}} {{.5}} {{-7}}', 'escé 120 16 1000 15 0.5 -7'],
    ['string escapes \\x, octal, \\u', '{{"\\x41\\101\\u0042"}}', 'AAB'],
    ['parenthesized pipelines', '{{(1)}} {{(printf "%d" 2)}} {{(split "a.b" ".") | len}}', '1 2 2'],
    ['a pipeline passes its value as the last argument', '{{"a" | printf "%s%s" "b" | printf "[%s]"}}', '[ba]'],
    ['the last argument after the others', '{{3 | printf "%d %d" 4}}', '4 3'],
    ['pipeline into a Podman function', '{{index (split "a,b" ",") 1 | upper}}', 'B'],
  ])('%s', (_name, t, want) => {
    expect(run(t)).toBe(want);
  });

  it.each([
    ['{{undefinedfn}}', 'template: version:1: function "undefinedfn" not defined'],
    ['{{$u}}', 'template: version:1: undefined variable "$u"'],
    ['{{break}}', 'template: version:1: {{break}} outside {{range}}'],
    ['{{range .}}{{end', 'template: version:1: unclosed action'],
    ['{{end}}', 'template: version:1: unexpected {{end}}'],
    ['{{else}}', 'template: version:1: unexpected {{else}}'],
    ['{{if true}}', 'template: version:1: unexpected EOF'],
    ['{{1 | 2}}', 'template: version:1: non executable command in pipeline stage 2'],
    ['{{if}}', 'template: version:1: missing value for if'],
  ])('refuses %s at parse time', (t, message) => {
    // Parse errors come before any data is seen.
    expect(() => compileTemplate(t, 'version')).toThrow(message);
  });
});

describe('go-template: evaluation errors', () => {
  it.each([
    ['{{eq 1 "a"}}', 'template: version:1:2: executing "version" at <eq 1 "a">: error calling eq: incompatible types for comparison'],
    ['{{eq (split "a" ",") "a"}}', 'template: version:1:2: executing "version" at <eq (split "a" ",") "a">: error calling eq: incompatible types for comparison'],
    ['{{lt true false}}', 'template: version:1:2: executing "version" at <lt true false>: error calling lt: invalid type for comparison'],
    ['{{lt nil 1}}', 'template: version:1:2: executing "version" at <lt nil 1>: error calling lt: invalid type for comparison'],
    ['{{index (split "a,b" ",") 5}}', 'template: version:1:2: executing "version" at <index (split "a,b" ",") 5>: error calling index: index out of range: 5'],
    ['{{index (split "a,b" ",") "x"}}', 'error calling index: cannot index slice/array with type string'],
    ['{{slice "abc" 2 1}}', 'error calling slice: invalid slice index: 2 > 1'],
    ['{{printf}}', 'template: version:1:2: executing "version" at <printf>: wrong number of args for printf: want at least 1 got 0'],
    ['{{len}}', 'wrong number of args for len: want 1 got 0'],
    ['{{upper 3}}', 'template: version:1:8: executing "version" at <3>: expected string; found 3'],
    ['{{len 3}}', 'error calling len: len of type int'],
    ['{{range 2.5}}{{end}}', 'template: version:1:8: executing "version" at <2.5>: range can\'t iterate over 2.5'],
    ['{{nil}}', 'template: version:1:2: executing "version" at <nil>: nil is not a command'],
    ['{{.Version "x"}}', 'template: version:1:2: executing "version" at <.Version>: Version has arguments but cannot be invoked as function'],
    ['{{.Client.Nope}}', 'template: version:1:9: executing "version" at <.Client.Nope>: can\'t evaluate field Client in type'],
    ['{{.Version.X}}', 'template: version:1:10: executing "version" at <.Version.X>: can\'t evaluate field X in type string'],
  ])('%s fails as Go does', (t, message) => {
    expect(fails(t, { Version: '4.3.1', APIVersion: '4.3.1' })).toContain(message);
  });
});

describe('go-template: printing and fmt', () => {
  it.each([
    ['%q and %#q and widths', '{{printf "%q" "tab\\there"}} {{printf "%#q" "raw"}} {{printf "%5s|%-5s|%.2s" "ab" "ab" "abcdef"}}', '"tab\\there" `raw`    ab|ab   |ab'],
    ['fmt complaints', '{{printf "%v %v %v" true nil 3}} {{printf "%d" true}} {{printf "%s" 5}} {{printf "%d %d" 1}} {{printf "%d" 1 2}}', 'true <nil> 3 %!d(bool=true) %!s(int=5) 1 %!d(MISSING) 1%!(EXTRA int=2)'],
    ['%x %X %08.3f %+.1e %6.2f%%', '{{printf "%x %X %08.3f %+.1e %6.2f%%" "hello" 3054 3.14159 12345.678 99.5}}', '68656c6c6f BEE 0003.142 +1.2e+04  99.50%'],
    ['%t %v %T', '{{printf "%t %v %T %T" false 1.5 "s" 1}}', 'false 1.5 string int'],
    ['many verbs', '{{printf "%5.1f|%-4d|%04d|%+d|%x|%X|%o|%e|%g|%q|%c|%U" 3.14159 7 7 7 "hi" 255 8 1234.5678 0.000012345 65 65 65}}', '  3.1|7   |0007|+7|6869|FF|10|1.234568e+03|1.2345e-05|\'A\'|A|U+0041'],
    ['%v and %g of floats: exponent from 1e+06', '{{printf "%v|%g|%v|%.3g|%g|%G" 1234567.5 100000.5 0.0001 1234.5678 1e-7 2.5e10}}', '1.2345675e+06|100000.5|0.0001|1.23e+03|1e-07|2.5E+10'],
    ['slices through %s %v %q', '{{printf "%v" (split "a b" " ")}} {{printf "%q" (split "a b" " ")}} {{printf "%s" nil}}', '[a b] ["a" "b"] %!s(<nil>)'],
    ['print adds spaces between non-strings, println always', '{{print "a" "b" 1 2 true}}|{{println "a" 1}}|', 'ab1 2 true|a 1\n|'],
    ['print nil', '{{print nil}}', '<nil>'],
    ['padding both ways', '{{printf "%-10s|" "left"}}{{printf "%10s|" "right"}}', 'left      |     right|'],
  ])('%s', (_name, t, want) => {
    expect(run(t)).toBe(want);
  });

  it('prints maps with sorted keys, slices in brackets, structs in braces, a missing key as <no value>', () => {
    const data = { Labels: { zeta: 'z', alpha: 'a' }, Cmd: ['sh', '-c', 'true'], State: { Status: 'running', Pid: 42 } };
    expect(run('{{.Labels}} {{.Cmd}} {{.State}} {{.Labels.nokey}} {{index .Labels "nokey"}}|', data)).toBe('map[alpha:a zeta:z] [sh -c true] {running 42} <no value> |');
  });

  it('formatOutput adds one newline unless the format ends with \\n, and turns \\t and \\n escapes into tabs and newlines', () => {
    expect(formatOutput({ A: 1 }, '{{.A}}\\t{{.A}}')).toBe('1\t1\n');
    expect(formatOutput({ A: 1 }, '{{.A}}\\n')).toBe('1\n');
    expect(formatOutput({ A: 1 }, '{{.A}}\\n\\n')).toBe('1\n\n');
  });
});
