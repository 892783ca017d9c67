// Quadlet: the declarative .container files systemd users write instead of unit files (Podman's
// format: [Container] keys such as Image=, PublishPort=, Volume=), both ways. `tspod quadlet`
// turns a .container file into a service unit whose ExecStart runs the container afresh;
// `tspod generate quadlet` writes one from an existing container's own command line, which no
// tool did. Pure: the engine reads and writes the files.
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import type { Container } from '../container/container';
import { rewriteCreateCommand } from './generate-systemd';
import { execLine, parseUnit, renderUnit, splitWords, systemdWord, type Section } from './unit-file';

/** [Container] keys that stand for one `run` flag each; a key may repeat where the flag does. */
const KEYS: Array<{ key: string; flags: string[]; bool?: boolean; words?: boolean }> = [
  { key: 'ContainerName', flags: ['--name'] },
  { key: 'Environment', flags: ['-e', '--env'], words: true },
  { key: 'EnvironmentFile', flags: ['--env-file'] },
  { key: 'PublishPort', flags: ['-p', '--publish'] },
  { key: 'Volume', flags: ['-v', '--volume'] },
  { key: 'Mount', flags: ['--mount'] },
  { key: 'Tmpfs', flags: ['--tmpfs'] },
  { key: 'LogDriver', flags: ['--log-driver'] },
  { key: 'LogOpt', flags: ['--log-opt'] },
  { key: 'Secret', flags: ['--secret'] },
  { key: 'Network', flags: ['--network', '--net'] },
  { key: 'NetworkAlias', flags: ['--network-alias'] },
  { key: 'IP', flags: ['--ip'] },
  { key: 'Label', flags: ['-l', '--label'], words: true },
  { key: 'User', flags: ['-u', '--user'] },
  { key: 'WorkingDir', flags: ['-w', '--workdir'] },
  { key: 'HostName', flags: ['--hostname'] },
  { key: 'Entrypoint', flags: ['--entrypoint'] },
  { key: 'AddCapability', flags: ['--cap-add'], words: true },
  { key: 'DropCapability', flags: ['--cap-drop'], words: true },
  { key: 'DNS', flags: ['--dns'] },
  { key: 'DNSSearch', flags: ['--dns-search'] },
  { key: 'DNSOption', flags: ['--dns-option'] },
  { key: 'AddHost', flags: ['--add-host'] },
  { key: 'StopSignal', flags: ['--stop-signal'] },
  { key: 'StopTimeout', flags: ['--stop-timeout'] },
  { key: 'Pull', flags: ['--pull'] },
  { key: 'ReadOnly', flags: ['--read-only'], bool: true },
  { key: 'RunInit', flags: ['--init'], bool: true },
  // user namespaces (issue 19)
  { key: 'UserNS', flags: ['--userns'] },
  { key: 'UIDMap', flags: ['--uidmap'] },
  { key: 'GIDMap', flags: ['--gidmap'] },
  { key: 'SubUIDMap', flags: ['--subuidname'] },
  { key: 'SubGIDMap', flags: ['--subgidname'] },
  { key: 'GroupAdd', flags: ['--group-add'] },
];
const KEY_OF = new Map(KEYS.flatMap((k) => k.flags.map((f) => [f, k] as const)));
/** Keys of ours beyond the flag table. */
const OTHER_KEYS = ['Image', 'Exec', 'Notify', 'NoNewPrivileges', 'PodmanArgs', 'GlobalArgs'];

export interface QuadletFacts {
  binary: string;
  /** --root/--runroot when the store is not the default one. */
  globalArgs: string[];
  runrootSpecifier: string;
  version: string;
}

/** One flag and its value (or none) at a time, from the words of a command line. */
function* flagPairs(flags: string[], valueFlags: ReadonlySet<string>): Generator<[string, string | undefined]> {
  for (let i = 0; i < flags.length; i++) {
    const w = flags[i];
    const eq = w.indexOf('=');
    if (w.startsWith('--') && eq > 0) yield [w.slice(0, eq), w.slice(eq + 1)];
    else if (valueFlags.has(w)) yield [w, flags[++i]];
    else if (!w.startsWith('--') && w.length > 2) for (const l of w.slice(1)) yield [`-${l}`, undefined];
    else yield [w, undefined];
  }
}

/** `generate quadlet`: the container's create command as a .container file. */
export function toQuadlet(c: Container, valueFlags: ReadonlySet<string>, version: string): string {
  const { globals, flags, rest } = rewriteCreateCommand(c.spec.createCommand ?? [], valueFlags, c.name);
  const container: Section = [['Image', c.spec.imageName]];
  const extra: string[] = [];
  for (const [flag, value] of flagPairs(flags, valueFlags)) {
    const k = KEY_OF.get(flag);
    if (k?.bool) {
      if (value === undefined || value === 'true') container.push([k.key, 'true']);
    } else if (k && value !== undefined) container.push([k.key, k.words ? systemdWord(value) : value.replace(/%/g, '%%')]);
    else if (flag === '--security-opt' && value?.startsWith('no-new-privileges') && !value.endsWith('false')) container.push(['NoNewPrivileges', 'true']);
    else if (flag === '-q' || flag === '--quiet') continue;
    else extra.push(flag, ...(value !== undefined ? [value] : []));
  }
  // Notify=true: the container reports its own readiness; only where the user asked for that.
  if (c.spec.sdNotifyMode === 'container' && c.spec.createCommand.some((w) => w.startsWith('--sdnotify'))) container.push(['Notify', 'true']);
  const cmd = rest.slice(1);
  if (cmd.length) container.push(['Exec', cmd.map((w) => systemdWord(w)).join(' ')]);
  if (extra.length) container.push(['PodmanArgs', extra.map((w) => systemdWord(w)).join(' ')]);
  if (globals.length) container.push(['GlobalArgs', globals.map((w) => systemdWord(w)).join(' ')]);
  const restart = c.spec.restartPolicy?.name;
  const service: Section = [['Restart', restart === 'always' || restart === 'unless-stopped' ? 'always' : restart === 'on-failure' ? 'on-failure' : 'no']];
  return renderUnit({
    header: [`${c.name}.container: a quadlet file for container ${c.name}, written by tspod ${version}`, `Install it in ~/.config/containers/systemd/, then: systemctl --user daemon-reload; systemctl --user start ${c.name}`],
    sections: [
      ['Unit', [['Description', `The ${c.name} container`]]],
      ['Container', container],
      ['Service', service],
      ['Install', [['WantedBy', 'default.target']]],
    ],
  });
}

/** The long form of a key's flag (what the generated command line uses). */
const canonical = (flags: string[]) => flags.find((f) => f.startsWith('--'))!;

/** A word from a .container file into ExecStart=: requoted, its specifiers and $ left for systemd. */
const unitWord = (w: string) => ({ raw: systemdWord(w, { unitSyntax: true }) });

/** `tspod quadlet`: a .container file as the service unit systemd runs; its name is the file's with .service. */
export function fromQuadlet(text: string, file: string, facts: QuadletFacts): { unitName: string; text: string } {
  const sections = parseUnit(text, file);
  const containerSection = sections.filter((s) => s.name === 'Container').flatMap((s) => s.entries);
  if (!sections.some((s) => s.name === 'Container')) throw new InvalidArgumentError(`${file}: no [Container] section: a .container file describes its container there (Image= at least)`);
  const get = (key: string) => containerSection.filter(([k]) => k === key).map(([, v]) => v);
  for (const [k] of containerSection) {
    if (!KEYS.some((x) => x.key === k) && !OTHER_KEYS.includes(k)) throw new InvalidArgumentError(`${file}: unsupported key "${k}" in [Container]: tspod knows ${[...KEYS.map((x) => x.key), ...OTHER_KEYS].join(', ')}`);
  }
  const image = get('Image').pop();
  if (!image) throw new InvalidArgumentError(`${file}: [Container] has no Image=: name the image to run`);
  const where = (key: string) => `${file}: ${key}=`;
  const base = path.basename(file).replace(/\.container$/, '');
  const names = get('ContainerName');
  const args: Array<string | { raw: string }> = [{ raw: `--name=${names.length ? systemdWord(names[names.length - 1], { unitSyntax: true }) : 'systemd-%N'}` }, { raw: '--cidfile=%t/%N.cid' }, '--replace', '--rm', '-d'];
  const notify = get('Notify').pop() === 'true';
  args.push(`--sdnotify=${notify ? 'container' : 'conmon'}`);
  for (const k of KEYS) {
    if (k.key === 'ContainerName') continue;
    for (const v of get(k.key)) {
      if (k.bool) {
        if (v === 'true' || v === 'yes') args.push(canonical(k.flags));
        continue;
      }
      const values = k.words ? splitWords(v, where(k.key)) : [v];
      for (const one of values) args.push(unitWord(`${canonical(k.flags)}=${one}`));
    }
  }
  if (get('NoNewPrivileges').pop() === 'true') args.push('--security-opt=no-new-privileges');
  for (const v of get('PodmanArgs')) args.push(...splitWords(v, where('PodmanArgs')).map(unitWord));
  args.push(unitWord(image));
  for (const v of get('Exec')) args.push(...splitWords(v, where('Exec')).map(unitWord));
  // The file's GlobalArgs= name its store; without them, the store `tspod quadlet` itself was given.
  const fileGlobals = get('GlobalArgs').flatMap((v) => splitWords(v, where('GlobalArgs')).map(unitWord));
  const globals = fileGlobals.length ? fileGlobals : facts.globalArgs;
  const bin = facts.binary;
  const stop = [bin, ...globals, 'rm', '-f', '--ignore', { raw: '--cidfile=%t/%N.cid' }];
  const copied = (name: string) => sections.filter((s) => s.name === name).flatMap((s) => s.entries);
  const unit: Section = [['Wants', 'network-online.target'], ['After', 'network-online.target'], ['SourcePath', file], ['RequiresMountsFor', facts.runrootSpecifier], ...copied('Unit')];
  const service: Section = [
    ['Environment', 'TSPOD_SYSTEMD_UNIT=%n'],
    ['KillMode', 'mixed'],
    ['ExecStart', execLine([bin, ...globals, 'run', ...args], 2 + globals.length)],
    ['ExecStop', execLine(stop, 99)],
    ['ExecStopPost', `-${execLine(stop, 99)}`],
    ['Type', 'notify'],
    ['NotifyAccess', 'all'],
    ['SyslogIdentifier', '%N'],
    ...copied('Service'),
  ];
  const out = renderUnit({
    header: [`${base}.service, made by tspod quadlet ${facts.version} from ${file}`],
    sections: [['Unit', unit], ['X-Container', copied('Container')], ['Service', service], ...(copied('Install').length ? ([['Install', copied('Install')]] as Array<[string, Section]>) : [])],
  });
  return { unitName: `${base}.service`, text: out };
}
