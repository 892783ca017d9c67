import { describe, expect, it } from 'vitest';
import { execLine, parseUnit, splitWords, systemdWord } from '../../../../libpod/systemd/unit-file';
import { generateSystemd, rewriteCreateCommand, type GenerateSystemdOptions } from '../../../../libpod/systemd/generate-systemd';
import { fromQuadlet, toQuadlet } from '../../../../libpod/systemd/quadlet';
import { parseSdNotifyMode, readyMessage } from '../../../../libpod/systemd/sd-notify';
import type { Container } from '../../../../libpod/container/container';

const VALUE_FLAGS = new Set(['--name', '-e', '--env', '-p', '--publish', '-v', '--volume', '--cidfile', '--sdnotify', '--restart', '-w', '--workdir', '--network', '-l', '--label', '--root', '--runroot']);

function container(createCommand: string[], over: Partial<Container['spec']> = {}): Container {
  return {
    id: 'c'.repeat(64),
    name: 'web',
    state: 'created',
    createdAt: 0,
    spec: { image: 'busybox', imageId: 'sha256:' + 'b'.repeat(64), imageName: 'docker.io/library/busybox:latest', command: [], env: [], hostname: 'h', labels: {}, terminal: false, stdin: false, readOnly: false, init: false, autoRemove: false, stopSignal: 'SIGTERM', stopTimeout: 10, capAdd: [], capDrop: [], noNewPrivileges: false, network: 'none', runtime: '/usr/sbin/runc', restartPolicy: { name: 'no', maxRetries: 0 }, args: [], createCommand, ...over },
    status: {},
  };
}

const OPTS: GenerateSystemdOptions = { useName: true, new: true, containerPrefix: 'container', separator: '-', noHeader: true, after: [], wants: [], requires: [], env: [] };
const FACTS = { binary: '/opt/tspod/bin/tspod', globalArgs: [], runroot: '/run/user/1000/tspod', runrootSpecifier: '%t/tspod', monitorPidFile: '/run/user/1000/tspod/containers/x/conmon.pid', version: '1.0', now: new Date(0) };

describe('systemd quoting', () => {
  const hard = ['plain', '', 'two words', 'say "hi"', "it's", 'back\\slash', '$HOME', '100%', 'tab\there', 'line\nbreak', ';', '--opt=a b'];
  it('gives back every word through systemd-style splitting (with % and $ as systemd then undoes them)', () => {
    const line = hard.map((w) => systemdWord(w)).join(' ');
    const undone = splitWords(line, 'test').map((w) => w.replace(/%%/g, '%').replace(/\$\$/g, '$'));
    expect(undone).toEqual(hard);
  });
  it('leaves simple words alone and escapes the rest', () => {
    expect(systemdWord('--cidfile=%t/%n.ctr-id', { specifiers: true })).toBe('--cidfile=%t/%n.ctr-id');
    expect(systemdWord('100%')).toBe('100%%');
    expect(systemdWord('a b')).toBe('"a b"');
    expect(systemdWord('')).toBe('""');
    expect(systemdWord(';')).toBe('\\;');
    expect(systemdWord('%h/$X', { unitSyntax: true })).toBe('%h/$X');
  });
  it('breaks long command lines before flags with a continuation', () => {
    expect(execLine(['/bin/tspod', 'run', '--rm', '-e', 'A=b c', 'img'])).toBe('/bin/tspod run \\\n\t--rm \\\n\t-e "A=b c" img');
  });
  it('refuses unbalanced quotes and reads sections, repeats and continuations', () => {
    expect(() => splitWords('"open', 'f:1')).toThrow(/unbalanced " in/);
    const u = parseUnit('# c\n[Container]\nImage=x\nEnvironment=A=1 \\\n  B=2\n; c\nEnvironment=C=3\n', 'f');
    expect(u).toEqual([{ name: 'Container', entries: [['Image', 'x'], ['Environment', 'A=1    B=2'], ['Environment', 'C=3']] }]);
    expect(() => parseUnit('Image=x\n', 'f')).toThrow(/before any \[Section\]/);
    expect(() => parseUnit('[A]\nnot a pair\n', 'f')).toThrow(/f:2: expected KEY=VALUE/);
  });
});

describe('the stored run command rewritten for --new', () => {
  it('keeps globals and flags word for word, drops what the unit sets, and keeps values that look like flags', () => {
    const r = rewriteCreateCommand(['--root', '/r', '--runroot=/rr', 'run', '-dit', '--rm', '--cidfile', '/x', '--replace', '--sdnotify=container', '--restart=always', '-e', '--rm', '--name', 'web', 'busybox', 'sh', '-c', 'x -d'], VALUE_FLAGS, 'web');
    expect(r).toEqual({ globals: ['--root', '/r', '--runroot=/rr'], flags: ['-it', '-e', '--rm', '--name', 'web'], rest: ['busybox', 'sh', '-c', 'x -d'] });
    expect(rewriteCreateCommand(['container', 'create', '-d', 'img'], VALUE_FLAGS, 'c').flags).toEqual([]);
    expect(rewriteCreateCommand(['run', '-de', 'A=1', 'img'], VALUE_FLAGS, 'c')).toEqual({ globals: [], flags: ['-e', 'A=1'], rest: ['img'] });
  });
  it('refuses a container with no run or create command line', () => {
    expect(() => rewriteCreateCommand([], VALUE_FLAGS, 'old')).toThrow(/container old was not made by "tspod run" or "tspod create"/);
  });
  it('maps the restart policy and the timeouts into the unit', () => {
    const c = container(['run', '--restart', 'unless-stopped', 'busybox'], { restartPolicy: { name: 'unless-stopped', maxRetries: 0 }, stopTimeout: 5 });
    const u = generateSystemd(c, OPTS, FACTS, VALUE_FLAGS);
    expect(u.name).toBe('container-web');
    expect(u.text).toMatch(/^Restart=always$/m);
    expect(u.text).toMatch(/^TimeoutStopSec=65$/m);
    expect(u.text).toMatch(/^RequiresMountsFor=%t\/tspod$/m);
    expect(u.text).not.toMatch(/unless-stopped/);
    expect(() => generateSystemd(c, { ...OPTS, restartPolicy: 'sometimes' }, FACTS, VALUE_FLAGS)).toThrow(/invalid --restart-policy/);
    const plain = generateSystemd(c, { ...OPTS, new: false, useName: false }, FACTS, VALUE_FLAGS);
    expect(plain.name).toBe(`container-${c.id}`);
    expect(plain.text).toMatch(new RegExp(`^ExecStart=/opt/tspod/bin/tspod start ${c.id}$`, 'm'));
    expect(plain.text).toMatch(/^PIDFile=\/run\/user\/1000\/tspod\/containers\/x\/conmon\.pid$/m);
  });
});

describe('quadlet', () => {
  it('writes a container as keys, and reads them back into the same run flags', () => {
    const c = container(['run', '-d', '--name', 'web', '-p', '8080:80', '-v', 'data:/data', '-e', 'A=b "c"', '-l', 'x=y z', '--network', 'mynet', '-w', '/srv', '--read-only', '--sdnotify=container', '-t', 'busybox', 'sleep', '100%'], { sdNotifyMode: 'container' });
    const file = toQuadlet(c, VALUE_FLAGS, '1.0');
    const section = parseUnit(file, 'web.container').find((s) => s.name === 'Container')!.entries;
    expect(section).toEqual([
      ['Image', 'docker.io/library/busybox:latest'],
      ['ContainerName', 'web'],
      ['PublishPort', '8080:80'],
      ['Volume', 'data:/data'],
      ['Environment', '"A=b \\"c\\""'],
      ['Label', '"x=y z"'],
      ['Network', 'mynet'],
      ['WorkingDir', '/srv'],
      ['ReadOnly', 'true'],
      ['Notify', 'true'],
      ['Exec', 'sleep 100%%'],
      ['PodmanArgs', '-t'],
    ]);
    const unit = fromQuadlet(file, '/home/u/.config/containers/systemd/web.container', { binary: '/bin/tspod', globalArgs: [], runrootSpecifier: '%t/tspod', version: '1.0' });
    expect(unit.unitName).toBe('web.service');
    const exec = parseUnit(unit.text, 'web.service').find((s) => s.name === 'Service')!.entries.find(([k]) => k === 'ExecStart')![1];
    const argv = splitWords(exec, 'ExecStart').map((w) => w.replace(/%%/g, '%'));
    expect(argv).toEqual(['/bin/tspod', 'run', '--name=web', '--cidfile=%t/%N.cid', '--replace', '--rm', '-d', '--sdnotify=container', '--env=A=b "c"', '--publish=8080:80', '--volume=data:/data', '--network=mynet', '--label=x=y z', '--workdir=/srv', '--read-only', '-t', 'docker.io/library/busybox:latest', 'sleep', '100%']);
  });
  it('writes and reads the user-namespace flags as UserNS=, UIDMap=, GIDMap=, SubUIDMap=, SubGIDMap= and GroupAdd=', () => {
    // Transcribed word for word both ways (whether the flags go together is create's to check).
    const flags = new Set([...VALUE_FLAGS, '--userns', '--uidmap', '--gidmap', '--subuidname', '--subgidname', '--group-add']);
    const c = container(['run', '-d', '--name', 'web', '--userns=keep-id:uid=200', '--uidmap', '0:1:10', '--gidmap=0:1:10', '--subuidname', 'a', '--subgidname', 'b', '--group-add', 'www-data', 'busybox']);
    const file = toQuadlet(c, flags, '1.0');
    const section = parseUnit(file, 'web.container').find((s) => s.name === 'Container')!.entries;
    expect(section.slice(2)).toEqual([['UserNS', 'keep-id:uid=200'], ['UIDMap', '0:1:10'], ['GIDMap', '0:1:10'], ['SubUIDMap', 'a'], ['SubGIDMap', 'b'], ['GroupAdd', 'www-data']]);
    const unit = fromQuadlet(file, '/x/web.container', { binary: '/bin/tspod', globalArgs: [], runrootSpecifier: '%t/tspod', version: '1.0' });
    const exec = parseUnit(unit.text, 'web.service').find((s) => s.name === 'Service')!.entries.find(([k]) => k === 'ExecStart')![1];
    expect(splitWords(exec, 'ExecStart').slice(8, 14)).toEqual(['--userns=keep-id:uid=200', '--uidmap=0:1:10', '--gidmap=0:1:10', '--subuidname=a', '--subgidname=b', '--group-add=www-data']);
  });
  it('names the container systemd-%N by default and keeps the file\'s specifiers for systemd', () => {
    const unit = fromQuadlet('[Container]\nImage=busybox\nVolume=%h/data:/data\n[Install]\nWantedBy=default.target\n', '/x/app.container', { binary: '/bin/tspod', globalArgs: ['--root', '/r'], runrootSpecifier: '%t/tspod', version: '1' });
    expect(unit.text).toMatch(/ExecStart=\/bin\/tspod --root \/r run \\\n\t--name=systemd-%N/);
    expect(unit.text).toMatch(/--volume=%h\/data:\/data/);
    expect(unit.text).toMatch(/^\[Install\]\nWantedBy=default.target$/m);
  });
  it('explains what it cannot convert', () => {
    const facts = { binary: '/b', globalArgs: [], runrootSpecifier: '%t', version: '1' };
    expect(() => fromQuadlet('[Unit]\nDescription=x\n', 'a.container', facts)).toThrow(/no \[Container\] section/);
    expect(() => fromQuadlet('[Container]\nExec=true\n', 'a.container', facts)).toThrow(/has no Image=/);
    expect(() => fromQuadlet('[Container]\nImage=x\nPod=p\n', 'a.container', facts)).toThrow(/unsupported key "Pod"/);
    expect(() => fromQuadlet('[Container]\nImage=x\nExec="open\n', 'a.container', facts)).toThrow(/a.container: Exec=: unbalanced/);
  });
});

describe('sd_notify messages', () => {
  it('says READY with the monitor for conmon, only MAINPID for container, nothing for ignore', () => {
    expect(readyMessage('conmon', 42)).toBe('MAINPID=42\nREADY=1\n');
    expect(readyMessage('container', 42)).toBe('MAINPID=42\n');
    expect(readyMessage('ignore', 42)).toBeNull();
    expect(parseSdNotifyMode(undefined)).toBe('container');
    expect(() => parseSdNotifyMode('on')).toThrow(/invalid --sdnotify "on"/);
  });
});

describe('quadlet keys of issue 19', () => {
  it('writes --log-driver, --log-opt and --secret as LogDriver=, LogOpt= and Secret=, and reads them back', () => {
    const flags = new Set([...VALUE_FLAGS, '--log-driver', '--log-opt', '--secret']);
    const c = container(['run', '-d', '--name', 'web', '--log-driver', 'k8s-file', '--log-opt', 'max-size=10m', '--secret', 'db,type=env,target=PASS', 'busybox']);
    const file = toQuadlet(c, flags, '1.0');
    const section = parseUnit(file, 'web.container').find((s) => s.name === 'Container')!.entries;
    expect(section.filter(([k]) => ['LogDriver', 'LogOpt', 'Secret'].includes(k))).toEqual([['LogDriver', 'k8s-file'], ['LogOpt', 'max-size=10m'], ['Secret', 'db,type=env,target=PASS']]);
    const unit = fromQuadlet(file, '/home/u/.config/containers/systemd/web.container', { binary: '/bin/tspod', globalArgs: [], runrootSpecifier: '%t/tspod', version: '1.0' });
    const exec = parseUnit(unit.text, 'web.service').find((s) => s.name === 'Service')!.entries.find(([k]) => k === 'ExecStart')![1];
    expect(splitWords(exec, 'ExecStart')).toEqual(expect.arrayContaining(['--log-driver=k8s-file', '--log-opt=max-size=10m', '--secret=db,type=env,target=PASS']));
  });
});
