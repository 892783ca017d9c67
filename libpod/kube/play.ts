// kube play: the file read and checked (play-input), the whole play decided and checked before
// anything is made (play-plan: translations, names, ports), then made (play-make, play-roll). A
// failure while making removes what this play made and says so; --wait removes it at the end.
import fs from 'node:fs';
import { TspodError } from '../../src/errors';
import { log } from '../../src/log';
import type { Runtime } from '../runtime';
import type { KubeOps } from './kube-ops';
import type { KubePlayOptions, KubePlayReport, PlayIo } from './play-types';
import { loadPlayInput } from './play-input';
import { planPlay, type PlayPlan } from './play-plan';
import { makePlay } from './play-make';
import { Made } from './play-made';

export type { PlayIo };

/** A play that failed while making: the cause's message and exit code, and what was removed again. */
export class PlayFailedError extends TspodError {
  override readonly exitCode: number;
  constructor(cause: Error, removed: string[], left: string[]) {
    const undone = removed.length ? `; removed what this play had made (${removed.join(', ')})` : '; nothing had been made';
    const kept = left.length ? `; could not remove ${left.join('; ')}: remove it with tspod kube down` : '';
    super(`${cause.message}${undone}${kept}`, { cause });
    this.exitCode = (cause as { exitCode?: number }).exitCode ?? 125;
  }
}

/** Warnings once each (a Deployment's three replicas translate the same template). */
function warnOnce(): (m: string) => void {
  const seen = new Set<string>();
  return (m) => {
    if (seen.has(m)) return;
    seen.add(m);
    log.warn(m);
  };
}

export async function playKube(rt: Runtime, ops: KubeOps, opts: KubePlayOptions, io: PlayIo): Promise<{ report: KubePlayReport; made: Made }> {
  // ctrl-c or SIGTERM while the play reads, plans or makes: the next step stops, and what was made
  // (the files a plan writes too) is removed.
  let signal: string | undefined;
  const onSignal = (s: string) => (signal ??= s);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const interrupted = () => {
    if (signal) throw new TspodError(`kube play was interrupted (${signal})`);
  };
  try {
    return await playChecked(rt, ops, opts, io, interrupted);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function playChecked(rt: Runtime, ops: KubeOps, opts: KubePlayOptions, io: PlayIo, interrupted: () => void): Promise<{ report: KubePlayReport; made: Made }> {
  const warn = warnOnce();
  const input = await loadPlayInput(opts, io.stdin, warn);
  rt.db();
  const dirs: string[] = [];
  const made = new Made(ops);
  let plan: PlayPlan;
  try {
    plan = await planPlay(rt, ops, input, opts, warn, dirs);
    interrupted();
  } catch (err) {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    throw err;
  }
  made.other('', () => removeOrphanDirs(rt, dirs)); // last undone: files no pod left uses
  try {
    return { report: await makePlay(rt, ops, plan, opts, made, io, interrupted), made };
  } catch (err) {
    const removed = made.undoable.filter(Boolean);
    const left = await made.undo(true);
    // ctrl-c reaches the whole process group: runc may die of it and fail a start before our own
    // handler has run. Once the undo is done the handler has; then the signal is the cause to report.
    await new Promise((resolve) => setImmediate(resolve)); // a signal waiting in the loop is taken
    let cause = err as Error;
    try {
      interrupted();
    } catch (signalled) {
      cause = signalled as Error;
    }
    throw new PlayFailedError(cause, removed, left);
  }
}

/** The files' directories of this play that no pod uses (those of pods it made and removed, or never made). */
function removeOrphanDirs(rt: Runtime, dirs: string[]): void {
  const used = new Set(rt.pods().list().map((p) => p.spec.kube?.files));
  for (const d of dirs) if (!used.has(d)) fs.rmSync(d, { recursive: true, force: true });
}

/**
 * --wait: until ctrl-c, SIGTERM, or every container of the play's pods has exited; then what the
 * play made is removed (Podman's words on stdout). The exit code: a Job's failure when they all
 * exited (so that `kube play --wait job.yaml` fails as its Job does), else 0.
 */
export async function waitAndTeardown(rt: Runtime, _ops: KubeOps, made: Made, io: PlayIo): Promise<number> {
  const signalled = await new Promise<boolean>((resolve) => {
    const onSignal = () => finish(true);
    const timer = setInterval(() => {
      if (allExited(rt, made.pods)) finish(false);
    }, 1000);
    let done = false;
    function finish(sig: boolean) {
      if (done) return; // a second ctrl-c (or the launcher's forwarded copy) does not cut the cleanup short
      done = true;
      clearInterval(timer);
      resolve(sig);
    }
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  const code = signalled ? 0 : jobExitCode(rt, made.pods);
  io.stdout.write(`${signalled ? '\n' : ''}Cleaning up containers, pods, and volumes...\n`);
  const left = await made.undo(false);
  if (left.length) throw new TspodError(`error during cleanup: could not remove ${left.join('; ')}`);
  return code;
}

/** The first non-zero exit code of the play's Jobs' containers (in the file's order), else 0: --wait's exit code. */
function jobExitCode(rt: Runtime, podIds: string[]): number {
  const containers = rt.containers().list();
  for (const id of podIds) {
    const pod = rt.pods().reload(id);
    if (pod?.spec.kube?.kind !== 'Job') continue;
    for (const c of rt.pods().containersOf(pod, containers)) if (c.id !== pod.spec.infraId && c.status.exitCode) return c.status.exitCode;
  }
  return 0;
}

function allExited(rt: Runtime, podIds: string[]): boolean {
  const containers = rt.containers().list();
  return podIds.every((id) => {
    const pod = rt.pods().reload(id);
    if (!pod) return true;
    return rt.pods().containersOf(pod, containers).filter((c) => c.id !== pod.spec.infraId).every((c) => c.state === 'exited' || c.state === 'created');
  });
}
