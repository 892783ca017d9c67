// How tspod starts node on one of its own scripts (itself again, its monitor, `container cleanup`).
// Node 20 scans its whole command line for --env-file, also the words after the script name, and
// runs a NODE_OPTIONS it finds in that file before any of our code: a user's
// `run --env-file app.env` would load code into tspod itself. "--" ends node's own options, and
// its scan stops there; every node we start gets it, and bin/tspod's #! line passes it too.

/** argv that runs `script args...` with this node; the user's words come only after "--". */
export function nodeCommand(script: string, args: string[] = [], execArgv: string[] = []): string[] {
  return [process.execPath, ...execArgv, '--', script, ...args];
}
