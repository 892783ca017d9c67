// The instructions that change only the image's config (no layer): each takes the stage's config
// and the instruction with its words expanded, and gives the config after it.
import { InvalidArgumentError } from '../../src/errors';
import { parseGoDuration } from '../../src/time-spec';
import type { ContainerConfig } from '../image/image-changes';
import type { Instruction } from './types';

/** The config a build carries: the image's, plus the Docker-format fields OCI images lack. */
export interface BuildConfig extends ContainerConfig {
  Shell?: string[];
  OnBuild?: string[];
}

export interface Words {
  /** The whole argument text, expanded as one word list joined by single spaces is not: see each handler. */
  expandWord(text: string): string;
  expandWords(text: string): string[];
  /** Each word as written, expanded whole (VOLUME's plain form). */
  expandEach(text: string): string[];
  nameValues(keyword: 'ENV' | 'LABEL'): Array<{ name: string; value: string | undefined }>;
}

const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** The shell form's command: the stage's SHELL (or /bin/sh -c) with the text. */
export function shellForm(config: BuildConfig, text: string): string[] {
  return [...(config.Shell ?? DEFAULT_SHELL), text];
}

function jsonOrShell(config: BuildConfig, ins: Instruction): string[] {
  return ins.json ?? shellForm(config, ins.args.trim());
}

/** A variable set again moves to the end, as Podman's (buildah's) ENV does. */
export function setEnv(env: string[], name: string, value: string): string[] {
  return [...env.filter((e) => e.split('=')[0] !== name), `${name}=${value}`];
}

/** HEALTHCHECK [--interval=D --timeout=D --start-period=D --start-interval=D --retries=N] CMD ... | NONE */
function healthcheck(config: BuildConfig, ins: Instruction): ContainerConfig['Healthcheck'] {
  const rest = ins.args.trim();
  if (/^none$/i.test(rest)) {
    if (ins.flags.length) throw new InvalidArgumentError(`line ${ins.line}: HEALTHCHECK NONE takes no options`);
    return { Test: ['NONE'] };
  }
  const m = /^cmd\s+([\s\S]*)$/i.exec(rest);
  if (!m) throw new InvalidArgumentError(`line ${ins.line}: HEALTHCHECK needs "CMD command" or "NONE": ${ins.original}`);
  let json: string[] | undefined;
  try {
    const parsed = JSON.parse(m[1]);
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) json = parsed;
  } catch {
    /* shell form */
  }
  const check: NonNullable<ContainerConfig['Healthcheck']> = { Test: json ? ['CMD', ...json] : ['CMD-SHELL', m[1].trim()] };
  for (const f of ins.flags) {
    const v = f.value ?? '';
    const ns = (flag: string) => parseGoDuration(v, `--${flag}`, 's') * 1e6;
    switch (f.name) {
      case 'interval': check.Interval = ns('interval'); break;
      case 'timeout': check.Timeout = ns('timeout'); break;
      case 'start-period': check.StartPeriod = ns('start-period'); break;
      case 'start-interval': check.StartInterval = ns('start-interval'); break;
      case 'retries':
        if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`line ${ins.line}: invalid HEALTHCHECK --retries "${v}": give a whole number`);
        check.Retries = Number(v);
        break;
      default:
        throw new InvalidArgumentError(`line ${ins.line}: unknown flag for HEALTHCHECK: --${f.name}`);
    }
  }
  void config;
  return check;
}

/** EXPOSE's words as ExposedPorts keys ("80/tcp"); ranges give each port. */
function exposed(words: string[], line: number): string[] {
  const out: string[] = [];
  for (const w of words) {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(w);
    if (!m) throw new InvalidArgumentError(`line ${line}: invalid port "${w}" in EXPOSE: give PORT, PORT/tcp, PORT/udp or a range such as 8000-8010`);
    const first = Number(m[1]);
    const last = m[2] ? Number(m[2]) : first;
    if (first < 1 || last > 65535 || last < first) throw new InvalidArgumentError(`line ${line}: invalid port range "${w}" in EXPOSE`);
    for (let p = first; p <= last; p++) out.push(`${p}/${(m[3] ?? 'tcp').toLowerCase()}`);
  }
  return out;
}

/**
 * The config after a config-only instruction. state.cmdSet tells ENTRYPOINT whether CMD came from
 * this stage. Returns the new config and, for MAINTAINER, the author.
 */
export function applyConfigInstruction(config: BuildConfig, ins: Instruction, words: Words, state: { cmdSet: boolean }): { config: BuildConfig; author?: string } {
  const c: BuildConfig = { ...config };
  switch (ins.keyword) {
    case 'ENV': {
      let env = c.Env ?? [];
      const pairs = words.nameValues('ENV');
      for (const p of pairs) env = setEnv(env, p.name, p.value ?? '');
      c.Env = env;
      break;
    }
    case 'LABEL': {
      const labels = { ...(c.Labels ?? {}) };
      for (const p of words.nameValues('LABEL')) labels[p.name] = p.value ?? '';
      c.Labels = labels;
      break;
    }
    case 'EXPOSE': {
      const ports = { ...(c.ExposedPorts ?? {}) };
      for (const p of exposed(words.expandWords(ins.args), ins.line)) ports[p] = {};
      c.ExposedPorts = ports;
      break;
    }
    case 'VOLUME': {
      const list = ins.json ?? words.expandEach(ins.args);
      if (!list.length || list.some((v) => !v.trim())) throw new InvalidArgumentError(`line ${ins.line}: VOLUME needs at least one path`);
      c.Volumes = { ...(c.Volumes ?? {}), ...Object.fromEntries(list.map((v) => [v, {}])) };
      break;
    }
    case 'USER': {
      const user = words.expandWord(ins.args.trim());
      if (!user) throw new InvalidArgumentError(`line ${ins.line}: USER needs a user name or ID`);
      c.User = user;
      break;
    }
    case 'WORKDIR': {
      const dir = words.expandWord(ins.args.trim());
      if (!dir) throw new InvalidArgumentError(`line ${ins.line}: WORKDIR needs a path`);
      c.WorkingDir = dir.startsWith('/') ? dir : `${(c.WorkingDir || '/').replace(/\/$/, '')}/${dir}`;
      break;
    }
    case 'CMD':
      c.Cmd = jsonOrShell(c, ins);
      state.cmdSet = true;
      break;
    case 'ENTRYPOINT':
      c.Entrypoint = jsonOrShell(c, ins);
      if (!state.cmdSet) delete c.Cmd;
      break;
    case 'SHELL':
      if (!ins.json || !ins.json.length) throw new InvalidArgumentError(`line ${ins.line}: SHELL requires the arguments to be in JSON form, e.g. SHELL ["/bin/bash", "-c"]`);
      c.Shell = ins.json;
      break;
    case 'STOPSIGNAL': {
      const sig = words.expandWord(ins.args.trim());
      if (!/^(SIG)?[A-Z0-9+-]+$/i.test(sig)) throw new InvalidArgumentError(`line ${ins.line}: invalid STOPSIGNAL "${sig}"`);
      c.StopSignal = sig;
      break;
    }
    case 'HEALTHCHECK':
      c.Healthcheck = healthcheck(c, ins);
      break;
    case 'ONBUILD': {
      const trigger = ins.args.trim();
      const kw = trigger.split(/\s+/)[0]?.toUpperCase();
      if (!kw) throw new InvalidArgumentError(`line ${ins.line}: ONBUILD needs an instruction`);
      if (['ONBUILD', 'FROM', 'MAINTAINER'].includes(kw)) throw new InvalidArgumentError(`line ${ins.line}: ${kw} isn't allowed as an ONBUILD trigger`);
      c.OnBuild = [...(c.OnBuild ?? []), trigger];
      break;
    }
    case 'MAINTAINER':
      return { config: c, author: ins.args.trim() };
    default:
      throw new InvalidArgumentError(`line ${ins.line}: ${ins.keyword} is not a config instruction`);
  }
  return { config: c };
}
