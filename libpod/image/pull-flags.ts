// The flags about the image a pull, push, run or create reaches: --platform/--arch/--os/--variant
// and the registry access flags (--creds, --authfile, --tls-verify, --cert-dir, --retry,
// --retry-delay), checked before anything is pulled or written. And the check that an image can run
// here at all: another architecture cannot (no emulation on this host).
import fs from 'node:fs';
import { InvalidArgumentError, InvalidStateError } from '../../src/errors';
import { ARCH_NAMES } from '../../src/arch';
import { parseGoDuration } from '../../src/time-spec';
import { checkAuthFile, parseCreds } from './auth-file';
import { wantedPlatform, type Platform } from './manifest';
import type { PullImageOptions } from './image-pull';
import type { Image } from './image-store';

/** The pulling flags as given. */
export interface PullingOptions {
  platform?: string;
  os?: string;
  arch?: string;
  variant?: string;
  creds?: string;
  authFile?: string;
  tlsVerify?: boolean;
  certDir?: string;
  retry?: string;
  retryDelay?: string;
}

/** The pulling flags checked: what a pull gets, and the platform asked for (undefined: none was). */
export interface CheckedPulling {
  pull: Omit<PullImageOptions, 'progress'>;
  platform?: Platform;
}

export const HOST_ARCH = ARCH_NAMES[process.arch] ?? process.arch;

export function checkPulling(p: PullingOptions = {}): CheckedPulling {
  if (p.creds !== undefined) parseCreds(p.creds);
  checkAuthFile(p.authFile);
  if (p.certDir !== undefined && !fs.statSync(p.certDir, { throwIfNoEntry: false })?.isDirectory()) throw new InvalidArgumentError(`--cert-dir ${p.certDir}: no such directory: give a directory holding the registry's *.crt (and *.cert/*.key) files`);
  let retry: number | undefined;
  if (p.retry !== undefined) {
    if (!/^\d+$/.test(p.retry)) throw new InvalidArgumentError(`invalid --retry "${p.retry}": give a whole number of tries`);
    retry = Number(p.retry);
  }
  const retryDelayMs = p.retryDelay === undefined ? undefined : parseGoDuration(p.retryDelay, '--retry-delay', 's');
  if (retryDelayMs !== undefined && retryDelayMs < 0) throw new InvalidArgumentError(`invalid --retry-delay "${p.retryDelay}": it cannot be negative`);
  const asked = p.platform !== undefined || p.os !== undefined || p.arch !== undefined || p.variant !== undefined;
  const platform = asked ? wantedPlatform(p, HOST_ARCH) : undefined;
  const { retry: _r, retryDelay: _d, ...rest } = p;
  return { pull: { ...rest, retry, retryDelayMs }, platform };
}

/** Whether a stored image is of the platform asked for (no platform asked: any is). */
export function imageMatches(image: Image, want: Platform | undefined): boolean {
  if (!want) return true;
  const c = image.config;
  return (c.os ?? 'linux') === want.os && (c.architecture ?? HOST_ARCH) === want.architecture && (!want.variant || !c.variant || c.variant === want.variant);
}

/** Refuses an image of another architecture or OS: it could not start here. */
export function checkRunnable(image: Image, name: string): void {
  const os = image.config.os ?? 'linux';
  const arch = image.config.architecture ?? HOST_ARCH;
  if (os === 'linux' && arch === HOST_ARCH) return;
  const what = [os, arch, image.config.variant].filter(Boolean).join('/');
  throw new InvalidStateError(`image ${name} is for ${what} and this host runs linux/${HOST_ARCH}: tspod runs images of the host's own platform only (no emulation): choose --platform linux/${HOST_ARCH}`);
}
