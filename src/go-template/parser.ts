// Go text/template's parser: tokens → a tree of lists, actions and control structures.
// Recursive descent as Go's documentation describes the grammar; it checks at parse time what Go
// checks then: functions exist, variables are declared, {{break}} is inside {{range}}, every
// block has its {{end}}.
import { TemplateError } from '../errors';
import { lex, lineOf, type LexOptions, type Token } from './lexer';

/** An operand; pos and src are where errors point (Go's "at <src>"). */
export type Arg = { pos: number; src: string } & (
  | { t: 'field'; names: string[] }
  | { t: 'var'; name: string; names: string[] }
  | { t: 'chain'; base: Arg; names: string[] }
  | { t: 'ident'; name: string }
  | { t: 'pipe'; pipe: Pipe }
  | { t: 'dot' | 'nil' }
  | { t: 'const'; value: unknown }
);

export interface Command {
  args: Arg[];
  pos: number;
  src: string;
}

export interface Pipe {
  decl: string[];
  assign: boolean;
  cmds: Command[];
  pos: number;
}

export type Node =
  | { t: 'text'; text: string }
  /** fields: set when the action is only a field chain ({{.A.B}}), the evaluator's fast path. */
  | { t: 'action'; pipe: Pipe; fields?: string[] }
  | { t: 'if' | 'with'; pipe: Pipe; list: Node[]; elseList: Node[] | null }
  | { t: 'range'; pipe: Pipe; list: Node[]; elseList: Node[] | null }
  | { t: 'template'; name: string; pipe: Pipe | null; pos: number }
  | { t: 'break' | 'continue' };

export interface Tree {
  name: string;
  text: string;
  root: Node[];
  /** {{define}} and {{block}} templates, by name. */
  defines: Map<string, Node[]>;
}

export function parse(name: string, text: string, hasFunc: (n: string) => boolean, options: LexOptions = {}): Tree {
  return new Parser(name, text, lex(name, text, options), hasFunc).parseTop();
}

class Parser {
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  readonly defines = new Map<string, Node[]>();

  constructor(
    private readonly name: string,
    private readonly text: string,
    private readonly toks: Token[],
    private readonly hasFunc: (n: string) => boolean,
  ) {}

  parseTop(): Tree {
    const root: Node[] = [];
    for (;;) {
      const tok = this.peek();
      if (tok.kind === 'eof') break;
      if (tok.kind === 'left' && this.toks[this.i + 1].kind === 'keyword' && this.toks[this.i + 1].val === 'define') {
        this.i += 2;
        this.parseDefine();
        continue;
      }
      const n = this.textOrAction();
      if (n === 'end' || n === 'else') this.fail(tok, `unexpected {{${n}}}`);
      if (n) root.push(n);
    }
    return { name: this.name, text: this.text, root, defines: this.defines };
  }

  private fail(tok: Token, msg: string): never {
    throw new TemplateError(`template: ${this.name}:${lineOf(this.text, tok.pos)}: ${msg}`);
  }
  private peek(): Token {
    return this.toks[this.i];
  }
  private next(): Token {
    return this.toks[this.i++];
  }
  private expect(kind: Token['kind'], context: string): Token {
    const tok = this.next();
    if (tok.kind !== kind) this.unexpected(tok, context);
    return tok;
  }
  private unexpected(tok: Token, context: string): never {
    if (tok.kind === 'eof') this.fail(tok, 'unexpected EOF');
    if (tok.kind === 'right') this.fail(tok, `unexpected "}}" in ${context}`);
    const shown = tok.kind === 'string' ? JSON.stringify(tok.val) : tok.kind === 'keyword' ? `<${tok.val}>` : `"${tok.val}"`;
    this.fail(tok, `unexpected ${shown} in ${context}`);
  }

  /** One text or action; 'end'/'else' when the action is {{end}} or {{else}} (their "}}" is left for the caller when else). */
  private textOrAction(): Node | 'end' | 'else' | null {
    const tok = this.next();
    if (tok.kind === 'text') return { t: 'text', text: tok.val };
    if (tok.kind !== 'left') this.unexpected(tok, 'input');
    const kw = this.peek();
    if (kw.kind === 'keyword') {
      this.i++;
      switch (kw.val) {
        case 'end':
          this.expect('right', 'end');
          return 'end';
        case 'else':
          return 'else';
        case 'if':
        case 'with':
        case 'range':
          return this.parseControl(kw.val);
        case 'break':
        case 'continue':
          if (this.rangeDepth === 0) this.fail(kw, `{{${kw.val}}} outside {{range}}`);
          this.expect('right', `{{${kw.val}}}`);
          return { t: kw.val };
        case 'template':
          return this.parseTemplate(kw);
        case 'block':
          return this.parseBlock(kw);
        default:
          this.unexpected(kw, 'command');
      }
    }
    const pipe = this.pipeline('command', 'right');
    const only = pipe.cmds.length === 1 && pipe.decl.length === 0 && pipe.cmds[0].args.length === 1 ? pipe.cmds[0].args[0] : null;
    return { t: 'action', pipe, fields: only?.t === 'field' ? only.names : undefined };
  }

  private itemList(): { list: Node[]; ended: 'end' | 'else' } {
    const list: Node[] = [];
    for (;;) {
      if (this.peek().kind === 'eof') this.fail(this.peek(), 'unexpected EOF');
      const n = this.textOrAction();
      if (n === 'end' || n === 'else') return { list, ended: n };
      if (n) list.push(n);
    }
  }

  private parseControl(context: 'if' | 'with' | 'range'): Node {
    const mark = this.vars.length;
    const pipe = this.pipeline(context, 'right');
    if (context === 'range') this.rangeDepth++;
    const body = this.itemList();
    if (context === 'range') this.rangeDepth--;
    let elseList: Node[] | null = null;
    if (body.ended === 'else') {
      const nxt = this.peek();
      // {{else if ...}} and {{else with ...}}: a nested block that shares the one {{end}}.
      if ((context === 'if' && nxt.kind === 'keyword' && nxt.val === 'if') || (context === 'with' && nxt.kind === 'keyword' && nxt.val === 'with')) {
        this.i++;
        elseList = [this.parseControl(context)];
      } else {
        this.expect('right', 'else');
        const rest = this.itemList();
        if (rest.ended === 'else') this.fail(this.toks[this.i - 1], 'expected end; found {{else}}');
        elseList = rest.list;
      }
    }
    this.vars.length = mark;
    return { t: context, pipe, list: body.list, elseList };
  }

  private templateName(context: string): string {
    const tok = this.next();
    if (tok.kind !== 'string') this.unexpected(tok, context);
    return tok.val;
  }

  private parseTemplate(kw: Token): Node {
    const name = this.templateName('template clause');
    let pipe: Pipe | null = null;
    if (this.peek().kind !== 'right') pipe = this.pipeline('template clause', 'right');
    else this.i++;
    return { t: 'template', name, pipe, pos: kw.pos };
  }

  private parseBlock(kw: Token): Node {
    const name = this.templateName('block clause');
    const pipe = this.pipeline('block clause', 'right');
    const saved = this.vars;
    this.vars = ['$'];
    const body = this.itemList();
    if (body.ended === 'else') this.fail(kw, 'unexpected {{else}} in block');
    this.vars = saved;
    this.defines.set(name, body.list);
    return { t: 'template', name, pipe, pos: kw.pos };
  }

  private parseDefine(): void {
    const kw = this.toks[this.i - 1];
    const name = this.templateName('define clause');
    this.expect('right', 'define clause');
    const saved = this.vars;
    this.vars = ['$'];
    const body = this.itemList();
    if (body.ended === 'else') this.fail(kw, 'unexpected {{else}} in define');
    this.vars = saved;
    this.defines.set(name, body.list);
  }

  private pipeline(context: string, end: 'right' | 'rparen'): Pipe {
    const start = this.peek();
    const pipe: Pipe = { decl: [], assign: false, cmds: [], pos: start.pos };
    this.declarations(pipe, context);
    for (;;) {
      const tok = this.peek();
      if (tok.kind === end) {
        this.i++;
        this.checkPipeline(pipe, context, tok);
        return pipe;
      }
      if (['bool', 'char', 'dot', 'field', 'ident', 'number', 'nil', 'string', 'variable', 'lparen'].includes(tok.kind)) pipe.cmds.push(this.command(end));
      else this.unexpected(tok, context);
    }
  }

  private declarations(pipe: Pipe, context: string): void {
    const v = this.peek();
    if (v.kind !== 'variable') return;
    const after = this.toks[this.i + 1];
    if (after.kind === 'declare' || after.kind === 'assign') {
      this.i += 2;
      pipe.assign = after.kind === 'assign';
      if (pipe.assign && !this.vars.includes(v.val)) this.fail(v, `undefined variable "${v.val}"`);
      pipe.decl.push(v.val);
      if (!pipe.assign) this.vars.push(v.val);
    } else if (after.kind === 'comma') {
      if (context !== 'range') this.fail(after, `too many declarations in ${context}`);
      const second = this.toks[this.i + 2];
      const op = this.toks[this.i + 3];
      if (second.kind !== 'variable' || (op.kind !== 'declare' && op.kind !== 'assign')) this.fail(after, 'range can only initialize variables');
      this.i += 4;
      pipe.assign = op.kind === 'assign';
      pipe.decl.push(v.val, second.val);
      if (!pipe.assign) this.vars.push(v.val, second.val);
    }
  }

  private checkPipeline(pipe: Pipe, context: string, at: Token): void {
    if (pipe.cmds.length === 0) this.fail(at, `missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, k) => {
      const t = c.args[0].t;
      if (t === 'const' || t === 'dot' || t === 'nil') this.fail(at, `non executable command in pipeline stage ${k + 2}`);
    });
  }

  private command(end: 'right' | 'rparen'): Command {
    const first = this.peek();
    const cmd: Command = { args: [], pos: first.pos, src: '' };
    for (;;) {
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const tok = this.peek();
      if (tok.kind === 'right' || tok.kind === 'rparen') {
        if (tok.kind !== end) this.unexpected(tok, 'operand');
        break;
      }
      if (tok.kind === 'pipe') {
        this.i++;
        break;
      }
      if (!tok.space || !operand) this.unexpected(tok, 'operand');
    }
    if (cmd.args.length === 0) this.fail(first, 'empty command');
    cmd.src = cmd.args.map((a) => a.src).join(' ');
    return cmd;
  }

  private operand(): Arg | null {
    const node = this.term();
    if (!node) return null;
    const names: string[] = [];
    // Go places a chain (.A.B, $x.A, (p).A) at its second part.
    const pos = this.peek().pos;
    while (this.peek().kind === 'field' && !this.peek().space) names.push(this.next().val);
    if (names.length === 0) return node;
    const src = `${node.src}.${names.join('.')}`;
    if (node.t === 'field' || node.t === 'var') return { ...node, names: [...node.names, ...names], src, pos };
    if (node.t === 'const' || node.t === 'nil' || node.t === 'dot') this.fail(this.peek(), `unexpected . after term "${node.src}"`);
    return { t: 'chain', base: node, names, src, pos };
  }

  private term(): Arg | null {
    const tok = this.peek();
    const pos = tok.pos;
    switch (tok.kind) {
      case 'ident':
        this.i++;
        if (!this.hasFunc(tok.val)) this.fail(tok, `function "${tok.val}" not defined`);
        return { pos, t: 'ident', name: tok.val, src: tok.val };
      case 'dot':
        this.i++;
        return { pos, t: 'dot', src: '.' };
      case 'nil':
        this.i++;
        return { pos, t: 'nil', src: 'nil' };
      case 'variable': {
        this.i++;
        const [name, ...names] = tok.val.split('.');
        if (!this.vars.includes(name)) this.fail(tok, `undefined variable "${name}"`);
        return { pos, t: 'var', name, names, src: tok.val };
      }
      case 'field':
        this.i++;
        return { pos, t: 'field', names: [tok.val], src: `.${tok.val}` };
      case 'bool':
        this.i++;
        return { pos, t: 'const', value: tok.val === 'true', src: tok.val };
      case 'char':
        this.i++;
        return { pos, t: 'const', value: tok.val.codePointAt(0)!, src: `'${tok.val}'` };
      case 'number':
        this.i++;
        return { pos, t: 'const', value: this.number(tok), src: tok.val };
      case 'string':
        this.i++;
        return { pos, t: 'const', value: tok.val, src: JSON.stringify(tok.val) };
      case 'lparen': {
        this.i++;
        const pipe = this.pipeline('parenthesized pipeline', 'rparen');
        return { pos, t: 'pipe', pipe, src: `(${pipe.cmds.map((c) => c.src).join(' | ')})` };
      }
      default:
        return null;
    }
  }

  private number(tok: Token): number {
    const text = tok.val.replace(/_/g, '');
    const sign = text.startsWith('-') ? -1 : 1;
    const body = text.replace(/^[+-]/, '');
    let n: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(body)) n = parseInt(body.slice(2), 16);
    else if (/^0[oO]?[0-7]+$/.test(body)) n = parseInt(body.replace(/^0[oO]?/, ''), 8);
    else if (/^0[bB][01]+$/.test(body)) n = parseInt(body.slice(2), 2);
    else if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) n = Number(body);
    else this.fail(tok, `bad number syntax: "${tok.val}"`);
    return sign * n;
  }
}
