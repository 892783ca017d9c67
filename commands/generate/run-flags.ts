// The `run` flags that take a value, read from the run command's own option definitions, so that
// the unit writers can tell a flag's value from the image in a stored command line.
import { Cli } from 'clipanion';
import ContainerRunCommand from '../container/run';

export function runValueFlags(): Set<string> {
  const out = new Set<string>();
  for (const def of Cli.from([ContainerRunCommand]).definitions()) {
    for (const o of def.options) {
      const [names, arity] = o.definition.split(' ');
      if (arity) for (const n of names.split(',')) out.add(n);
    }
  }
  return out;
}
