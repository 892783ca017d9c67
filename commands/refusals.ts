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
  /** For a flag: the value that is what tspod does anyway (--compat-volumes=false), taken when given. */
  allowed?: boolean;
}

const refuse = (names: string, value: boolean, reason: string): Refusal => ({ names: names.split(','), value, reason, exitCode: EXIT_TSPOD });
/** A flag refused when true; =false is what tspod does, so it is taken. */
const refuseTrue = (names: string, reason: string): Refusal => ({ ...refuse(names, false, reason), allowed: false });

/** By verb as the table names it (`ps`, `volume create`). */
const IPV4_ONLY = "tspod's networks are IPv4 only (one bridge in the rootless network namespace, reached through slirp4netns): use an IPv4 --subnet";

const RUN_IPV4_ONLY = "no network of tspod's has an IPv6 subnet (they are IPv4 only): use --ip with an IPv4 address";
const POD_LIMITS = 'tspod makes no cgroup for a pod, so its resources are not limited as a whole (and rootless cgroups v1 cannot enforce limits): give the limits to each container (tspod run --pod POD --memory ...)';
const POD_PER_CONTAINER = "tspod's pods share only the namespaces --share names, held by the infra container: give this option to each container of the pod instead (tspod run --pod POD ...)";
const POD_USERNS = "tspod's pod members run in tspod's user namespace, not one of the pod's: give --userns, --uidmap or --gidmap to each container of the pod instead";
const NO_HEALTH_UPDATE = 'tspod keeps the healthcheck a container was created with: re-create the container with the new --health-* options';

const NO_GPUS = 'tspod has no CDI or NVIDIA container support to hand GPUs to a container: pass the device nodes with --device (e.g. --device /dev/dri)';

/** run's and create's refusals (create's are run's too). */
const CREATE_REFUSALS: Refusal[] = [
  refuse('--gpus', true, NO_GPUS),
  // no network of tspod's has an IPv6 subnet for the address
  refuse('--ip6', true, RUN_IPV4_ONLY),
  refuse('--decryption-key', true, 'tspod does not pull encrypted images: pull a decrypted copy (e.g. skopeo copy --decryption-key) and run that'),
];

/** pod create's: what tspod's pods do not hold (a pod cgroup, a pod user namespace). */
const POD_CREATE_REFUSALS: Refusal[] = [
  ...['--blkio-weight', '--blkio-weight-device', '--cpu-shares', '--cpus', '--cpuset-cpus', '--cpuset-mems', '--device-read-bps', '--device-write-bps', '--memory,-m', '--memory-swap'].map((n) => refuse(n, true, POD_LIMITS)),
  refuse('--cgroup-parent', true, POD_LIMITS),
  refuseTrue('--share-parent', 'tspod makes no cgroup for a pod that its containers could be put under (as --share-parent=false): drop the option'),
  refuse('--device', true, POD_PER_CONTAINER),
  refuse('--gpus', true, NO_GPUS),
  refuse('--ip6', true, RUN_IPV4_ONLY),
  refuse('--hosts-file', true, POD_PER_CONTAINER),
  refuse('--no-hostname', false, POD_PER_CONTAINER),
  refuse('--pid', true, POD_PER_CONTAINER),
  refuse('--uts', true, POD_PER_CONTAINER),
  refuse('--shm-size-systemd', true, POD_PER_CONTAINER),
  refuse('--volumes-from', true, POD_PER_CONTAINER),
  ...['--userns', '--uidmap', '--gidmap', '--subuidname', '--subgidname'].map((n) => refuse(n, true, POD_USERNS)),
];

const NO_ARTIFACTS = 'tspod manifest lists hold images only, not OCI artifacts: push the files as an image layer instead';
const NO_SIGNING = 'tspod does not sign images: sign the pushed digest with cosign or skopeo standalone-sign';
const AS_STORED = 'tspod pushes layers as it stores them (compressed when pulled or committed compressed): drop the option';

/** build's refusals: what tspod's builder does not do (its RUN steps run as a container of tspod's would, one stage at a time, for this host's platform). */
/** Also the reason build-flags.ts gives for a --platform, --arch or --variant not this host's. */
export const BUILD_NO_EMULATION = "tspod builds for this host's platform only, with no emulation to run another architecture's RUN steps: build on a machine of that platform and join the images with tspod manifest create";
const RUN_NAMESPACES = "tspod's RUN steps run in namespaces of their own (the build container's): drop the option";
const RUN_LIMITS = 'tspod does not limit the resources of RUN steps: limit the whole build instead (systemd-run --user --scope -p MemoryMax=1G -p CPUQuota=200% tspod build ...)';
const NO_SBOM = 'tspod does not scan builds for an SBOM: scan the built image with a scanner (e.g. syft IMAGE) afterwards';
const RUN_USERNS = "tspod's RUN steps run in tspod's user namespace (the mapping of /etc/subuid and /etc/subgid): choose another with --userns";
const BUILD_REFUSALS: Refusal[] = [
  refuseTrue('--all-platforms', BUILD_NO_EMULATION),
  refuse('--build-context', true, 'tspod builds from one context: copy the files into it, or build the other context as an image and COPY --from=IMAGE'),
  refuse('--cache-from', true, "tspod's build cache is its local store, not a registry: build on the machine that holds the cache, or pull the image and build FROM it"),
  refuse('--cache-to', true, "tspod's build cache is its local store, not a registry: push the built image itself (tspod push)"),
  refuse('--cgroup-parent', true, "tspod's RUN steps run in the cgroup tspod gives its containers: drop the option"),
  refuse('--cgroupns', true, RUN_NAMESPACES),
  refuseTrue('--compat-volumes', 'tspod keeps what RUN steps write under VOLUME directories, as Podman does without this option: drop it'),
  refuse('--cpp-flag', true, 'tspod does not run Containerfiles through cpp: preprocess the file yourself (cpp -E -P Containerfile.in > Containerfile) and build that'),
  refuse('--cpu-period', true, RUN_LIMITS),
  refuse('--cpu-quota', true, RUN_LIMITS),
  refuse('--cpu-shares,-c', true, RUN_LIMITS),
  refuse('--cpuset-cpus', true, RUN_LIMITS),
  refuse('--cpuset-mems', true, RUN_LIMITS),
  refuseTrue('--created-annotation', 'tspod records the creation time in the image config only (tspod image inspect --format {{.Created}}), not as an org.opencontainers.image.created annotation: set one with --annotation'),
  refuse('--cw', true, 'tspod does not build confidential-workload (krun) images: build with buildah or podman on a host set up for them'),
  refuse('--decryption-key', true, 'tspod does not pull encrypted images: pull a decrypted copy (e.g. skopeo copy --decryption-key) and build FROM that'),
  refuse('--group-add', true, 'tspod runs RUN steps with the groups of the USER the Containerfile names: add the user to the group in the Containerfile (RUN usermod -aG ...)'),
  refuse('--hooks-dir', true, 'tspod runs no OCI hooks: drop --hooks-dir'),
  refuseTrue('--http-proxy', 'tspod does not copy our proxy variables into RUN steps: pass them as build arguments (--build-arg http_proxy --build-arg https_proxy)'),
  refuse('--ipc', true, RUN_NAMESPACES),
  refuse('--layer-label', true, "tspod's intermediate images carry no labels of their own: label the final image with --label"),
  refuseTrue('--logsplit', 'tspod builds one platform, so its log is one file: drop the option'),
  refuse('--memory,-m', true, RUN_LIMITS),
  refuse('--memory-swap', true, RUN_LIMITS),
  refuse('--no-hostname', false, "tspod's RUN steps get the /etc/hostname tspod writes for a container: drop the option"),
  refuse('--os-feature', true, 'os.features are for Windows images, which tspod does not build'),
  refuse('--os-version', true, 'os.version is for Windows images, which tspod does not build'),
  refuse('--pid', true, RUN_NAMESPACES),
  refuseTrue('--rewrite-timestamp', 'tspod does not rewrite file times from --source-date-epoch: use --timestamp SECONDS, which sets the created time and every file\'s time in the layers'),
  refuse('--runtime-flag', true, 'tspod build takes no runtime flags of its own: give them to tspod before the verb (tspod --runtime-flag FLAG build ...), and its RUN steps run with them'),
  ...['--sbom', '--sbom-image-output', '--sbom-image-purl-output', '--sbom-merge-strategy', '--sbom-output', '--sbom-purl-output', '--sbom-scanner-command', '--sbom-scanner-image'].map((n) => refuse(n, true, NO_SBOM)),
  refuse('--sign-by', true, NO_SIGNING),
  refuse('--ssh', true, 'tspod does not forward SSH agents or keys into RUN steps: fetch what needs SSH before the build and put it in the context, or pass a key file as a --secret'),
  refuse('--unsetannotation', true, "tspod's builds inherit no annotations from their base image (pulled images keep none), so there are none to unset: drop the option"),
  refuse('--userns-gid-map', true, RUN_USERNS),
  refuse('--userns-gid-map-group', true, RUN_USERNS),
  refuse('--userns-uid-map', true, RUN_USERNS),
  refuse('--userns-uid-map-user', true, RUN_USERNS),
  refuse('--uts', true, RUN_NAMESPACES),
];

export const REFUSALS: Record<string, Refusal[]> = {
  build: BUILD_REFUSALS,
  create: CREATE_REFUSALS,
  'pod create': POD_CREATE_REFUSALS,
  // pod clone takes pod create's pod-wide options that Podman's clone takes: the same refusals.
  'pod clone': POD_CREATE_REFUSALS.filter((r) => !['--share-parent', '--ip6', '--hosts-file', '--no-hostname'].includes(r.names[0])),
  run: [
    ...CREATE_REFUSALS,
    refuse('--preserve-fds', true, "tspod's monitor does not hand extra file descriptors to the container yet: pass data through stdin (-i), a bind mount or a socket in a volume"),
    refuse('--preserve-fd', true, "tspod's monitor does not hand extra file descriptors to the container yet: pass data through stdin (-i), a bind mount or a socket in a volume"),
  ],
  'kube play': [
    refuse('--no-hostname', false, "tspod's pods write /etc/hostname with the pod's host name: drop the option (spec.hostname sets the name)"),
    refuse('--no-pod-prefix', false, 'tspod names a pod\'s containers <pod>-<container>, as kube down and --replace find them: drop the option'),
    refuse('--publish-all', false, 'tspod publishes the hostPorts and --publish ports only: give the ports with --publish, or a Service'),
    refuse('--seccomp-profile-root', true, 'tspod reads no seccomp profiles from a directory for kube play: drop the option'),
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
