// Build step: prints the command paths bin/tspod may run straight inside the user namespace, as
// two comma-separated lines ("run,container run,..."): first those whose class needs the namespace,
// then those that may need a container's own namespace instead of the holder's (exec, cp): bin/tspod
// takes these straight in only while no process of ours lives in another namespace.
import { allCommands } from '../commands/index';
import { TspodCommand } from '../commands/tspod-command';

const always: string[] = [];
const unlessOthers: string[] = [];
for (const cls of allCommands()) {
  if (!(cls.prototype instanceof TspodCommand)) continue;
  const c = cls as unknown as typeof TspodCommand;
  if (!c.needsUserNamespace) continue;
  const list = c.prototype.namespaceContainer === TspodCommand.prototype.namespaceContainer ? always : unlessOthers;
  for (const p of cls.paths ?? []) list.push(p.join(' '));
}
process.stdout.write(`${always.sort().join(',')}\n${unlessOthers.sort().join(',')}\n`);
