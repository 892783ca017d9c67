// GET /containers/{id}/stats: the engine's raw samples as Docker's stats JSON (the figures the
// Docker CLI reads: cpu_stats against precpu_stats and the host's CPU time, memory usage and limit,
// network and block IO, pids). Pure.
import type { Engine } from '../../libpod/engine';

export type StatsPoint = ReturnType<Engine['apiContainerStats']>;

const ZERO_TIME = '0001-01-01T00:00:00Z';

function cpuStats(p: StatsPoint | undefined): Record<string, unknown> {
  const s = p?.sample;
  return {
    cpu_usage: { total_usage: s ? Math.round(s.cpuNanos) : 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
    system_cpu_usage: s ? p!.systemNanos : 0,
    online_cpus: p?.onlineCpus ?? 0,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  };
}

/** One stats document: now, and the sample before it (precpu_stats) when there was one. */
export function dockerStats(now: StatsPoint, before: StatsPoint | undefined): Record<string, unknown> {
  const s = now.sample;
  const io = (op: string, value: number) => ({ major: 0, minor: 0, op, value });
  return {
    read: new Date(s?.at ?? Date.now()).toISOString(),
    preread: before?.sample ? new Date(before.sample.at).toISOString() : ZERO_TIME,
    id: now.id,
    name: `/${now.name}`,
    pids_stats: s ? { current: s.pids } : {},
    blkio_stats: { io_service_bytes_recursive: s ? [io('read', s.blockInput), io('write', s.blockOutput)] : null, io_serviced_recursive: null, io_queue_recursive: null, io_service_time_recursive: null, io_wait_time_recursive: null, io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuStats(now),
    precpu_stats: cpuStats(before?.sample ? before : undefined),
    memory_stats: s ? { usage: s.memUsage, limit: s.memLimit, stats: {} } : {},
    ...(s ? { networks: { eth0: { rx_bytes: s.netInput, rx_packets: 0, rx_errors: 0, rx_dropped: 0, tx_bytes: s.netOutput, tx_packets: 0, tx_errors: 0, tx_dropped: 0 } } } : {}),
  };
}
