// The `compose` verbs, registered by commands/index.ts.
import type { CommandClass } from 'clipanion';
// ---- project lifecycle (compose-up) ----
import ComposeUpCommand from './up';
import ComposeDownCommand from './down';
import ComposeCreateCommand from './create';
import ComposeStartCommand from './start';
import ComposeStopCommand from './stop';
import ComposeRestartCommand from './restart';
import ComposeRmCommand from './rm';
import ComposeKillCommand from './kill';
import ComposePauseCommand from './pause';
import ComposeUnpauseCommand from './unpause';
import ComposeRunCommand from './run';
import ComposeLogsCommand from './logs';
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
    ComposeUpCommand,
    ComposeDownCommand,
    ComposeCreateCommand,
    ComposeStartCommand,
    ComposeStopCommand,
    ComposeRestartCommand,
    ComposeRmCommand,
    ComposeKillCommand,
    ComposePauseCommand,
    ComposeUnpauseCommand,
    ComposeRunCommand,
    ComposeLogsCommand,
    // ---- end compose-up ----
    // ---- verbs (compose-cli) ----
    ComposePsCommand, ComposeLsCommand, ComposeExecCommand, ComposeTopCommand, ComposePortCommand, ComposeCpCommand, ComposeWaitCommand, ComposeEventsCommand, ComposeImagesCommand, ComposePullCommand, ComposePushCommand, ComposeBuildCommand, ComposeConfigCommand, ComposeVersionCommand,
    // ---- end compose-cli ----
  ];
}
