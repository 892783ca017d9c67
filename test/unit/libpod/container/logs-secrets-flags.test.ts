import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromHumanSize, inspectLogConfig, logFileOf, noLogsReason, parseLogFlags } from '../../../../libpod/container/log-flags';
import { checkLogsSecrets, logsSecretsSpec, mergeEnv, parseRootfs } from '../../../../libpod/container/logs-secrets-flags';
import { goHumanSize } from '../../../../src/human-units';

describe('--log-driver and --log-opt', () => {
  it('reads sizes as go-units does: decimal units', () => {
    expect([fromHumanSize('512'), fromHumanSize('10k'), fromHumanSize('2MB'), fromHumanSize('1.5g'), fromHumanSize('3KiB')]).toEqual([512, 10000, 2000000, 1500000000, 3000]);
    expect(() => fromHumanSize('lots')).toThrow("invalid size: 'lots'");
  });

  it('defaults to nothing recorded, and keeps what is given', () => {
    expect(parseLogFlags({ options: [] }, false)).toBeUndefined();
    expect(parseLogFlags({ driver: 'json-file', options: ['path=logs/out.log', 'max-size=1k', 'tag=web'] }, false, '/home/u')).toEqual({ driver: 'json-file', path: '/home/u/logs/out.log', maxSize: 1000, tag: 'web' });
    expect(parseLogFlags({ options: ['driver=none'] }, false)).toEqual({ driver: 'none' });
  });

  it('refuses journald, unknown drivers and options, passthrough on a terminal, and a file for none', () => {
    expect(() => parseLogFlags({ driver: 'journald', options: [] }, false)).toThrow(/journald log driver is not supported/);
    expect(() => parseLogFlags({ driver: 'gelf', options: [] }, false)).toThrow('invalid log driver "gelf"');
    expect(() => parseLogFlags({ options: ['nokey'] }, false)).toThrow('invalid log option "nokey"');
    expect(() => parseLogFlags({ options: ['mode=non-blocking'] }, false)).toThrow('invalid log option "mode=non-blocking"');
    expect(() => parseLogFlags({ driver: 'passthrough', options: [] }, true)).toThrow("the '--log-driver passthrough' option cannot be used on a TTY");
    expect(parseLogFlags({ driver: 'passthrough', options: [] }, false)).toEqual({ driver: 'passthrough' });
    expect(() => parseLogFlags({ driver: 'none', options: ['max-size=1k'] }, false)).toThrow(/apply to a log file/);
  });

  it('says where the log is, what inspect shows, and why logs has none', () => {
    expect(logFileOf(undefined, '/b/ctr.log')).toBe('/b/ctr.log');
    expect(logFileOf({ driver: 'k8s-file', path: '/x.log' }, '/b/ctr.log')).toBe('/x.log');
    expect(logFileOf({ driver: 'none' }, '/b/ctr.log')).toBeUndefined();
    expect(inspectLogConfig(undefined, '/b/ctr.log', goHumanSize)).toEqual({ Type: 'k8s-file', Config: null, Path: '/b/ctr.log', Tag: '', Size: '0B' });
    expect(inspectLogConfig({ driver: 'passthrough' }, '/b/ctr.log', goHumanSize)).toEqual({ Type: 'passthrough', Config: null, Path: '', Tag: '', Size: '0B' });
    expect(inspectLogConfig({ driver: 'k8s-file', maxSize: 10_000_000, tag: 't' }, '/b/ctr.log', goHumanSize)).toMatchObject({ Tag: 't', Size: '10MB' });
    expect(noLogsReason({ driver: 'none' })).toBe("this container is using the 'none' log driver, cannot read logs: this container is not logging output");
    expect(noLogsReason({ driver: 'k8s-file' })).toBeUndefined();
  });
});

describe('--env-merge, --http-proxy and --rootfs', () => {
  it("expands the image's variables, missing ones empty", () => {
    expect(mergeEnv(['PATH=/opt:${PATH}', 'A=$HOME-x', 'B=${NONE}y'], ['PATH=/bin', 'HOME=/root'])).toEqual(['PATH=/opt:/bin', 'A=/root-x', 'B=y']);
    expect(() => mergeEnv(['=x'], [])).toThrow(/invalid --env-merge "=x"/);
  });

  it('passes our proxy variables the image does not set, before -e', () => {
    const base = { logOpts: [], secrets: [], rootfs: false, envMerge: [], httpProxy: true };
    const checked = checkLogsSecrets('/nonexistent', 'img', base, false, { http_proxy: 'http://p:1', HTTPS_PROXY: 'http://p:2', HOME: '/h' });
    expect(checked.proxyEnv).toEqual(['http_proxy=http://p:1', 'HTTPS_PROXY=http://p:2']);
    expect(logsSecretsSpec(checked, ['HTTPS_PROXY=image']).envBefore).toEqual(['http_proxy=http://p:1']);
    expect(() => checkLogsSecrets('/nonexistent', 'img', { ...base, logDriver: 'passthrough' }, true, {})).toThrow(/cannot be used with --tty/);
    expect(checkLogsSecrets('/nonexistent', 'img', { ...base, httpProxy: false }, false, { http_proxy: 'x' }).proxyEnv).toEqual([]);
  });

  it('takes an existing directory, :O for an overlay, and refuses idmap and a missing path', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rootfs-'));
    try {
      expect(parseRootfs(dir)).toEqual({ path: dir, overlay: false });
      expect(parseRootfs(`${dir}:O`)).toEqual({ path: dir, overlay: true });
      expect(() => parseRootfs(`${dir}:idmap`)).toThrow(/idmap is not supported/);
      expect(() => parseRootfs(path.join(dir, 'none'))).toThrow(`stat ${path.join(dir, 'none')}: no such file or directory`);
      fs.writeFileSync(path.join(dir, 'f'), '');
      expect(() => parseRootfs(path.join(dir, 'f'))).toThrow(/is not a directory/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('logs --follow over a log emptied at max-size', () => {
  it('starts again from the top of the file instead of waiting past its old end', async () => {
    const { readLogs } = await import('../../../../libpod/container/log-reader');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'follow-'));
    const file = path.join(dir, 'ctr.log');
    const line = (t: string) => `2024-01-02T15:04:05.000000000Z stdout F ${t}\n`;
    fs.writeFileSync(file, line('first') + line('second'));
    let out = '';
    let polls = 0;
    const done = readLogs(file, {
      timestamps: false,
      follow: true,
      out: { write: (s: string) => (out += s) } as unknown as NodeJS.WritableStream,
      err: { write: () => true } as unknown as NodeJS.WritableStream,
      isRunning: () => {
        polls++;
        if (polls === 2) fs.writeFileSync(file, line('third')); // emptied, then one line shorter than before
        return polls < 4;
      },
    });
    await done;
    fs.rmSync(dir, { recursive: true, force: true });
    expect(out).toBe('first\nsecond\nthird\n');
  });
});
