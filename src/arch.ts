// Node's process.arch names mapped to the OCI/Go names that images and Podman use.
export const ARCH_NAMES: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

export function ociArch(arch: string = process.arch): string {
  return ARCH_NAMES[arch] ?? arch;
}
