// What clipanion asks of its platform module, answered for tspod without loading node:tty (the
// build puts this in place of clipanion's platform/node.js; 4-5 ms of each start whose output is
// not a terminal). tspod turns colours off (src/main.ts), so the depth is never read for them; and
// it runs every command with the process's own streams, for which clipanion captures nothing.
export function getDefaultColorDepth(): number {
  return 1;
}

export function getCaptureActivator(): null {
  return null;
}
