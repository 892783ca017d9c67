// clipanion builds the command line's state machine afresh on every run, and its last step
// resolves "shortcuts" by copying every reachable option transition into every node of the
// machine. For `run`, with its ninety-odd flags, that step alone took 19 ms of each start; for
// `tspod container run` (25 classes share the word) 65 ms. A parse visits a handful of nodes:
// here each node's shortcuts are resolved the first time the parse reaches it, by the same steps
// in the same order, so every node reads as clipanion's own would (test/unit/src/cli-machine.test.ts
// compares each node of each command with clipanion's result).
import type { BaseContext, Cli } from 'clipanion';
import { END_OF_INPUT } from 'clipanion/lib/constants';
import { makeAnyOfMachine, runMachineInternal, selectBestState } from 'clipanion/lib/core';

type Machine = ReturnType<typeof makeAnyOfMachine>;
type Node = Machine['nodes'][number];
type Builder = { compile(): { machine: Machine; context: unknown } };
/** What Cli keeps of its CliBuilder: the command builders, and compile() that process() calls. */
type CliInternals = { builder: { builders: Builder[]; compile(): unknown } };

/** Resolves node n's shortcuts as clipanion's simplifyMachine does (its shortcut targets first). */
function resolver(nodes: Node[]): (n: number) => void {
  const seen = new Set<number>();
  const resolve = (n: number): void => {
    if (seen.has(n)) return;
    seen.add(n);
    const node = nodes[n];
    for (const { to } of node.shortcuts) resolve(to);
    const added = new Set(node.shortcuts.map(({ to }) => to));
    // What the node has already, by segment and by test: the same checks clipanion makes with
    // some() over the arrays, without their cost (quadratic in run's ~200 options and their tests).
    const staticTo = new Map<string, Set<number>>();
    const dynamicTo = new Map<unknown, Set<number>>();
    const setOf = <K>(m: Map<K, Set<number>>, k: K) => m.get(k) ?? m.set(k, new Set()).get(k)!;
    for (const [segment, transitions] of Object.entries(node.statics)) for (const t of transitions) setOf(staticTo, segment).add(t.to);
    for (const [test, { to }] of node.dynamics) setOf(dynamicTo, test).add(to);
    while (node.shortcuts.length > 0) {
      const target = nodes[node.shortcuts.shift()!.to];
      for (const [segment, transitions] of Object.entries(target.statics)) {
        const store = Object.prototype.hasOwnProperty.call(node.statics, segment) ? node.statics[segment] : (node.statics[segment] = []);
        const have = setOf(staticTo, segment);
        for (const t of transitions) {
          if (have.has(t.to)) continue;
          have.add(t.to);
          store.push(t);
        }
      }
      for (const [test, transition] of target.dynamics) {
        const have = setOf(dynamicTo, test);
        if (have.has(transition.to)) continue;
        have.add(transition.to);
        node.dynamics.push([test, transition]);
      }
      for (const t of target.shortcuts) {
        if (added.has(t.to)) continue;
        node.shortcuts.push(t);
        added.add(t.to);
      }
    }
  };
  return resolve;
}

/** The machine of builders with its nodes resolved on first read; resolveAll does them all (tests). */
export function lazyMachine(builders: Builder[]): { machine: Machine; contexts: unknown[]; resolveAll(): void } {
  const compiled = builders.map((b) => b.compile());
  const machine = makeAnyOfMachine(compiled.map((c) => c.machine));
  const nodes = machine.nodes;
  const resolve = resolver(nodes);
  machine.nodes = new Proxy(nodes, {
    get(target, key, receiver) {
      if (typeof key === 'string') {
        const n = Number(key);
        if (Number.isInteger(n) && n >= 0 && n < target.length) resolve(n);
      }
      return Reflect.get(target, key, receiver);
    },
  });
  return { machine, contexts: compiled.map((c) => c.context), resolveAll: () => nodes.forEach((_, n) => resolve(n)) };
}

/** Makes cli parse with the lazily resolved machine (completion's suggest keeps clipanion's own). */
export function useLazyMachine<C extends BaseContext>(cli: Cli<C>): void {
  const builder = (cli as unknown as CliInternals).builder;
  const eager = builder.compile.bind(builder) as () => { suggest(input: string[], partial: boolean): unknown };
  builder.compile = () => {
    const { machine, contexts } = lazyMachine(builder.builders);
    return {
      machine,
      contexts,
      process: (input: string[]) => selectBestState(input, runMachineInternal(machine, [...input, END_OF_INPUT]).map(({ state }) => state)),
      suggest: (input: string[], partial: boolean) => eager().suggest(input, partial),
    };
  };
}
