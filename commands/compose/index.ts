// The `compose` verbs, registered by commands/index.ts.
import type { CommandClass } from 'clipanion';
// ---- project lifecycle (compose-up) ----
// ---- end compose-up ----
// ---- verbs (compose-cli) ----
import ComposePsCommand from './ps';
import ComposeLsCommand from './ls';
import ComposeExecCommand from './exec';
import ComposeTopCommand from './top';
import ComposePortCommand from './port';
import ComposeCpCommand from './cp';
import ComposeWaitCommand from './wait';
import ComposeEventsCommand from './events';
import ComposeImagesCommand from './images';
import ComposePullCommand from './pull';
import ComposePushCommand from './push';
import ComposeBuildCommand from './build';
import ComposeConfigCommand from './config';
import ComposeVersionCommand from './version';
// ---- end compose-cli ----

export function composeCommands(): CommandClass[] {
  return [
    // ---- project lifecycle (compose-up) ----
    // ---- end compose-up ----
    // ---- verbs (compose-cli) ----
    ComposePsCommand, ComposeLsCommand, ComposeExecCommand, ComposeTopCommand, ComposePortCommand, ComposeCpCommand, ComposeWaitCommand, ComposeEventsCommand, ComposeImagesCommand, ComposePullCommand, ComposePushCommand, ComposeBuildCommand, ComposeConfigCommand, ComposeVersionCommand,
    // ---- end compose-cli ----
  ];
}
