// Errors carry a stable code and the process exit code they map to. Messages are lowercase,
// say what failed and why, and what to do where a fix exists. Printed once, in src/main.ts.

/** Exit codes shared with Podman: 125 for tspod's own errors, 126/127 for the container command. */
export const EXIT_TSPOD = 125;
export const EXIT_CANNOT_INVOKE = 126;
export const EXIT_NOT_FOUND = 127;

export class TspodError extends Error {
  readonly code: string = 'ETSPOD';
  readonly exitCode: number = EXIT_TSPOD;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class InvalidArgumentError extends TspodError {
  override readonly code = 'EINVAL';
}

/** A Go template (--format) that does not parse or fails on the data: Go's message, exit 125. */
export class TemplateError extends TspodError {
  override readonly code = 'ETEMPLATE';
}

export class UsageError extends TspodError {
  override readonly code = 'EUSAGE';
}

/** `tspod help nosuch`: 1, as the contract asks (Podman prints its usage and exits 0, which a script cannot tell from success). */
export class UnknownHelpTopicError extends UsageError {
  override readonly exitCode: number = 1;
}

/** A global flag's file cannot be used (--out, --config): Podman exits 1 before it runs any command. */
export class GlobalFileError extends TspodError {
  override readonly code = 'EGLOBALFILE';
  override readonly exitCode: number = 1;
}

export class NoSuchContainerError extends TspodError {
  override readonly code = 'ENOCONTAINER';
  constructor(name: string) {
    super(`no container with name or ID "${name}" found: no such container`);
  }
}

/** A pod name or ID that matches none: Podman's "no such pod" (exit 125 as Podman's pod verbs give, 1 for pod exists). */
export class NoSuchPodError extends TspodError {
  override readonly code = 'ENOPOD';
  constructor(name: string) {
    super(`no pod with name or ID ${name} found: no such pod`);
  }
}

export class NoSuchImageError extends TspodError {
  override readonly code = 'ENOIMAGE';
  constructor(name: string) {
    super(`${name}: image not known`);
  }
}

export class InvalidStateError extends TspodError {
  override readonly code = 'ESTATE';
}

/** Other containers depend on this one (--requires): Podman's rm refuses it with 125. */
export class DependencyError extends TspodError {
  override readonly code = 'EDEPEND';
}

/** The container's process cannot be started as asked (its user does not exist): Podman's 126. */
export class CannotInvokeError extends TspodError {
  override readonly code = 'ECANNOTINVOKE';
  override readonly exitCode = EXIT_CANNOT_INVOKE;
}

export class RuntimeError extends TspodError {
  override readonly code = 'ERUNTIME';
}

export class RegistryError extends TspodError {
  override readonly code = 'EREGISTRY';
}

/** The state database cannot be used as it is (corrupt, newer schema, unreadable). */
export class StateError extends TspodError {
  override readonly code = 'ESTATEDB';
}

/** The filesystem of the store is full (ENOSPC): the message names it and what to free. */
export class NoSpaceError extends TspodError {
  override readonly code = 'ENOSPC';
}

export class ConfigError extends TspodError {
  override readonly code = 'ECONFIG';
}

/** A host prerequisite (package, device, subuid range) is missing. */
export class PrerequisiteError extends TspodError {
  override readonly code = 'EPREREQ';
}

/**
 * inspect's word for a name it found nothing by, as Podman's inspect says it for the kind asked
 * (`no such object: "x"`, `no such volume x`...): exit 125, as Podman's inspect exits.
 */
export class InspectNotFoundError extends TspodError {
  override readonly code = 'ENOOBJECT';
}

/** Turns anything thrown into the one-line message the user sees. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** A secret name or ID that matches none: Podman's "no such secret" (125, as Podman's secret verbs exit). */
export class NoSuchSecretError extends TspodError {
  override readonly code = 'ENOSECRET';
  constructor(name: string) {
    super(`no secret with name or id "${name}": no such secret`);
  }
}
