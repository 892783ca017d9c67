// The options of Podman's that tspod refuses on purpose, each with the reason the user is told
// and the exit code. Commands declare them with refusedOption() (refused-option.ts), so that the
// option parses (with Podman's value form) and is then refused by name instead of being an
// unknown flag; the compatibility table (docs/cli-compat.md, scripts/cli-compat.mjs) lists the
// same entries.
import { EXIT_TSPOD } from '../src/errors';

export interface Refusal {
  /** Podman's names for the option, long name first. */
  names: string[];
  /** Whether the option takes a value in Podman (`--url=URL`) or is a flag. */
  value: boolean;
  /** What the user is told: why tspod refuses it, and what to do instead. */
  reason: string;
  exitCode: number;
}

const refuse = (names: string, value: boolean, reason: string): Refusal => ({ names: names.split(','), value, reason, exitCode: EXIT_TSPOD });

/** By verb as the table names it (`ps`, `volume create`). */
const IPV4_ONLY = "tspod's networks are IPv4 only (one bridge in the rootless network namespace, reached through slirp4netns): use an IPv4 --subnet";

const NO_GPUS = 'tspod has no CDI or NVIDIA container support to hand GPUs to a container: pass the device nodes with --device (e.g. --device /dev/dri)';

export const REFUSALS: Record<string, Refusal[]> = {
  run: [refuse('--gpus', true, NO_GPUS)],
  create: [refuse('--gpus', true, NO_GPUS)],
  'network create': [refuse('--ipv6', false, IPV4_ONLY)],
  'network connect': [refuse('--ip6', true, IPV4_ONLY)],
  exec: [
    refuse('--detach-keys', true, 'tspod exec runs the process in the foreground through the OCI runtime, which cannot be detached from: use exec -d to run it in the background'),
    refuse('--preserve-fds', true, 'tspod does not pass extra file descriptors to exec\'d processes yet: pass data through stdin (-i) or a mounted volume'),
    refuse('--preserve-fd', true, 'tspod does not pass extra file descriptors to exec\'d processes yet: pass data through stdin (-i) or a mounted volume'),
  ],
};

/** The message of a refused option. */
export function refusalMessage(r: Refusal): string {
  return `${r.names[0]} is not supported: ${r.reason}`;
}
