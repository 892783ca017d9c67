import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';
import { refusedOption } from '../refused-option';
import { createOptionsOf } from './clone-argv';

export default class PodCloneCommand extends TspodCommand {
  static override paths = [['pod', 'clone']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Create a copy of a pod and its containers',
    details:
      'The copy is made from the options the pod was created with (pod create options given here replace them; labels, volumes, sysctls and security options are added), and each of its containers is made again from its own create or run command line, in the copy. The copy is named NAME-clone unless a name is given. Prints the copy\'s ID.',
    examples: [
      ['A copy named web-clone', '$0 pod clone web'],
      ['Replace the pod by a started copy with another host name', '$0 pod clone --destroy --start --hostname web2 web web2'],
    ],
  });
  name = Option.String('-n,--name', { description: "the copy's name (also the second argument; default NAME-clone)" });
  destroy = Option.Boolean('--destroy', false, { description: 'remove the original pod once the copy exists (it is stopped first)' });
  start = Option.Boolean('--start', false, { description: 'start the copy' });
  hostname = Option.String('--hostname', { description: "the copy's host name" });
  label = Option.Array('-l,--label', [], { description: 'add a label (key=value)' });
  labelFile = Option.Array('--label-file', [], { description: 'add labels from a file (KEY=VALUE lines)' });
  volume = Option.Array('-v,--volume', [], { description: 'add a volume or bind mount every container of the copy gets' });
  restart = Option.String('--restart', { description: "the copy's restart policy for its containers" });
  infraName = Option.String('--infra-name', { description: "the copy's infra container name" });
  infraCommand = Option.String('--infra-command', { description: "the copy's infra container command" });
  infraConmonPidfile = Option.String('--infra-conmon-pidfile', { description: "write the copy's infra monitor PID to this file" });
  shmSize = Option.String('--shm-size', { description: "size of the copy's infra container /dev/shm" });
  sysctl = Option.Array('--sysctl', [], { description: 'add a namespaced kernel setting: KEY=VALUE' });
  securityOpt = Option.Array('--security-opt', [], { description: 'add a security option of the infra container' });
  // What tspod's pods do not hold (a pod cgroup, a pod user namespace): refused as pod create refuses them.
  blkioWeight = refusedOption('pod clone', '--blkio-weight');
  blkioWeightDevice = refusedOption('pod clone', '--blkio-weight-device');
  cpuShares = refusedOption('pod clone', '--cpu-shares');
  cpus = refusedOption('pod clone', '--cpus');
  cpusetCpus = refusedOption('pod clone', '--cpuset-cpus');
  cpusetMems = refusedOption('pod clone', '--cpuset-mems');
  deviceReadBps = refusedOption('pod clone', '--device-read-bps');
  deviceWriteBps = refusedOption('pod clone', '--device-write-bps');
  memory = refusedOption('pod clone', '--memory');
  memorySwap = refusedOption('pod clone', '--memory-swap');
  cgroupParent = refusedOption('pod clone', '--cgroup-parent');
  device = refusedOption('pod clone', '--device');
  gpus = refusedOption('pod clone', '--gpus');
  pid = refusedOption('pod clone', '--pid');
  uts = refusedOption('pod clone', '--uts');
  shmSizeSystemd = refusedOption('pod clone', '--shm-size-systemd');
  volumesFrom = refusedOption('pod clone', '--volumes-from');
  userns = refusedOption('pod clone', '--userns');
  uidmap = refusedOption('pod clone', '--uidmap');
  gidmap = refusedOption('pod clone', '--gidmap');
  subuidname = refusedOption('pod clone', '--subuidname');
  subgidname = refusedOption('pod clone', '--subgidname');
  pod = Option.String();
  newName = Option.String({ required: false });

  async execute(): Promise<number> {
    const { pod, newName } = this;
    if (newName !== undefined && this.name !== undefined && newName !== this.name) throw new InvalidArgumentError('cannot give the name both as --name and as the second argument: give one');
    const r = await this.engine.pods.clone(pod, {
      name: newName ?? this.name,
      destroy: this.destroy,
      start: this.start,
      overrides: {
        hostname: this.hostname,
        labels: this.label,
        labelFiles: this.labelFile,
        volumes: this.volume,
        restart: this.restart,
        infraName: this.infraName,
        infraCommand: this.infraCommand,
        infraConmonPidFile: this.infraConmonPidfile,
        shmSize: this.shmSize,
        sysctls: this.sysctl,
        securityOpt: this.securityOpt,
      },
      containerOptions: (c) => createOptionsOf(c.spec.createCommand, c.spec.createCwd, this.context),
      createCommand: process.argv.slice(2),
      createCwd: process.cwd(),
    });
    if (r.error) {
      // Podman's words: the copy exists, what came after failed.
      this.write(`pod ${r.id} created but error after creation\n`);
      throw r.error;
    }
    this.write(`${r.id}\n`);
    return 0;
  }
}
