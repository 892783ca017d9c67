// The `compose` verbs, registered by commands/index.ts.
import type { CommandClass } from 'clipanion';
// ---- project lifecycle (compose-up) ----
// ---- end compose-up ----
// ---- verbs (compose-cli) ----
// ---- end compose-cli ----

export function composeCommands(): CommandClass[] {
  return [
    // ---- project lifecycle (compose-up) ----
    // ---- end compose-up ----
    // ---- verbs (compose-cli) ----
    // ---- end compose-cli ----
  ];
}
