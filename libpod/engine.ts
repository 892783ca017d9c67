// The engine facade: the one object commands call. It owns the resolved paths and config and
// opens the state database only when an operation needs it.
import os from 'node:os';
import type { Paths } from '../src/paths';
import { ensurePrivateDir } from '../src/paths';
import { VERSION, GIT_COMMIT, BUILT } from '../src/version';
import { PrerequisiteError } from '../src/errors';
import { loadConfig, type Config } from './config/config';
import { loadRegistriesConf } from './config/registries-conf';
import { State } from './state/state';
import { ARCH_NAMES, gatherHostInfo } from './host/host-info';
import { checkHost, type Check } from './host/prerequisites';
import { buildInfoReport, type InfoReport } from './host/info-report';

export interface VersionReport {
  Client: {
    APIVersion: string;
    Version: string;
    NodeVersion: string;
    GitCommit: string;
    BuiltTime: string;
    Built: number;
    OsArch: string;
    Os: string;
  };
}

export interface SystemCheckReport {
  checks: Check[];
  errors: number;
  warnings: number;
}

export class Engine {
  private state?: State;
  readonly config: Config;

  constructor(readonly paths: Paths) {
    this.config = loadConfig(paths.configDir);
  }

  /** Opens the state database on first use, creating the data and runtime directories (0700). */
  db(): State {
    if (!this.state) {
      ensurePrivateDir(this.paths.root);
      ensurePrivateDir(this.paths.runroot);
      this.state = State.open(this.paths.database);
    }
    return this.state;
  }

  close(): void {
    this.state?.close();
    this.state = undefined;
  }

  version(): VersionReport {
    const arch = ARCH_NAMES[process.arch] ?? process.arch;
    return {
      Client: {
        APIVersion: VERSION,
        Version: VERSION,
        NodeVersion: process.version,
        GitCommit: GIT_COMMIT,
        BuiltTime: BUILT ? new Date(BUILT * 1000).toUTCString() : '',
        Built: BUILT,
        OsArch: `${os.platform()}/${arch}`,
        Os: os.platform(),
      },
    };
  }

  async info(): Promise<InfoReport> {
    const host = await gatherHostInfo(this.config, this.paths);
    const state = this.db();
    return buildInfoReport({ host, paths: this.paths, config: this.config, registries: loadRegistriesConf(this.paths.configDir), state, version: this.version() });
  }

  /** Every prerequisite with its fix; throws PrerequisiteError (exit 125) after the report when any is missing. */
  async systemCheck(): Promise<SystemCheckReport> {
    const host = await gatherHostInfo(this.config, this.paths);
    const checks = checkHost(host, this.config);
    const stateProblems = this.db().integrityCheck();
    checks.push(
      stateProblems.length
        ? { name: 'state database', severity: 'error', message: `${this.paths.database} fails its integrity check: ${stateProblems.slice(0, 3).join('; ')}`, fix: `move it aside (mv ${this.paths.database} ${this.paths.database}.bad) and restore a backup` }
        : { name: 'state database', severity: 'ok', message: `${this.paths.database} (schema ${this.db().schemaVersion()}, integrity ok)` },
    );
    return {
      checks,
      errors: checks.filter((c) => c.severity === 'error').length,
      warnings: checks.filter((c) => c.severity === 'warning').length,
    };
  }
}

export function assertCheckPassed(report: SystemCheckReport): void {
  if (report.errors > 0) {
    throw new PrerequisiteError(`${report.errors} prerequisite${report.errors === 1 ? ' is' : 's are'} missing: apply the fixes above, then run "tspod system check" again`);
  }
}
