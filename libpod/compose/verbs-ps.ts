// `compose ps` and `compose ls` from the containers' com.docker.compose.* labels: ps lists one
// project's containers (sorted by name, as Compose), ls groups every container by its project
// label and counts their states (`running(2)`); neither needs the project's files.
import { InvalidArgumentError } from '../../src/errors';
import type { PsSummary } from '../container/container-report';
import { LABEL } from './types';

/** One container as `compose ps` shows it: Podman's ps summary plus what its labels say. */
export interface ComposePsRow {
  summary: PsSummary;
  project: string;
  service: string;
  number: number;
  oneoff: boolean;
  /** Docker's state name (created, running, paused, restarting, removing, exited, dead). */
  state: string;
}

/** A project as `compose ls` shows it. */
export interface ComposeProjectSummary {
  name: string;
  /** "exited(1), running(2)": each Docker state with its count, sorted by state. */
  status: string;
  /** The files the project was made from, comma separated (the config_files label). */
  configFiles: string;
}

/** The states `ps --status` and `--filter status=` accept (Docker's). */
export const PS_STATES = ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'];

/** tspod's (Podman's) container state as Docker names it. */
export function dockerState(state: string): string {
  switch (state) {
    case 'configured':
      return 'created';
    case 'stopped':
      return 'exited';
    case 'stopping':
      return 'running';
    default:
      return state;
  }
}

export function psRow(s: PsSummary): ComposePsRow {
  const labels = s.labels ?? {};
  return {
    summary: s,
    project: labels[LABEL.project] ?? '',
    service: labels[LABEL.service] ?? '',
    number: Number(labels[LABEL.number] ?? 0) || 0,
    oneoff: (labels[LABEL.oneoff] ?? '').toLowerCase() === 'true',
    state: dockerState(s.state),
  };
}

/** The statuses of --status and --filter status=S together, checked. */
export function psStatuses(status: string[], filters: string[]): string[] {
  const out = [...status];
  for (const f of filters) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`invalid filter "${f}": arguments to --filter should be in form KEY=VAL, e.g. status=running`);
    const key = f.slice(0, eq);
    if (key !== 'status') throw new InvalidArgumentError(`unknown filter "${key}": compose ps filters by status only (--filter status=running)`);
    out.push(f.slice(eq + 1));
  }
  for (const s of out) if (!PS_STATES.includes(s)) throw new InvalidArgumentError(`invalid status "${s}": use one of ${PS_STATES.join(', ')}`);
  return out;
}

/** ps's rows: of the services asked (all when none), with one of the statuses (any when none), sorted by name. */
export function selectPsRows(rows: ComposePsRow[], opts: { services: string[]; status: string[] }): ComposePsRow[] {
  return rows
    .filter((r) => opts.services.length === 0 || opts.services.includes(r.service))
    .filter((r) => opts.status.length === 0 || opts.status.includes(r.state))
    .sort((a, b) => (a.summary.name < b.summary.name ? -1 : a.summary.name > b.summary.name ? 1 : 0));
}

/** ls's projects from every compose container's summary, sorted by name; names: --filter name= (any matches, as a substring like Docker's filter). */
export function listProjects(summaries: PsSummary[], names: string[]): ComposeProjectSummary[] {
  const byProject = new Map<string, { states: Map<string, number>; files: string }>();
  for (const s of summaries) {
    const name = s.labels?.[LABEL.project];
    if (!name) continue;
    let p = byProject.get(name);
    if (!p) byProject.set(name, (p = { states: new Map(), files: '' }));
    const state = dockerState(s.state);
    p.states.set(state, (p.states.get(state) ?? 0) + 1);
    if (!p.files) p.files = s.labels[LABEL.configFiles] ?? '';
  }
  return [...byProject]
    .filter(([name]) => names.length === 0 || names.some((n) => name.includes(n)))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, p]) => ({
      name,
      status: [...p.states].sort(([a], [b]) => (a < b ? -1 : 1)).map(([state, n]) => `${state}(${n})`).join(', '),
      configFiles: p.files,
    }));
}

/** ls --filter: only name= (Compose's only key). */
export function lsNames(filters: string[]): string[] {
  return filters.map((f) => {
    const m = /^name=(.*)$/.exec(f);
    if (!m) throw new InvalidArgumentError(`invalid filter "${f}": compose ls filters by name only (--filter name=NAME)`);
    return m[1];
  });
}
