import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { refusedOption } from '../refused-option';
import { InvalidArgumentError } from '../../src/errors';

export default class PodCreateCommand extends TspodCommand {
  static override paths = [['pod', 'create']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Create a new empty pod',
    details:
      'A pod is an infra container (catatonit as a pause process) holding the network, IPC and UTS namespaces its containers share (--share), its published ports and network settings. Add containers with "tspod run --pod NAME". Prints the pod ID.',
    examples: [
      ['A pod publishing port 8080', '$0 pod create -p 8080:80 web'],
      ['Sharing the PID namespace too', '$0 pod create --share +pid web'],
    ],
  });
  name = Option.String('-n,--name', { description: 'the pod name (also the first argument)' });
  publish = Option.Array('-p,--publish', [], { description: 'publish a port of the pod: [[IP:][HOST_PORT]:]CONTAINER_PORT[/tcp|udp]' });
  network = Option.String('--network,--net', { description: 'the pod network: slirp4netns[:opts], pasta[:opts], none, host, or networks by name' });
  networkAlias = Option.Array('--network-alias', [], { description: 'another name of the pod on its user-defined networks' });
  ip = Option.String('--ip', { description: 'the pod address on its (first) user-defined network' });
  macAddress = Option.String('--mac-address', { description: 'the pod MAC address on its (first) user-defined network' });
  hostname = Option.String('--hostname', { description: 'the pod host name (default: the pod name)' });
  addHost = Option.Array('--add-host', [], { description: 'HOST:IP line for /etc/hosts' });
  dns = Option.Array('--dns', [], { description: 'name server of the pod' });
  dnsSearch = Option.Array('--dns-search', [], { description: 'DNS search domain of the pod' });
  dnsOption = Option.Array('--dns-option', [], { description: 'resolv.conf option of the pod' });
  noHosts = Option.Boolean('--no-hosts', false, { description: 'do not write /etc/hosts' });
  volume = Option.Array('-v,--volume', [], { description: 'a volume or bind mount every container of the pod gets: NAME:/path or /host:/path[:ro,...]' });
  label = Option.Array('-l,--label', [], { description: 'set a label on the pod (key=value)' });
  labelFile = Option.Array('--label-file', [], { description: 'read labels from a file (KEY=VALUE lines)' });
  infra = Option.Boolean('--infra', { description: 'make an infra container holding the shared namespaces (default true; false with --share "")' });
  infraName = Option.String('--infra-name', { description: 'the infra container name (default: <pod ID 12>-infra)' });
  infraCommand = Option.String('--infra-command', { description: 'the command of the infra container (default: /catatonit -P)' });
  infraImage = Option.String('--infra-image', { description: 'an image for the infra container instead of catatonit in its own root' });
  infraConmonPidfile = Option.String('--infra-conmon-pidfile', { description: "write the infra container's monitor PID to this file" });
  share = Option.String('--share', { description: 'namespaces to share: net,ipc,uts,pid,cgroup (default net,ipc,uts; +pid adds to it; "" none)' });
  exitPolicy = Option.String('--exit-policy', { description: 'continue (default) or stop: stop the infra container once the last other container has exited' });
  restart = Option.String('--restart', { description: 'restart policy of the pod containers: no, always, unless-stopped, on-failure[:N]' });
  replace = Option.Boolean('--replace', false, { description: 'replace a pod of the same name' });
  podIdFile = Option.String('--pod-id-file', { description: 'write the pod ID to this file' });
  sysctl = Option.Array('--sysctl', [], { description: 'a namespaced kernel setting of the pod: KEY=VALUE' });
  shmSize = Option.String('--shm-size', { description: 'size of the infra container /dev/shm' });
  securityOpt = Option.Array('--security-opt', [], { description: 'security options of the infra container' });
  // What tspod's pods do not hold: a pod cgroup, a pod user namespace (commands/refusals.ts).
  blkioWeight = refusedOption('pod create', '--blkio-weight');
  blkioWeightDevice = refusedOption('pod create', '--blkio-weight-device');
  cpuShares = refusedOption('pod create', '--cpu-shares');
  cpus = refusedOption('pod create', '--cpus');
  cpusetCpus = refusedOption('pod create', '--cpuset-cpus');
  cpusetMems = refusedOption('pod create', '--cpuset-mems');
  deviceReadBps = refusedOption('pod create', '--device-read-bps');
  deviceWriteBps = refusedOption('pod create', '--device-write-bps');
  memory = refusedOption('pod create', '--memory');
  memorySwap = refusedOption('pod create', '--memory-swap');
  cgroupParent = refusedOption('pod create', '--cgroup-parent');
  shareParent = refusedOption('pod create', '--share-parent');
  device = refusedOption('pod create', '--device');
  gpus = refusedOption('pod create', '--gpus');
  ip6 = refusedOption('pod create', '--ip6');
  hostsFile = refusedOption('pod create', '--hosts-file');
  noHostname = refusedOption('pod create', '--no-hostname');
  pid = refusedOption('pod create', '--pid');
  uts = refusedOption('pod create', '--uts');
  shmSizeSystemd = refusedOption('pod create', '--shm-size-systemd');
  volumesFrom = refusedOption('pod create', '--volumes-from');
  userns = refusedOption('pod create', '--userns');
  uidmap = refusedOption('pod create', '--uidmap');
  gidmap = refusedOption('pod create', '--gidmap');
  subuidname = refusedOption('pod create', '--subuidname');
  subgidname = refusedOption('pod create', '--subgidname');
  podName = Option.String({ required: false });

  async execute(): Promise<number> {
    if (this.podName !== undefined && this.name !== undefined) throw new InvalidArgumentError('cannot specify --name and NAME at the same time');
    const share = this.share;
    // Podman's: sharing nothing needs no infra container, unless --infra says otherwise.
    const infra = this.infra ?? !(share !== undefined && (share.trim() === '' || share.trim() === 'none'));
    const pod = await this.engine.pods.create({
      name: this.podName ?? this.name,
      infra,
      infraName: this.infraName,
      infraCommand: this.infraCommand,
      infraImage: this.infraImage,
      infraConmonPidFile: this.infraConmonPidfile,
      share,
      hostname: this.hostname,
      labels: this.label,
      labelFiles: this.labelFile,
      publish: this.publish,
      network: this.network,
      networkAliases: this.networkAlias,
      ip: this.ip,
      macAddress: this.macAddress,
      addHosts: this.addHost,
      dns: this.dns,
      dnsSearch: this.dnsSearch,
      dnsOptions: this.dnsOption,
      noHosts: this.noHosts,
      volumes: this.volume,
      exitPolicy: this.exitPolicy,
      restart: this.restart,
      replace: this.replace,
      podIdFile: this.podIdFile,
      sysctls: this.sysctl,
      shmSize: this.shmSize,
      securityOpt: this.securityOpt,
      createCommand: process.argv.slice(2),
      createCwd: process.cwd(),
    });
    this.write(`${pod.id}\n`);
    return 0;
  }
}
