// Build step: prints the command paths bin/tspod may run straight inside the user namespace, one
// per line ("run", "container run", ...): those whose class needs the namespace and does not pick
// a container's own namespace (exec, cp: they go the long way, through node outside).
import { allCommands } from '../commands/index';
import { TspodCommand } from '../commands/tspod-command';

const lines: string[] = [];
for (const cls of allCommands()) {
  if (!(cls.prototype instanceof TspodCommand)) continue;
  const c = cls as unknown as typeof TspodCommand;
  if (!c.needsUserNamespace || c.prototype.namespaceContainer !== TspodCommand.prototype.namespaceContainer) continue;
  for (const p of cls.paths ?? []) lines.push(p.join(' '));
}
process.stdout.write(`${lines.sort().join('\n')}\n`);
