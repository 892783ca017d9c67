// Kubernetes quantities for what tspod records in bytes and CPU microseconds: binary suffixes
// where they are exact (64Mi, not 67108864), millicores for a fraction of a CPU (1500m).

/** Bytes as a quantity: Gi, Mi or Ki when exact, else the plain number. */
export function bytesQuantity(bytes: number): string {
  for (const [suffix, size] of [['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
  }
  return String(bytes);
}

/** --cpus as stored (quota per period, in microseconds) as CPUs: whole ones, else millicores (at least 1m). */
export function cpuQuantity(quota: number, period: number): string | undefined {
  if (!(quota > 0 && period > 0)) return undefined;
  const milli = Math.max(1, Math.round((quota * 1000) / period));
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}
