// volume mount, unmount and reload. tspod's volumes are directories of the local driver: there is
// nothing to mount (mount prints where the files are, as Podman does for such volumes) and no
// volume plugins to reload volumes from.
import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export class VolumeMountCommand extends TspodCommand {
  static override paths = [['volume', 'mount']];
  static override usage = Command.Usage({
    description: "Print where a volume's files are on the host",
    details: 'Volumes are directories here, always there to read: the path is printed for each volume.',
    examples: [['Copy a file in', 'cp config.yml "$($0 volume mount data)/"']],
  });
  names = Option.Rest({ required: 1 });

  async execute(): Promise<number> {
    return this.printReports(this.engine.volumes.mount(this.names), (r) => r.path ?? null);
  }
}

export class VolumeUnmountCommand extends TspodCommand {
  static override paths = [['volume', 'unmount'], ['volume', 'umount']];
  static override usage = Command.Usage({
    description: 'Release a volume mounted with volume mount',
    details: 'Volumes are directories here, never mounted: each name is checked and printed.',
    examples: [['Release', '$0 volume unmount data']],
  });
  names = Option.Rest({ required: 1 });

  async execute(): Promise<number> {
    return this.printReports(this.engine.volumes.mount(this.names), (r) => r.name);
  }
}

export class VolumeReloadCommand extends TspodCommand {
  static override paths = [['volume', 'reload']];
  static override usage = Command.Usage({
    description: 'Add and remove volumes of volume plugins',
    details: 'tspod has no volume plugins, so there is nothing to add or remove: it prints nothing, as Podman does when no plugin has changed.',
    examples: [['Reload', '$0 volume reload']],
  });

  async execute(): Promise<number> {
    return 0;
  }
}
