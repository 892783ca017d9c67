// Go text/template's evaluator: walks the parsed tree over the data, with dot and a stack of
// variables ($ is the data), pipelines passing each command's result as the next one's last
// argument, Go's truth for if/with, range over arrays, maps (sorted keys) and integers, and
// Go's execution errors ("template: NAME:LINE:COL: executing "NAME" at <.X>: ...").
import { TemplateError } from '../errors';
import { checkArg, FUNCS, type GoFunc } from './funcs';
import type { Arg, Command, Node, Pipe, Tree } from './parser';
import { fieldValue, findKey, goCompare, isMap, isObject, printValue, truth, typeName, type Obj } from './values';

const MISSING = Symbol('missing');
const BREAK = 1;
const CONTINUE = 2;

export function execute(tree: Tree, data: unknown, funcs: Record<string, GoFunc> = FUNCS): string {
  return new State(tree, funcs, data).run();
}

class State {
  private out = '';
  private vars: Array<[string, unknown]>;
  private at: { pos: number; src: string } = { pos: 0, src: '' };
  private depth = 0;

  constructor(
    private readonly tree: Tree,
    private readonly funcs: Record<string, GoFunc>,
    data: unknown,
  ) {
    this.vars = [['$', data]];
  }

  run(): string {
    this.walkList(this.vars[0][1], this.tree.root);
    return this.out;
  }

  private fail(msg: string): never {
    const { text, name } = this.tree;
    const before = text.slice(0, this.at.pos);
    const line = before.split('\n').length;
    const col = this.at.pos - (before.lastIndexOf('\n') + 1);
    throw new TemplateError(`template: ${name}:${line}:${col}: executing "${name}" at <${this.at.src}>: ${msg}`);
  }

  private walkList(dot: unknown, list: Node[]): number {
    for (const n of list) {
      const r = this.walk(dot, n);
      if (r) return r;
    }
    return 0;
  }

  private walk(dot: unknown, node: Node): number {
    switch (node.t) {
      case 'text':
        this.out += node.text;
        return 0;
      case 'action': {
        if (node.fields) {
          // {{.A.B}} over plain own properties (most --format actions): no pipeline machinery;
          // anything else (a miss, a method, an object to print) takes the general path.
          const names = node.fields;
          let v: unknown = dot;
          for (let i = 0; i < names.length && isObject(v) && Object.prototype.hasOwnProperty.call(v, names[i]); i++) {
            v = v[names[i]];
            if (i < names.length - 1) continue;
            if (typeof v === 'function' || isObject(v)) break;
            this.out += typeof v === 'string' ? v : printValue(v);
            return 0;
          }
        }
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.print(v);
        return 0;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, node.pipe);
        let r = 0;
        if (truth(v)) r = this.walkList(node.t === 'with' ? v : dot, node.list);
        else if (node.elseList) r = this.walkList(dot, node.elseList);
        this.vars.length = mark;
        return r;
      }
      case 'range':
        return this.walkRange(dot, node);
      case 'break':
        return BREAK;
      case 'continue':
        return CONTINUE;
      case 'template':
        return this.walkTemplate(dot, node);
    }
  }

  private print(v: unknown): void {
    if (typeof v === 'function') this.fail(`can't print ${this.at.src} of type func`);
    this.out += printValue(v);
  }

  private walkRange(dot: unknown, node: Extract<Node, { t: 'range' }>): number {
    const mark = this.vars.length;
    const pipe = node.pipe;
    const v = this.evalPipeline(dot, { ...pipe, decl: [] });
    const one = (key: unknown, elem: unknown): number => {
      this.vars.length = mark;
      if (pipe.decl.length === 1) this.setOrPush(pipe, pipe.decl[0], elem);
      if (pipe.decl.length === 2) {
        this.setOrPush(pipe, pipe.decl[0], key);
        this.setOrPush(pipe, pipe.decl[1], elem);
      }
      return this.walkList(elem, node.list);
    };
    let n = 0;
    const loop = (entries: Iterable<[unknown, unknown]>) => {
      for (const [k, e] of entries) {
        n++;
        if (one(k, e) === BREAK) break;
      }
    };
    if (Array.isArray(v)) loop(v.entries());
    else if (isObject(v)) loop(Object.keys(v).sort(goCompare).map((k) => [k, fieldValue(v, k)] as [unknown, unknown]));
    else if (typeof v === 'number' && Number.isInteger(v)) {
      if (pipe.decl.length > 1) this.fail(`can't use ${v} to iterate over more than one variable`);
      loop((function* () {
        for (let i = 0; i < v; i++) yield [i, i] as [unknown, unknown];
      })());
    } else if (v !== undefined && v !== null) this.fail(`range can't iterate over ${printValue(v)}`);
    this.vars.length = mark;
    if (n === 0 && node.elseList) return this.walkList(dot, node.elseList);
    return 0;
  }

  private setOrPush(pipe: Pipe, name: string, v: unknown): void {
    if (pipe.assign) this.setVar(name, v);
    else this.vars.push([name, v]);
  }

  private setVar(name: string, v: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i][0] === name) {
        this.vars[i][1] = v;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  private walkTemplate(dot: unknown, node: Extract<Node, { t: 'template' }>): number {
    const list = this.tree.defines.get(node.name);
    this.at = { pos: node.pos, src: `template "${node.name}"` };
    if (!list) this.fail(`no such template "${node.name}"`);
    if (++this.depth > 100000) this.fail('exceeded maximum template depth (100000)');
    const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
    const saved = this.vars;
    this.vars = [['$', newDot]];
    this.walkList(newDot, list);
    this.vars = saved;
    this.depth--;
    return 0;
  }

  private evalPipeline(dot: unknown, pipe: Pipe): unknown {
    let v: unknown = MISSING;
    for (const cmd of pipe.cmds) v = this.evalCommand(dot, cmd, v);
    for (const name of pipe.decl) this.setOrPush(pipe, name, v);
    return v;
  }

  private evalCommand(dot: unknown, cmd: Command, final: unknown): unknown {
    const first = cmd.args[0];
    this.at = { pos: cmd.pos, src: cmd.src };
    switch (first.t) {
      case 'field':
        return this.evalFields(dot, dot, first.names, first, cmd.args, final);
      case 'chain':
        return this.evalFields(dot, this.evalArg(dot, first.base), first.names, first, cmd.args, final);
      case 'var': {
        const v = this.lookupVar(first.name);
        if (first.names.length === 0) {
          this.notAFunction(cmd, final);
          return v;
        }
        return this.evalFields(dot, v, first.names, first, cmd.args, final);
      }
      case 'ident':
        return this.evalFunction(dot, first.name, cmd, final);
      case 'pipe':
        this.notAFunction(cmd, final);
        return this.evalPipeline(dot, first.pipe);
      case 'nil':
        this.fail('nil is not a command');
        break;
      case 'dot':
        this.notAFunction(cmd, final);
        return dot;
      case 'const':
        this.notAFunction(cmd, final);
        return first.value;
    }
    return undefined;
  }

  private notAFunction(cmd: Command, final: unknown): void {
    if (cmd.args.length > 1 || final !== MISSING) this.fail(`can't give argument to non-function ${cmd.args[0].src}`);
  }

  private lookupVar(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i][0] === name) return this.vars[i][1];
    return this.fail(`undefined variable: ${name}`);
  }

  /** .A.B.C on receiver; the last one gets the command's other arguments (a method call). */
  private evalFields(dot: unknown, receiver: unknown, names: string[], node: Arg, args: Arg[], final: unknown): unknown {
    let v = receiver;
    for (let i = 0; i < names.length; i++) {
      const last = i === names.length - 1;
      v = this.evalField(dot, names[i], node, last ? args : [], last ? final : MISSING, v);
    }
    return v;
  }

  private evalField(dot: unknown, name: string, node: Arg, args: Arg[], final: unknown, receiver: unknown): unknown {
    const hasArgs = args.length > 1 || final !== MISSING;
    if (receiver === undefined || receiver === null) return undefined;
    if (isObject(receiver)) {
      const key = findKey(receiver, name);
      const value = key === undefined ? undefined : fieldValue(receiver, key);
      if (typeof value === 'function') return this.callMethod(dot, name, value as (...a: unknown[]) => unknown, args, final, receiver);
      const map = isMap(receiver);
      if (key !== undefined || map) {
        this.at = node;
        if (hasArgs) this.fail(map ? `${name} is not a method but has arguments` : `${name} has arguments but cannot be invoked as function`);
        return value;
      }
    }
    this.at = node;
    return this.fail(`can't evaluate field ${name} in type ${typeName(receiver)}`);
  }

  private callMethod(dot: unknown, name: string, method: (...a: unknown[]) => unknown, args: Arg[], final: unknown, receiver: Obj): unknown {
    const values = args.slice(1).map((a) => this.evalArg(dot, a));
    if (final !== MISSING) values.push(final);
    if (values.length !== method.length) this.fail(`wrong number of args for ${name}: want ${method.length} got ${values.length}`);
    try {
      return method.apply(receiver, values);
    } catch (e) {
      return this.fail(`error calling ${name}: ${(e as Error).message}`);
    }
  }

  private evalFunction(dot: unknown, name: string, cmd: Command, final: unknown): unknown {
    const f = this.funcs[name];
    if (!f) this.fail(`"${name}" is not a defined function`);
    const argNodes = cmd.args.slice(1);
    const n = argNodes.length + (final === MISSING ? 0 : 1);
    if (f.variadic ? n < f.params.length : n !== f.params.length) {
      this.fail(`wrong number of args for ${name}: want ${f.variadic ? 'at least ' : ''}${f.params.length} got ${n}`);
    }
    const param = (i: number) => f.params[i] ?? f.variadic ?? 'any';
    const evalOne = (i: number) => {
      const node = argNodes[i];
      const v = node ? this.evalArg(dot, node) : final;
      const problem = checkArg(v, param(i));
      if (problem) {
        if (node) this.at = node;
        this.fail(node?.t === 'const' ? `expected ${problem.want}; found ${node.src}` : problem.message);
      }
      return v;
    };
    const values: unknown[] = [];
    for (let i = 0; i < n; i++) values.push(f.lazy ? () => evalOne(i) : evalOne(i));
    const at = { pos: cmd.pos, src: cmd.src };
    try {
      return f.call(values);
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      this.at = at;
      return this.fail(`error calling ${name}: ${(e as Error).message}`);
    }
  }

  private evalArg(dot: unknown, arg: Arg): unknown {
    switch (arg.t) {
      case 'const':
        return arg.value;
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'field':
        return this.evalFields(dot, dot, arg.names, arg, [arg], MISSING);
      case 'var': {
        const v = this.lookupVar(arg.name);
        return arg.names.length ? this.evalFields(dot, v, arg.names, arg, [arg], MISSING) : v;
      }
      case 'chain':
        return this.evalFields(dot, this.evalArg(dot, arg.base), arg.names, arg, [arg], MISSING);
      case 'pipe':
        return this.evalPipeline(dot, arg.pipe);
      case 'ident':
        return this.evalFunction(dot, arg.name, { args: [arg], pos: arg.pos, src: arg.src }, MISSING);
    }
  }
}
