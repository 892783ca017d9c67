import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { refusedOption } from '../refused-option';
import { InvalidArgumentError } from '../../src/errors';
import type { KubePlayReport } from '../../libpod/entities';
import { printDownReport } from './down';

export default class KubePlayCommand extends TspodCommand {
  static override paths = [['kube', 'play'], ['play', 'kube']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Play containers, pods or volumes from a structured file',
    details:
      'Makes what a Kubernetes YAML file describes: a pod for each Pod, DaemonSet and Job, one per replica of a Deployment, a named volume for each PersistentVolumeClaim, a secret for each Secret, and for each Service a proxy on the host that forwards its port (or nodePort) to the replicas it selects. ConfigMaps and Secrets feed env and volumes. The whole file is checked before anything is made; a failure while making removes what was made. --replace updates a played file: Pods are made again, a changed Deployment is updated one replica at a time. See docs/kube.md.',
    examples: [
      ['Play a file', '$0 kube play web.yaml'],
      ['Update it: changed Deployments roll one replica at a time', '$0 kube play --replace web.yaml'],
      ['From stdin, without starting', 'cat web.yaml | $0 kube play --start=false -'],
    ],
  });
  annotation = Option.Array('--annotation', [], { description: 'add an annotation to every container: KEY=VALUE' });
  authfile = Option.String('--authfile', { description: 'path of the authentication file for the registries' });
  build = Option.Boolean('--build', { description: 'build every image whose directory (beside the file) has a Containerfile; --build=false: never build' });
  certDir = Option.String('--cert-dir', { description: 'directory of TLS certificates for the registries' });
  configmap = Option.Array('--configmap', [], { description: 'a YAML file of ConfigMaps the file\'s pods may read (repeatable, or comma-separated)' });
  contextDir = Option.String('--context-dir', { description: 'where the images\' build directories are (default: the file\'s directory); needs --build' });
  creds = Option.String('--creds', { description: 'USERNAME[:PASSWORD] for the registries' });
  down = Option.Boolean('--down', false, { hidden: true, description: 'remove what a play of the file made (as kube down)' });
  force = Option.Boolean('--force', false, { description: 'with --down: also remove the volumes of the file\'s claims' });
  ip = Option.Array('--ip', [], { description: 'a static IP for each pod in turn (a bridge network)' });
  logDriver = Option.String('--log-driver', { description: 'log driver of every container' });
  logOpt = Option.Array('--log-opt', [], { description: 'log driver option of every container' });
  mac = Option.Array('--mac-address', [], { description: 'a static MAC address for each pod in turn' });
  network = Option.Array('--network,--net', [], { description: 'network mode or networks of every pod' });
  noHosts = Option.Boolean('--no-hosts', false, { description: 'do not write /etc/hosts in the pods' });
  publish = Option.Array('--publish', [], { description: 'publish a port, or override a containerPort\'s host side: [[ip:][hostPort]:]containerPort[/protocol]' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'no pull or build progress' });
  replace = Option.Boolean('--replace', false, { description: 'update what an earlier play of the file made' });
  start = Option.Boolean('--start', true, { description: 'start the pods (--start=false: only make them)' });
  strict = Option.Boolean('--strict', false, { description: 'unsupported kinds and fields are errors, not warnings' });
  tlsVerify = Option.Boolean('--tls-verify', { description: 'require HTTPS and verified certificates from registries' });
  userns = Option.String('--userns', { description: 'user namespace of every pod' });
  wait = Option.Boolean('-w,--wait', false, { description: 'stay in the foreground; ctrl-c or SIGTERM (or every pod exiting) removes what was made' });
  noHostname = refusedOption('kube play', '--no-hostname');
  noPodPrefix = refusedOption('kube play', '--no-pod-prefix');
  publishAll = refusedOption('kube play', '--publish-all');
  seccompProfileRoot = refusedOption('kube play', '--seccomp-profile-root');
  file = Option.String();
  more = Option.Rest();

  async execute(): Promise<number> {
    const io = { stdin: this.context.stdin, stdout: this.context.stdout, stderr: this.context.stderr };
    if (this.force && !this.down) throw new InvalidArgumentError('--force may be given only with --down (or use tspod kube down --force)');
    if (this.down) return printDownReport(this, await this.engine.kube.down({ sources: [this.file, ...this.more], force: this.force }, io));
    if (this.contextDir !== undefined && this.build !== true) throw new InvalidArgumentError('--context-dir needs --build: give both');
    if (this.wait && !this.start) throw new InvalidArgumentError('--wait needs the pods started: leave out --start=false');
    for (const a of this.annotation) if (!a.includes('=')) throw new InvalidArgumentError(`annotation "${a}" must include an '=' sign: give KEY=VALUE`);
    if (this.wait) this.write('Use ctrl+c to clean up or wait for pods to exit\n');
    const report = await this.engine.kube.play(
      {
        sources: [this.file, ...this.more],
        replace: this.replace,
        start: this.start,
        networks: this.network,
        publish: this.publish.flatMap((p) => p.split(',')),
        build: this.build,
        contextDir: this.contextDir,
        wait: this.wait,
        annotations: this.annotation,
        logDriver: this.logDriver,
        logOptions: this.logOpt,
        configMaps: this.configmap,
        strict: this.strict,
        quiet: this.quiet,
        noHosts: this.noHosts,
        userns: this.userns,
        ips: this.ip.flatMap((p) => p.split(',')),
        macs: this.mac.flatMap((p) => p.split(',')),
        pulling: { authFile: this.authfile, certDir: this.certDir, creds: this.creds, tlsVerify: this.tlsVerify },
        createCommand: ['tspod', ...process.argv.slice(2)],
      },
      io,
    );
    this.write(playReportText(report));
    return this.wait ? this.engine.kube.waitPlayed(io) : 0;
  }
}

/** Podman's report: Volumes:, Secrets:, then a Pod: block per pod with its Container(s):. */
export function playReportText(r: KubePlayReport): string {
  let out = '';
  if (r.volumes.length) out += `Volumes:\n${r.volumes.map((v) => `${v}\n`).join('')}`;
  if (r.secrets.length) out += `Secrets:\n${r.secrets.map((v) => `${v}\n`).join('')}`;
  for (const p of r.pods) {
    out += `Pod:\n${p.id}\n`;
    if (p.containers.length) out += `${p.containers.length === 1 ? 'Container' : 'Containers'}:\n${p.containers.map((c) => `${c}\n`).join('')}`;
    out += '\n';
  }
  return out;
}
