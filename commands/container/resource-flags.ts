// The resource-limit flags create, run and update share (Podman's), declared once, and the
// options object the engine takes from them.
import { Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import type { CreateOptions } from '../../libpod/entities';

export abstract class ResourceFlagsCommand extends TspodCommand {
  memory = Option.String('-m,--memory', { description: 'memory limit (e.g. 64m, 1g)' });
  memorySwap = Option.String('--memory-swap', { description: 'memory plus swap limit (-1: unlimited; default twice --memory)' });
  memoryReservation = Option.String('--memory-reservation', { description: 'memory soft limit' });
  cpus = Option.String('--cpus', { description: 'number of CPUs (e.g. 1.5)' });
  cpuShares = Option.String('-c,--cpu-shares', { description: 'CPU shares (relative weight)' });
  cpuPeriod = Option.String('--cpu-period', { description: 'CPU CFS period in microseconds' });
  cpuQuota = Option.String('--cpu-quota', { description: 'CPU CFS quota in microseconds' });
  cpusetCpus = Option.String('--cpuset-cpus', { description: 'CPUs to run on (0-3, 0,1)' });
  cpusetMems = Option.String('--cpuset-mems', { description: 'memory nodes to use (0-3, 0,1)' });
  pidsLimit = Option.String('--pids-limit', { description: 'most processes the container may have (-1: unlimited)' });
  blkioWeight = Option.String('--blkio-weight', { description: 'block IO weight, 10 to 1000' });
  blkioWeightDevice = Option.Array('--blkio-weight-device', [], { description: 'block IO weight of a device: DEVICE:WEIGHT' });
  deviceReadBps = Option.Array('--device-read-bps', [], { description: 'read rate limit of a device: DEVICE:RATE (e.g. /dev/sda:1mb)' });
  deviceWriteBps = Option.Array('--device-write-bps', [], { description: 'write rate limit of a device: DEVICE:RATE' });
  deviceReadIops = Option.Array('--device-read-iops', [], { description: 'read operations per second of a device: DEVICE:RATE' });
  deviceWriteIops = Option.Array('--device-write-iops', [], { description: 'write operations per second of a device: DEVICE:RATE' });

  protected resourceOptions(): NonNullable<CreateOptions['resources']> {
    return {
      memory: this.memory,
      memorySwap: this.memorySwap,
      memoryReservation: this.memoryReservation,
      cpus: this.cpus,
      cpuShares: this.cpuShares,
      cpuPeriod: this.cpuPeriod,
      cpuQuota: this.cpuQuota,
      cpusetCpus: this.cpusetCpus,
      cpusetMems: this.cpusetMems,
      pidsLimit: this.pidsLimit,
      blkioWeight: this.blkioWeight,
      blkioWeightDevice: this.blkioWeightDevice,
      deviceReadBps: this.deviceReadBps,
      deviceWriteBps: this.deviceWriteBps,
      deviceReadIops: this.deviceReadIops,
      deviceWriteIops: this.deviceWriteIops,
    };
  }
}
