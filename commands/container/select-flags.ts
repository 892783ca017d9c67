// The flags that choose which containers a verb acts on, shared by stop, kill, rm, restart,
// start, wait, logs and exec (libpod/container/container-selection.ts applies them).
import { Option } from 'clipanion';

export const latestFlag = () => Option.Boolean('-l,--latest', false, { description: 'act on the container created last (instead of names)' });
export const cidfileFlag = () => Option.Array('--cidfile', [], { description: 'read the container ID from this file (repeatable)' });
export const filterFlag = () => Option.Array('-f,--filter', [], { description: "act on the containers that match ps's filters (status=, name=, label=, id=, ancestor=, exited=)" });
