// systemd's readiness protocol (sd_notify(3)): newline-separated KEY=VALUE assignments in one
// datagram to the Unix socket named by $NOTIFY_SOCKET. tspod sends it from `run`/`start` once the
// container runs, for units of Type=notify (generate systemd --new, quadlet).
import { sendDatagram } from '../../src/ffi';
import { InvalidArgumentError } from '../../src/errors';

/** --sdnotify: conmon (tspod reports READY=1 with the monitor as MAINPID), container (the container reports READY itself), ignore. */
export type SdNotifyMode = 'conmon' | 'container' | 'ignore';

export function parseSdNotifyMode(value: string | undefined): SdNotifyMode {
  const v = value ?? 'container';
  if (v !== 'conmon' && v !== 'container' && v !== 'ignore') throw new InvalidArgumentError(`invalid --sdnotify "${v}": use conmon, container or ignore`);
  return v;
}

/** The assignments to send once the container is running, or null when nothing is to be sent. */
export function readyMessage(mode: SdNotifyMode, monitorPid: number): string | null {
  if (mode === 'ignore') return null;
  // With "container" the runtime already passed on the container's own READY=1 (runc start waits
  // for it); the monitor, not the container's pid 1, is what systemd should watch.
  return mode === 'conmon' ? `MAINPID=${monitorPid}\nREADY=1\n` : `MAINPID=${monitorPid}\n`;
}

/** Sends the message to $NOTIFY_SOCKET, if systemd gave us one. */
export function notifySystemd(message: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const socket = env.NOTIFY_SOCKET;
  if (!socket) return false;
  sendDatagram(socket, message);
  return true;
}
