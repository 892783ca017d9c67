// Kubernetes' name rules (RFC 1123 labels and subdomains, as the API server checks them), for
// what kube generate writes and what kube play accepts. Podman writes container names with "_"
// or "." into its YAML, which the API server rejects; tspod turns them into valid names.
import { InvalidArgumentError } from '../../src/errors';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** An RFC 1123 label (container, port and volume names, Service names): at most 63 characters. */
export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && LABEL.test(name);
}

/** An RFC 1123 subdomain (most objects' metadata.name): dot-separated labels, at most 253 characters. */
export function isDnsSubdomain(name: string): boolean {
  return name.length <= 253 && name.split('.').every((l) => l.length > 0 && LABEL.test(l));
}

/**
 * A valid RFC 1123 label made from any name: lowercased, every run of other characters ("_",
 * ".", spaces) one "-", trimmed of "-" at the ends, cut to max; "x" when nothing is left.
 */
export function toDnsLabel(name: string, max = 63): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+/, '').slice(0, max).replace(/-+$/, '');
  return s || 'x';
}

/** Refuses a name a Kubernetes object may not carry, naming the object and the rule. */
export function checkObjectName(name: unknown, what: string, rule: 'label' | 'subdomain' = 'subdomain'): string {
  if (typeof name !== 'string' || name === '') throw new InvalidArgumentError(`${what}: metadata.name is missing: every object needs a name`);
  const ok = rule === 'label' ? isDnsLabel(name) : isDnsSubdomain(name);
  if (!ok) {
    throw new InvalidArgumentError(
      `${what}: invalid name "${name}": a ${rule === 'label' ? 'DNS-1123 label' : 'DNS-1123 subdomain'} must consist of lower case alphanumeric characters${rule === 'subdomain' ? ", '-' or '.'" : " or '-'"}, start and end with an alphanumeric character, and be at most ${rule === 'label' ? 63 : 253} characters`,
    );
  }
  return name;
}
