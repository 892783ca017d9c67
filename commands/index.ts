// Every command class, registered once by src/main.ts. Aliases are extra paths on one class.
import type { CommandClass } from 'clipanion';
import HelpCommand from './help';
import InfoCommand from './info';
import VersionCommand from './version';
import SystemCheckCommand from './system/check';

export function allCommands(): CommandClass[] {
  return [HelpCommand, InfoCommand, VersionCommand, SystemCheckCommand] as unknown as CommandClass[];
}
