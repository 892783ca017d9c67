// A Dockerfile cut into its stages: the ARGs before the first FROM, then each FROM with the
// instructions up to the next; which stage is the target, and which stages it needs.
import { InvalidArgumentError } from '../../src/errors';
import type { Dockerfile, Instruction } from './types';

export interface Stage {
  index: number;
  /** `FROM image AS name`, lower-cased as Docker compares stage names. */
  name?: string;
  /** The name as written, for the STEP line. */
  shownName?: string;
  from: Instruction;
  /** The FROM's image word, unexpanded. */
  image: string;
  instructions: Instruction[];
}

export interface StagePlan {
  globalArgs: Instruction[];
  stages: Stage[];
}

export function splitStages(df: Dockerfile): StagePlan {
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of df.instructions) {
    if (ins.keyword === 'FROM') {
      const words = ins.args.trim().split(/\s+/);
      const as = words.length === 3 && words[1].toLowerCase() === 'as' ? words[2].toLowerCase() : undefined;
      if (words.length !== 1 && !as) throw new InvalidArgumentError(`line ${ins.line}: FROM takes an image and optionally "AS name": ${ins.original}`);
      if (as && !/^[a-z][a-z0-9._-]*$/.test(as)) throw new InvalidArgumentError(`line ${ins.line}: invalid stage name "${words[2]}": stage names start with a letter and hold letters, digits, ".", "_" or "-"`);
      if (as && stages.some((s) => s.name === as)) throw new InvalidArgumentError(`line ${ins.line}: duplicate stage name "${words[2]}"`);
      stages.push({ index: stages.length, name: as, shownName: as ? words[2] : undefined, from: ins, image: words[0], instructions: [] });
    } else if (!stages.length) {
      if (ins.keyword !== 'ARG') throw new InvalidArgumentError(`line ${ins.line}: ${ins.keyword} before the first FROM: only ARG may come before FROM`);
      globalArgs.push(ins);
    } else {
      stages[stages.length - 1].instructions.push(ins);
    }
  }
  if (!stages.length) throw new InvalidArgumentError('no FROM instruction in the Containerfile: it must start with FROM (after any ARG)');
  return { globalArgs, stages };
}

/** The stage a name or index names (FROM x, COPY --from=x), or undefined for an image. */
export function stageNamed(stages: Stage[], ref: string, before: number): Stage | undefined {
  const lower = ref.toLowerCase();
  const byName = stages.find((s) => s.name === lower && s.index < before);
  if (byName) return byName;
  if (/^\d+$/.test(ref)) {
    const i = Number(ref);
    if (i >= before) throw new InvalidArgumentError(`stage ${ref} is not before the stage that uses it: refer to an earlier stage`);
    return stages[i];
  }
  return undefined;
}

/** --target: the stage named (an error naming the stages there are), else the last. */
export function targetStage(stages: Stage[], target: string | undefined): Stage {
  if (target === undefined) return stages[stages.length - 1];
  const s = stages.find((st) => st.name === target.toLowerCase());
  if (!s) throw new InvalidArgumentError(`the target "${target}" is not a stage of the Containerfile: its stages are ${stages.map((st) => st.name ?? String(st.index)).join(', ')}`);
  return s;
}

/**
 * The stages the target needs, in order: itself, and those its FROM, COPY --from and RUN
 * --mount from= name (words as written; a stage named through an ARG is found when the expanded
 * word is given by expandRef).
 */
export function neededStages(stages: Stage[], target: Stage, expandRef: (word: string) => string): Stage[] {
  const needed = new Set<number>();
  const visit = (s: Stage) => {
    if (needed.has(s.index)) return;
    needed.add(s.index);
    const refs = [s.image];
    for (const ins of s.instructions) {
      for (const f of ins.flags) if (f.name === 'from' && f.value) refs.push(f.value);
      for (const f of ins.flags) {
        if (f.name !== 'mount' || !f.value) continue;
        const from = /(?:^|,)from=([^,]+)/.exec(f.value);
        if (from) refs.push(from[1]);
      }
    }
    for (const r of refs) {
      let word = r;
      try {
        word = expandRef(r);
      } catch {
        /* an unset ARG: then it names no stage */
      }
      const dep = stageNamed(stages, word, s.index);
      if (dep) visit(dep);
    }
  };
  visit(target);
  return stages.filter((s) => needed.has(s.index));
}
