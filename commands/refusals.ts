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

const RUN_IPV4_ONLY = "no network of tspod's has an IPv6 subnet (they are IPv4 only): use --ip with an IPv4 address";
const NO_PODS = 'tspod has no pods yet: put the containers on one user-defined network instead (tspod network create NET; --network NET)';
const NO_HEALTH_UPDATE = 'tspod keeps the healthcheck a container was created with: re-create the container with the new --health-* options';

const NO_GPUS = 'tspod has no CDI or NVIDIA container support to hand GPUs to a container: pass the device nodes with --device (e.g. --device /dev/dri)';

/** run's and create's refusals (create's are run's too). */
const CREATE_REFUSALS: Refusal[] = [
  refuse('--gpus', true, NO_GPUS),
  // no network of tspod's has an IPv6 subnet for the address
  refuse('--ip6', true, RUN_IPV4_ONLY),
  refuse('--decryption-key', true, 'tspod does not pull encrypted images: pull a decrypted copy (e.g. skopeo copy --decryption-key) and run that'),
  refuse('--pod', true, NO_PODS),
  refuse('--pod-id-file', true, NO_PODS),
];

const NO_ARTIFACTS = 'tspod manifest lists hold images only, not OCI artifacts: push the files as an image layer instead';
const NO_SIGNING = 'tspod does not sign images: sign the pushed digest with cosign or skopeo standalone-sign';
const AS_STORED = 'tspod pushes layers as it stores them (compressed when pulled or committed compressed): drop the option';

export const REFUSALS: Record<string, Refusal[]> = {
  create: [...CREATE_REFUSALS, refuse('--init-ctr', true, NO_PODS)],
  run: [
    ...CREATE_REFUSALS,
    refuse('--preserve-fds', true, "tspod's monitor does not hand extra file descriptors to the container yet: pass data through stdin (-i), a bind mount or a socket in a volume"),
    refuse('--preserve-fd', true, "tspod's monitor does not hand extra file descriptors to the container yet: pass data through stdin (-i), a bind mount or a socket in a volume"),
  ],
  'image tree': [refuse('--whatrequires', false, 'tspod does not list the images built on an image yet: run "tspod image tree" on those images and compare their layers')],
  'manifest add': [
    refuse('--artifact', false, NO_ARTIFACTS),
    ...['--artifact-config', '--artifact-config-type', '--artifact-layer-type', '--artifact-subject', '--artifact-type'].map((n) => refuse(n, true, NO_ARTIFACTS)),
    refuse('--artifact-exclude-titles', false, NO_ARTIFACTS),
  ],
  'manifest annotate': [refuse('--subject', true, 'tspod manifest lists carry no subject (OCI referrers): drop --subject')],
  'manifest push': [
    refuse('--add-compression', true, AS_STORED),
    refuse('--compression-format', true, AS_STORED),
    refuse('--compression-level', true, AS_STORED),
    refuse('--force-compression', false, AS_STORED),
    ...['--sign-by', '--sign-by-sigstore', '--sign-by-sigstore-private-key', '--sign-by-sq-fingerprint', '--sign-passphrase-file'].map((n) => refuse(n, true, NO_SIGNING)),
  ],
  save: [refuse('--compress', false, 'tspod writes the layers of docker-dir as it stores them (compressed when pulled compressed): drop --compress, or push to a registry, which compresses them')],
  update: [
    ...['--health-cmd', '--health-interval', '--health-log-destination', '--health-max-log-count', '--health-max-log-size', '--health-on-failure', '--health-retries', '--health-start-period', '--health-startup-cmd', '--health-startup-interval', '--health-startup-retries', '--health-startup-success', '--health-startup-timeout', '--health-timeout'].map((n) => refuse(n, true, NO_HEALTH_UPDATE)),
    refuse('--no-healthcheck', false, NO_HEALTH_UPDATE),
    refuse('--memory-swappiness', true, 'tspod does not set the memory swappiness of containers (run and create do not take it either): drop the option'),
    refuse('--cpu-rt-period', true, 'tspod does not give containers realtime CPU time (cgroups v1 realtime scheduling, which rootless containers cannot have): drop the option'),
    refuse('--cpu-rt-runtime', true, 'tspod does not give containers realtime CPU time (cgroups v1 realtime scheduling, which rootless containers cannot have): drop the option'),
  ],
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
