// The project a compose verb that reads containers works on (ps, exec, top, port, cp, wait,
// events, images): as Docker Compose's projectOrName, the loaded project when its files are found,
// else, with -p and no -f, just that name (the containers' labels are enough).
import type { Engine } from '../../libpod/engine';
import type { ComposeCommand } from './compose-command';
import { InvalidArgumentError } from '../../src/errors';

export type ComposeTarget = Parameters<Engine['compose']['ps']>[0];

export function composeTarget(cmd: ComposeCommand): ComposeTarget {
  if (cmd.projectName !== undefined && cmd.files.length === 0) {
    try {
      const project = cmd.project;
      return { name: project.name, project };
    } catch {
      return { name: cmd.projectName.toLowerCase() };
    }
  }
  const project = cmd.project;
  return { name: project.name, project };
}

/** --index: a container number, 1 or more. */
export function parseIndex(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`invalid --index "${value}": give a container number, 1 or more`);
  return Number(value);
}
