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
    // ---- end compose-cli ----
  ];
}
