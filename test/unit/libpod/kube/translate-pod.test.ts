import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { translatePod } from '../../../../libpod/kube/translate-pod';
import { template, testContext } from './helpers';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-tr-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('translatePod: the pod', () => {
  it('takes host name, aliases, DNS, shared PID, restart policy, labels, sysctls and hostPorts', () => {
    const t = translatePod(
      template(`apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web, tier: front}
spec:
  hostname: front
  shareProcessNamespace: true
  restartPolicy: OnFailure
  terminationGracePeriodSeconds: 5
  hostAliases:
  - ip: 10.1.2.3
    hostnames: [db, db.local]
  dnsConfig:
    nameservers: [1.1.1.1]
    searches: [example.com]
    options: [{name: ndots, value: "2"}, {name: edns0}]
  securityContext:
    sysctls: [{name: net.ipv4.ping_group_range, value: "0 0"}]
  containers:
  - name: app
    image: busybox:1.36
    ports:
    - {containerPort: 80, hostPort: 8080}
    - {name: metrics, containerPort: 9090}
    - {containerPort: 53, hostPort: 5353, hostIP: 127.0.0.1, protocol: UDP}
`),
      testContext(tmp()),
    );
    expect(t.pod).toEqual({
      name: 'web',
      infra: true,
      share: '+pid',
      hostname: 'front',
      labels: ['app=web', 'tier=front'],
      publish: ['8080:80/tcp', '127.0.0.1:5353:53/udp'],
      addHosts: ['db:10.1.2.3', 'db.local:10.1.2.3'],
      dns: ['1.1.1.1'],
      dnsSearch: ['example.com'],
      dnsOptions: ['ndots:2', 'edns0'],
      volumes: [],
      exitPolicy: 'stop',
      restart: 'on-failure',
      sysctls: ['net.ipv4.ping_group_range=0 0'],
    });
    expect(t.containerPorts).toEqual([
      { containerPort: 80, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
      { containerPort: 53, protocol: 'UDP' },
    ]);
    expect(t.containers[0].create).toMatchObject({ name: 'web-app', restart: 'on-failure', stopTimeout: 5, labels: ['app=web', 'tier=front'] });
  });

  it('uses the host network with hostNetwork, and the pod name as host name by default', () => {
    const ctx = testContext(tmp(), '', { podName: 'a-very-long-deployment-name-that-goes-on-and-on-and-on-and-on-pod-0' });
    const yaml = (extra: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n${extra}  containers: [{name: c, image: busybox}]\n`;
    expect(translatePod(template(yaml('')), ctx).pod.hostname).toBe('a-very-long-deployment-name-that-goes-on-and-on-and-on-and-on-p');
    const host = translatePod(template(yaml('  hostNetwork: true\n')), ctx).pod;
    expect(host.network).toBe('host');
    expect(host.hostname).toBeUndefined();
  });

  it('maps restart policies (Always, OnFailure, Never) and refuses others', () => {
    const yaml = (p: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  restartPolicy: ${p}\n  containers: [{name: c, image: busybox}]\n`;
    const ctx = testContext(tmp());
    expect(['Always', 'OnFailure', 'Never'].map((p) => translatePod(template(yaml(p)), ctx).containers[0].create.restart)).toEqual(['always', 'on-failure', 'no']);
    expect(() => translatePod(template(yaml('Sometimes')), ctx)).toThrow('f.yaml, document 1: spec.restartPolicy: unknown policy "Sometimes": use Always, OnFailure or Never');
  });

  it('refuses hostAliases with --no-hosts, duplicate container names and a pod without containers', () => {
    const ctx = testContext(tmp(), '', { noHosts: true });
    expect(() => translatePod(template('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  hostAliases: [{ip: 1.2.3.4, hostnames: [a]}]\n  containers: [{name: c, image: busybox}]\n'), ctx)).toThrow('f.yaml, document 1: spec.hostAliases cannot be written with --no-hosts: drop one of them');
    expect(() => translatePod(template('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  initContainers: [{name: c, image: busybox}]\n  containers: [{name: c, image: busybox}]\n'), testContext(tmp()))).toThrow('f.yaml, document 1: spec.containers[0].name: container name "c" is used twice in the pod');
    expect(() => translatePod(template('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: []\n'), testContext(tmp()))).toThrow('f.yaml, document 1: spec.containers is empty: a pod needs at least one container');
  });

  it('refuses bad ports: out of range, names that are no service names, a hostPort twice', () => {
    const yaml = (ports: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    ports: ${ports}\n`;
    const ctx = testContext(tmp());
    expect(() => translatePod(template(yaml('[{containerPort: 70000}]')), ctx)).toThrow('f.yaml, document 1: spec.containers[0].ports[0].containerPort must be a port number from 1 to 65535');
    expect(() => translatePod(template(yaml('[{containerPort: 80, name: HTTP_PORT}]')), ctx)).toThrow('f.yaml, document 1: spec.containers[0].ports[0].name: invalid port name "HTTP_PORT"');
    expect(() => translatePod(template(yaml('[{containerPort: 80, hostPort: 8080}, {containerPort: 81, hostPort: 8080}]')), ctx)).toThrow('f.yaml, document 1: spec.containers[0].ports[1].hostPort: 8080/TCP is published twice in the pod');
  });
});

describe('translatePod: containers', () => {
  it('names containers <pod>-<container>, init containers first, with command, args, workingDir, stdin, tty and pull policy', () => {
    const t = translatePod(
      template(`apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations: {io.podman.annotations.init.container.type: always}
spec:
  initContainers:
  - name: setup
    image: busybox
    command: [sh, -c, "echo init"]
  containers:
  - name: app
    image: registry.local/app:1.0
    imagePullPolicy: Always
    command: [/bin/server]
    args: [--port, "8080"]
    workingDir: /srv
    stdin: true
    tty: true
  - name: side
    image: busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000
    args: [sleep, "1000"]
`),
      testContext(tmp(), '', { annotations: ['team=a'] }),
    );
    expect(t.containers.map((c) => [c.name, c.init, c.initType, c.create.name, c.create.pull, c.create.restart])).toEqual([
      ['setup', true, 'always', 'web-setup', 'newer', 'no'],
      ['app', false, undefined, 'web-app', 'always', 'always'],
      ['side', false, undefined, 'web-side', 'missing', 'always'],
    ]);
    expect(t.containers[0].create.entrypoint).toBe('["sh","-c","echo init"]');
    expect(t.containers[0].create.command).toEqual([]);
    expect(t.containers[1].create).toMatchObject({ image: 'registry.local/app:1.0', entrypoint: '["/bin/server"]', command: ['--port', '8080'], workdir: '/srv', interactive: true, tty: true, annotations: ['io.podman.annotations.init.container.type=always', 'team=a'] });
    expect(t.containers[2].create.entrypoint).toBeUndefined();
    expect(t.containers[2].create.command).toEqual(['sleep', '1000']);
  });

  it('maps each imagePullPolicy and refuses an unknown one', () => {
    const yaml = (p: string, image = 'busybox:1') => `apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: c, image: "${image}"${p ? `, imagePullPolicy: ${p}` : ''}}]\n`;
    const ctx = testContext(tmp());
    const pull = (p: string, image?: string) => translatePod(template(yaml(p, image)), ctx).containers[0].create.pull;
    expect([pull('Always'), pull('Never'), pull('IfNotPresent'), pull(''), pull('', 'busybox'), pull('', 'busybox:latest'), pull('', 'localhost:5000/busybox')]).toEqual(['always', 'never', 'missing', 'missing', 'newer', 'newer', 'newer']);
    expect(() => pull('Sometimes')).toThrow('f.yaml, document 1: spec.containers[0].imagePullPolicy: unknown imagePullPolicy "Sometimes": use Always, IfNotPresent or Never');
  });

  it('refuses a container without image, and names that are not DNS labels', () => {
    const ctx = testContext(tmp());
    expect(() => translatePod(template('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: c}]\n'), ctx)).toThrow('f.yaml, document 1: spec.containers[0].image: container "c" has no image: give one');
    expect(() => translatePod(template('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: my_app, image: busybox}]\n'), ctx)).toThrow('f.yaml, document 1: spec.containers[0].name: invalid container name "my_app": a DNS-1123 label');
    expect(() => translatePod(template('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: c, image: busybox, command: [sleep, 10]}]\n'), ctx)).toThrow('f.yaml, document 1: spec.containers[0].command must be a list of strings (quote numbers: "8080")');
  });

  it('applies kube play\'s log driver, userns and no-hosts to every container', () => {
    const ctx = testContext(tmp(), '', { logDriver: 'k8s-file', logOptions: ['max-size=1m'], userns: 'keep-id', noHosts: true });
    const t = translatePod(template('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: c, image: busybox}, {name: d, image: busybox}]\n'), ctx);
    for (const c of t.containers) {
      expect(c.create.logsSecrets).toEqual({ logDriver: 'k8s-file', logOpts: ['max-size=1m'], secrets: [], rootfs: false, envMerge: [], httpProxy: true });
      expect(c.create.userns).toEqual({ userns: 'keep-id', uidmap: [], gidmap: [], groupAdd: [], hostuser: [], passwd: true });
      expect(c.create.noHosts).toBe(true);
    }
    expect(t.pod).toMatchObject({ userns: 'keep-id', noHosts: true });
  });
});
