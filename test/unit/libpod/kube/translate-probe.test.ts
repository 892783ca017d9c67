import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { checkHealthFlags, healthCheck } from '../../../../libpod/container/health-flags';
import { containerHealth, probeCommand } from '../../../../libpod/kube/translate-probe';
import { translatePod } from '../../../../libpod/kube/translate-pod';
import { template, testContext } from './helpers';

// The checks run here as the monitor runs them in a busybox container: sh -c with busybox's
// wget and nc (and no curl) on PATH.
const BUSYBOX = '/usr/bin/busybox';
let bin = '';
let server: http.Server;
let tcp: net.Server;
let httpPort = 0;
let tcpPort = 0;
let closedPort = 0;

beforeAll(async () => {
  bin = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-probe-'));
  for (const tool of ['sh', 'wget', 'nc']) fs.symlinkSync(BUSYBOX, path.join(bin, tool));
  server = http.createServer((req, res) => {
    res.statusCode = req.url === '/healthz' && req.headers['x-probe'] === 'yes' ? 200 : req.url === '/healthz' ? 403 : req.url === '/ok' ? 200 : 500;
    res.end('.');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  httpPort = (server.address() as AddressInfo).port;
  // A server that never answers nor closes: the check must still pass on connect.
  tcp = net.createServer(() => undefined);
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  tcpPort = (tcp.address() as AddressInfo).port;
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closedPort = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
});
afterAll(() => {
  server.close();
  tcp.close();
  fs.rmSync(bin, { recursive: true, force: true });
});

/** Runs a --health-cmd value as the monitor would (CMD-SHELL through sh -c, CMD directly); async, as the HTTP server is in this process. */
function runCheck(cmd: string): Promise<number> {
  const test = JSON.parse(cmd) as string[];
  const argv = test[0] === 'CMD-SHELL' ? ['sh', '-c', test[1]] : test.slice(1);
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { env: { PATH: bin }, timeout: 10_000, stdio: 'ignore' });
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

const W = 'f.yaml, document 1';

describe('probe commands, run with busybox', () => {
  it('httpGet: passes on 200, fails on a 4xx or 5xx status, sends headers, finds a named port', async () => {
    const ports = [{ name: 'web', containerPort: httpPort }];
    const get = (g: Record<string, unknown>) => probeCommand({ httpGet: g }, ports, W, 'p');
    expect(await runCheck(get({ path: '/ok', port: httpPort, host: '127.0.0.1' }))).toBe(0);
    expect(await runCheck(get({ path: '/broken', port: 'web', host: '127.0.0.1' }))).toBe(1);
    expect(await runCheck(get({ path: '/healthz', port: httpPort, host: '127.0.0.1' }))).toBe(1);
    expect(await runCheck(get({ path: '/healthz', port: httpPort, host: '127.0.0.1', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] }))).toBe(0);
    expect(await runCheck(get({ path: '/ok', port: closedPort, host: '127.0.0.1' }))).toBe(1);
  });

  it('tcpSocket: passes when something listens (even if it never answers), fails when refused', async () => {
    expect(await runCheck(probeCommand({ tcpSocket: { port: tcpPort, host: '127.0.0.1' } }, [], W, 'p'))).toBe(0);
    expect(await runCheck(probeCommand({ tcpSocket: { port: closedPort, host: '127.0.0.1' } }, [], W, 'p'))).toBe(1);
  });

  it('exec: runs the command as it is, without a shell', async () => {
    const cmd = probeCommand({ exec: { command: ['sh', '-c', 'exit 3'] } }, [], W, 'p');
    expect(cmd).toBe('["CMD","sh","-c","exit 3"]');
    expect(await runCheck(cmd)).toBe(3);
  });

  it('quotes host and path for the shell', () => {
    const cmd = probeCommand({ httpGet: { path: "/x';touch /tmp/pwned;'", port: 80 } }, [], W, 'p');
    expect(JSON.parse(cmd)[1]).toContain("'http://localhost:80/x'\\'';touch /tmp/pwned;'\\'''");
  });

  it('refuses an unknown port name, a gRPC probe and a probe with no handler', () => {
    expect(() => probeCommand({ httpGet: { port: 'metrics' } }, [], W, 'spec.containers[0].livenessProbe')).toThrow('f.yaml, document 1: spec.containers[0].livenessProbe.httpGet.port: no container port is named "metrics": name one in ports, or give the number');
    expect(() => probeCommand({ grpc: { port: 9000 } }, [], W, 'p')).toThrow('f.yaml, document 1: p.grpc: gRPC probes are not supported by tspod: use exec, httpGet or tcpSocket');
    expect(() => probeCommand({ periodSeconds: 3 }, [], W, 'p')).toThrow('f.yaml, document 1: p needs exec, httpGet or tcpSocket');
  });
});

describe('probes as health options', () => {
  const probe = { exec: { command: ['true'] }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 4, initialDelaySeconds: 7 };

  it('takes the liveness probe with its timing, restarting the container on failure as its policy says', () => {
    const h = containerHealth({ livenessProbe: probe }, [], 'always', W, 'c')!;
    expect(h).toEqual({ cmd: '["CMD","true"]', interval: '5s', timeout: '2s', retries: '4', startPeriod: '7s', onFailure: 'restart' });
    expect(containerHealth({ livenessProbe: probe }, [], 'no', W, 'c')!.onFailure).toBe('kill');
    // The options pass create's own checks and make the check the monitor runs.
    checkHealthFlags(h);
    expect(healthCheck(h, undefined)).toMatchObject({ test: ['CMD', 'true'], intervalMs: 5000, timeoutMs: 2000, retries: 4, startPeriodMs: 7000, onFailure: 'restart' });
  });

  it('uses Kubernetes\' defaults: every 10 s, 1 s timeout, 3 failures', () => {
    expect(containerHealth({ livenessProbe: { exec: { command: ['true'] } } }, [], 'always', W, 'c')).toEqual({ cmd: '["CMD","true"]', interval: '10s', timeout: '1s', retries: '3', startPeriod: '0s', onFailure: 'restart' });
  });

  it('takes the readiness probe as the check when there is no liveness probe (a rolling update waits for it), never restarting on it', () => {
    const h = containerHealth({ readinessProbe: { ...probe, successThreshold: 2 } }, [], 'always', W, 'c')!;
    expect(h.onFailure).toBeUndefined();
    expect(h.cmd).toBe('["CMD","true"]');
  });

  it('takes the startup probe as the startup check, with a passing regular check when it is alone', () => {
    const h = containerHealth({ startupProbe: { ...probe, failureThreshold: 30 } }, [], 'always', W, 'c')!;
    expect(h).toEqual({ cmd: 'exit 0', interval: '5s', timeout: '2s', startupCmd: '["CMD","true"]', startupInterval: '5s', startupTimeout: '2s', startupRetries: '30' });
    checkHealthFlags(h);
    expect(healthCheck(h, undefined)?.startup).toMatchObject({ test: ['CMD', 'true'], intervalMs: 5000, retries: 30 });
  });

  it('refuses bad timing values and a liveness successThreshold other than 1', () => {
    expect(() => containerHealth({ livenessProbe: { ...probe, periodSeconds: 0 } }, [], 'always', W, 'spec.containers[0]')).toThrow('f.yaml, document 1: spec.containers[0].livenessProbe.periodSeconds must be a whole number of at least 1');
    expect(() => containerHealth({ livenessProbe: { ...probe, successThreshold: 2 } }, [], 'always', W, 'spec.containers[0]')).toThrow('f.yaml, document 1: spec.containers[0].livenessProbe.successThreshold must be 1');
  });

  it('reaches the container\'s create options; init containers may not have probes', () => {
    const ctx = testContext(fs.mkdtempSync(path.join(os.tmpdir(), 'kube-probe-ctx-')));
    const t = translatePod(template('apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: app\n    image: busybox\n    ports: [{name: http, containerPort: 8080}]\n    readinessProbe: {httpGet: {port: http, path: /ready}}\n'), ctx);
    expect(JSON.parse(t.containers[0].create.health!.cmd!)[1]).toContain("'http://localhost:8080/ready'");
    expect(t.readiness).toEqual({ app: t.containers[0].create.health });
    expect(() => translatePod(template('apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  initContainers:\n  - {name: i, image: busybox, livenessProbe: {exec: {command: [true]}}}\n  containers: [{name: app, image: busybox}]\n'), ctx)).toThrow('f.yaml, document 1: spec.initContainers[0]: an init container cannot have lifecycle, livenessProbe, readinessProbe or startupProbe');
  });
});
