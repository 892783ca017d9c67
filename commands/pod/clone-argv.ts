// pod clone makes each container of the pod again from the command line it was created with
// (create or run, kept as its CreateCommand): the words are parsed by the same flag classes, so
// that the copy gets exactly the options the original was given. The global flags before the
// verb are dropped (the clone is made in this store).
import { Cli, type CommandClass } from 'clipanion';
import { splitGlobalFlags } from '../../src/global-options';
import { dashValues, wordsOf } from '../../src/dash-values';
import ContainerCreateCommand from '../container/create';
import ContainerRunCommand from '../container/run';
import type { TspodContext } from '../tspod-command';
import type { CreateOptions } from '../../libpod/entities';

class CreateWords extends ContainerCreateCommand {
  options(): CreateOptions {
    return this.createOptions();
  }
}

class RunWords extends ContainerRunCommand {
  options(): CreateOptions {
    return this.createOptions();
  }
}

const CLASSES: CommandClass[] = [CreateWords, RunWords];

/**
 * The create options a stored `create` or `run` command line gives, or undefined when it is not
 * one (a container made by kube play, or by a build). Its own createCommand and createCwd are kept.
 */
export function createOptionsOf(argv: string[], cwd: string | undefined, context: TspodContext): CreateOptions | undefined {
  let rest: string[];
  try {
    rest = splitGlobalFlags(argv).rest;
  } catch {
    return undefined;
  }
  let named: { cls: CommandClass; length: number } | undefined;
  for (const cls of CLASSES) {
    for (const p of cls.paths ?? []) if (p.length > (named?.length ?? 0) && p.every((w, i) => rest[i] === w)) named = { cls, length: p.length };
  }
  if (!named) return undefined;
  const cli = new Cli<TspodContext>({ binaryName: 'tspod', enableColors: false });
  cli.register(named.cls as CommandClass<TspodContext>);
  const cmd = cli.process(dashValues(rest, wordsOf(named.cls, named.length)), context) as CreateWords | RunWords;
  return { ...cmd.options(), createCommand: argv, createCwd: cwd };
}
