// Build arguments as Dockerfiles scope them: the ARGs before the first FROM (usable in FROM lines,
// and in a stage once it declares them again), each stage's own ARGs, the values given with
// --build-arg, and the predefined ones (proxies, usable without a declaration and kept out of the
// history; the platform ones, defined in the global scope).
import { ociArch } from '../../src/arch';

export const PROXY_ARGS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];

/** TARGETPLATFORM and friends: the native platform (tspod builds no other). */
export function platformArgs(variant = ''): Record<string, string> {
  const arch = ociArch();
  const platform = `linux/${arch}${variant ? `/${variant}` : ''}`;
  return {
    TARGETPLATFORM: platform, TARGETOS: 'linux', TARGETARCH: arch, TARGETVARIANT: variant,
    BUILDPLATFORM: platform, BUILDOS: 'linux', BUILDARCH: arch, BUILDVARIANT: variant,
  };
}

/** The arguments one build was given and those it used (to warn about the others, as Podman does). */
export class BuildArgs {
  readonly used = new Set<string>();

  constructor(readonly given: Record<string, string>) {}

  /** The build args given but declared by no ARG the build went through (proxies excepted). */
  unused(): string[] {
    return Object.keys(this.given).filter((k) => !this.used.has(k) && !PROXY_ARGS.includes(k)).sort();
  }
}

/** The ARGs visible at one point: the global scope, or a stage's. */
export class ArgScope {
  private readonly values = new Map<string, string | undefined>();

  constructor(
    private readonly args: BuildArgs,
    /** The global scope's values (a stage sees one only after declaring it without a value). */
    private readonly globals?: ArgScope,
  ) {}

  /** `ARG name[=default]`: its value now is the one given with --build-arg, else the default, else the global one. */
  declare(name: string, defaultValue: string | undefined): string | undefined {
    let value = defaultValue;
    if (value === undefined && this.globals) value = this.globals.get(name);
    if (value === undefined && !this.globals) value = platformArgs()[name];
    if (Object.hasOwn(this.args.given, name)) {
      value = this.args.given[name];
      this.args.used.add(name);
    }
    this.values.set(name, value);
    return value;
  }

  /** Predefined platform args in the global scope (declared or not, as BuildKit defines them). */
  get(name: string): string | undefined {
    if (this.values.has(name)) return this.values.get(name);
    if (!this.globals) return platformArgs()[name];
    return undefined;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The declared args that have a value, in declaration order ("A=1"). */
  pairs(): string[] {
    return [...this.values].filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  }

  /** Proxy args given with --build-arg: RUN sees them without a declaration. */
  proxies(): string[] {
    return PROXY_ARGS.filter((k) => Object.hasOwn(this.args.given, k) && !this.values.has(k)).map((k) => `${k}=${this.args.given[k]}`);
  }
}
