// The flags of `tspod build` (Podman 5's build flags), declared once: the ones tspod takes, the
// ones it refuses on purpose (commands/refusals.ts says why), and the values they hand to
// build-flags.ts, which turns them into the engine's BuildOptions.
import { Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { refusedOption } from '../refused-option';
import type { BuildFlags } from './build-flags';

const refused = (name: string) => refusedOption('build', name);

export abstract class BuildFlagsCommand extends TspodCommand {
  file = Option.Array('-f,--file', [], { description: 'the Containerfile: a path (from here, else in the context), a URL, or - for stdin; several are joined in order (default: Containerfile or Dockerfile in the context)' });
  tag = Option.Array('-t,--tag', [], { description: 'name the built image (several may be given)' });
  buildArg = Option.Array('--build-arg', [], { description: 'a build argument: KEY=VALUE, or KEY to take our value' });
  buildArgFile = Option.Array('--build-arg-file', [], { description: 'read build arguments from a file (KEY=VALUE lines, # comments)' });
  target = Option.String('--target', { description: 'build up to this stage and make it the image' });
  pull = Option.String('--pull', { tolerateBoolean: true, description: 'pull the FROM images: always (--pull alone, or true), missing (default), never (false), newer' });
  layers = Option.Boolean('--layers', { description: 'keep an image of each step and use them as a cache (default true; BUILDAH_LAYERS=false changes the default)' });
  noCache = Option.Boolean('--no-cache', false, { description: 'do not use the cache: run every step again' });
  cacheTtl = Option.String('--cache-ttl', { description: 'use only cached steps younger than this (e.g. 24h)' });
  rm = Option.Boolean('--rm', true, { description: 'remove the build containers after a successful build (default true)' });
  forceRm = Option.Boolean('--force-rm', true, { description: 'remove the build containers even when the build fails (default true)' });
  squash = Option.Boolean('--squash', false, { description: 'squash the layers this build makes into one' });
  squashAll = Option.Boolean('--squash-all', false, { description: "squash all layers, the base image's too, into one" });
  format = Option.String('--format', { description: 'format of the image: oci or docker (default oci; BUILDAH_FORMAT changes the default)' });
  label = Option.Array('--label', [], { description: 'a label of the image: KEY=VALUE' });
  annotation = Option.Array('--annotation', [], { description: 'an annotation of the image: KEY=VALUE' });
  env = Option.Array('--env', [], { description: 'a variable of the image: KEY=VALUE, KEY or KEY* (ours)' });
  unsetenv = Option.Array('--unsetenv', [], { description: 'remove a variable from the image' });
  unsetlabel = Option.Array('--unsetlabel', [], { description: 'remove an inherited label from the image' });
  inheritLabels = Option.Boolean('--inherit-labels', true, { description: 'keep the labels of the base image (default true)' });
  inheritAnnotations = Option.Boolean('--inherit-annotations', true, { description: 'keep the annotations of the base image (default true)' });
  identityLabel = Option.Boolean('--identity-label', true, { description: 'add the label io.tspod.version (default true)' });
  omitHistory = Option.Boolean('--omit-history', false, { description: 'write no history into the image' });
  timestamp = Option.String('--timestamp', { description: 'seconds since the epoch to set as the created time and every file time in the layers' });
  sourceDateEpoch = Option.String('--source-date-epoch', { description: 'seconds since the epoch to set as the created time (default: SOURCE_DATE_EPOCH)' });
  skipUnusedStages = Option.Boolean('--skip-unused-stages', true, { description: 'skip stages the target does not need (default true)' });
  from = Option.String('--from', { description: 'an image to use instead of the one the first FROM names' });
  ignorefile = Option.String('--ignorefile', { description: 'an ignore file to use instead of the context\'s .containerignore or .dockerignore' });
  iidfile = Option.String('--iidfile', { description: "write the image's ID to this file" });
  output = Option.Array('-o,--output', [], { description: "also write the image's files: DIR, - (a tar on stdout), type=local,dest=DIR or type=tar,dest=FILE" });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'print only the image ID' });
  logfile = Option.String('--logfile', { description: 'write the progress to this file instead' });
  secret = Option.Array('--secret', [], { description: 'a secret for RUN --mount=type=secret: id=ID[,src=FILE|env=VARIABLE][,type=file|env]' });
  stdin = Option.Boolean('--stdin', false, { description: 'give RUN steps our stdin' });
  network = Option.String('--network,--net', { description: 'network of RUN steps: slirp4netns (default), none, host, private' });
  noHosts = Option.Boolean('--no-hosts', false, { description: "do not write /etc/hosts for RUN steps: keep the image's" });
  addHost = Option.Array('--add-host', [], { description: 'a HOST:IP line of /etc/hosts in RUN steps' });
  dns = Option.Array('--dns', [], { description: 'name server of RUN steps (none: no resolv.conf)' });
  dnsOption = Option.Array('--dns-option', [], { description: 'resolv.conf option of RUN steps' });
  dnsSearch = Option.Array('--dns-search', [], { description: 'DNS search domain of RUN steps' });
  capAdd = Option.Array('--cap-add', [], { description: 'add a capability to RUN steps' });
  capDrop = Option.Array('--cap-drop', [], { description: 'drop a capability from RUN steps' });
  securityOpt = Option.Array('--security-opt', [], { description: 'security options of RUN steps (as run takes them)' });
  ulimit = Option.Array('--ulimit', [], { description: 'a process limit of RUN steps: NAME=SOFT[:HARD]' });
  userns = Option.String('--userns', { description: 'user namespace of RUN steps (as run takes it)' });
  device = Option.Array('--device', [], { description: 'a host device in RUN steps: HOST[:CONTAINER][:PERMISSIONS]' });
  volume = Option.Array('-v,--volume', [], { description: 'a volume or host path mounted in RUN steps: SRC:DEST[:OPTIONS]' });
  shmSize = Option.String('--shm-size', { description: 'size of /dev/shm in RUN steps (default 64m)' });
  runtime = Option.String('--runtime', { description: 'OCI runtime of RUN steps (runc, crun, or a path)' });
  isolation = Option.String('--isolation', { description: 'how RUN steps are isolated: oci or rootless (both: containers of the OCI runtime)' });
  jobs = Option.String('--jobs', { description: 'stages built at once: 1 (tspod builds one at a time)' });
  platform = Option.Array('--platform', [], { description: "the platform to build: this host's only (os/arch[/variant])" });
  arch = Option.String('--arch', { description: "the architecture to build: this host's only" });
  os = Option.String('--os', { description: 'the OS to build: linux only' });
  variant = Option.String('--variant', { description: "the architecture variant to build: this host's only" });
  manifest = Option.String('--manifest', { description: 'add the image to this manifest list (made when there is none)' });
  creds = Option.String('--creds', { description: 'USERNAME:PASSWORD for the registry of FROM images' });
  authfile = Option.String('--authfile', { description: 'path of the authentication file' });
  tlsVerify = Option.Boolean('--tls-verify', { description: 'require HTTPS and verify certificates when pulling (default true)' });
  certDir = Option.String('--cert-dir', { description: "directory of the registry's certificates (*.crt, *.cert, *.key)" });
  retry = Option.String('--retry', { description: 'how often a failed pull is tried again' });
  retryDelay = Option.String('--retry-delay', { description: 'pause between tries of a pull (e.g. 2s)' });
  disableCompression = Option.Boolean('-D,--disable-compression', true, { description: 'store and push the layers uncompressed (default true; tspod has no other way)' });
  compress = Option.Boolean('--compress', false, { description: 'accepted for scripts; does nothing (as in Podman)' });
  disableContentTrust = Option.Boolean('--disable-content-trust', false, { description: 'accepted for Docker scripts; does nothing (as in Podman)' });
  // docker buildx's flags Podman accepts for scripts and ignores: the image always lands in the store, progress is plain.
  load = Option.Boolean('--load', false, { hidden: true });
  progress = Option.String('--progress', { hidden: true });
  allPlatforms = refused('--all-platforms');
  buildContext = refused('--build-context');
  cacheFrom = refused('--cache-from');
  cacheTo = refused('--cache-to');
  cgroupParent = refused('--cgroup-parent');
  cgroupns = refused('--cgroupns');
  compatVolumes = refused('--compat-volumes');
  cppFlag = refused('--cpp-flag');
  cpuPeriod = refused('--cpu-period');
  cpuQuota = refused('--cpu-quota');
  cpuShares = refused('--cpu-shares');
  cpusetCpus = refused('--cpuset-cpus');
  cpusetMems = refused('--cpuset-mems');
  createdAnnotation = refused('--created-annotation');
  cw = refused('--cw');
  decryptionKey = refused('--decryption-key');
  groupAdd = refused('--group-add');
  hooksDir = refused('--hooks-dir');
  httpProxy = refused('--http-proxy');
  ipc = refused('--ipc');
  layerLabel = refused('--layer-label');
  logsplit = refused('--logsplit');
  memory = refused('--memory');
  memorySwap = refused('--memory-swap');
  noHostname = refused('--no-hostname');
  osFeature = refused('--os-feature');
  osVersion = refused('--os-version');
  pid = refused('--pid');
  rewriteTimestamp = refused('--rewrite-timestamp');
  runtimeFlag = refused('--runtime-flag');
  sbom = refused('--sbom');
  sbomImageOutput = refused('--sbom-image-output');
  sbomImagePurlOutput = refused('--sbom-image-purl-output');
  sbomMergeStrategy = refused('--sbom-merge-strategy');
  sbomOutput = refused('--sbom-output');
  sbomPurlOutput = refused('--sbom-purl-output');
  sbomScannerCommand = refused('--sbom-scanner-command');
  sbomScannerImage = refused('--sbom-scanner-image');
  signBy = refused('--sign-by');
  ssh = refused('--ssh');
  unsetannotation = refused('--unsetannotation');
  usernsGidMap = refused('--userns-gid-map');
  usernsGidMapGroup = refused('--userns-gid-map-group');
  usernsUidMap = refused('--userns-uid-map');
  usernsUidMapUser = refused('--userns-uid-map-user');
  uts = refused('--uts');
  // One context at most; taken as a list so that a second word gets Podman's "accepts at most 1 arg(s)" instead of an unknown command.
  contexts = Option.Rest({ name: 'context' });

  /** The values build-flags.ts reads (the fields above, checked against its interface). */
  protected buildFlags(): BuildFlags {
    return this;
  }
}
