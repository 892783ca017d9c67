// The `run` flags that take a value, from the run command's own option definitions (the reading
// completion uses too), so that the unit writers can tell a flag's value from the image in a
// stored command line.
import { argumentSpec } from '../../src/completion/command-specs';
import ContainerRunCommand from '../container/run';

export function runValueFlags(): Set<string> {
  return new Set(argumentSpec(ContainerRunCommand).options.flatMap((o) => (o.arity > 0 ? o.names : [])));
}
