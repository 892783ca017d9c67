// What the translation gives is what create's and pod create's own parsers take: every mount,
// check, limit, capability, security option, variable, label, port and host entry of a rich pod
// goes through the functions the CLI's flags go through, so a file meets the same checks.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { translatePod } from '../../../../libpod/kube/translate-pod';
import { parseMountFlags, checkDestinations } from '../../../../libpod/volume/volume-spec';
import { checkHealthFlags, healthCheck } from '../../../../libpod/container/health-flags';
import { parseResources } from '../../../../libpod/container/resource-flags';
import { checkSecurity } from '../../../../libpod/container/security-flags';
import { parseEnv, parseLabels } from '../../../../libpod/container/create-spec';
import { parseRestartPolicy } from '../../../../libpod/container/container';
import { capabilities, checkUserIds, processArgs } from '../../../../libpod/oci/spec';
import { parseAddHost, parsePublish, validateDns } from '../../../../libpod/network/network-spec';
import { template, testContext } from './helpers';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-parse-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('the translation as create\'s parsers read it', () => {
  it('passes every option of a rich pod through them', () => {
    const host = tmp();
    const objects = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a.conf: x}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {token: t}\n';
    const t = translatePod(
      template(`apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web, tier: front}
spec:
  restartPolicy: OnFailure
  hostAliases: [{ip: 10.0.0.2, hostnames: [db]}]
  dnsConfig: {nameservers: [192.168.1.1], options: [{name: ndots, value: "3"}]}
  containers:
  - name: app
    image: busybox
    command: [sh, -c]
    args: ["exec httpd -f"]
    env: [{name: A, value: "x=y"}]
    ports: [{containerPort: 80, hostPort: 8080}, {containerPort: 53, hostPort: 5353, protocol: UDP, hostIP: 127.0.0.1}]
    securityContext:
      runAsUser: 1000
      runAsGroup: 1000
      capabilities: {add: [NET_ADMIN, SYS_TIME], drop: [ALL]}
      allowPrivilegeEscalation: false
      seccompProfile: {type: Unconfined}
      seLinuxOptions: {level: "s0:c1,c2"}
    resources: {limits: {memory: 1Gi, cpu: "1.5"}, requests: {memory: 100M, cpu: 10m}}
    livenessProbe: {httpGet: {port: 80, path: /health}, periodSeconds: 3}
    startupProbe: {tcpSocket: {port: 80}, failureThreshold: 10}
    volumeMounts:
    - {name: h, mountPath: /h, readOnly: true}
    - {name: p, mountPath: /p, subPath: sub}
    - {name: c, mountPath: /etc/app}
    - {name: s, mountPath: /run/secrets/app}
    - {name: e, mountPath: /cache}
    - {name: m, mountPath: /dev/shm/x}
    - {name: n, mountPath: /dev/mynull}
  volumes:
  - {name: h, hostPath: {path: ${host}, type: Directory}}
  - {name: p, persistentVolumeClaim: {claimName: data}}
  - {name: c, configMap: {name: cfg}}
  - {name: s, secret: {secretName: s, defaultMode: 0400}}
  - {name: e, emptyDir: {}}
  - {name: m, emptyDir: {medium: Memory, sizeLimit: 1Mi}}
  - {name: n, hostPath: {path: /dev/null, type: CharDevice}}
`),
      testContext(tmp(), objects),
    );
    const c = t.containers[0].create;
    const mounts = c.mounts!.flatMap((m) => parseMountFlags(m));
    checkDestinations(mounts);
    expect(mounts.map((m) => [m.type, m.destination, m.readOnly, m.subpath ?? null, m.tmpfsOptions ?? null])).toEqual([
      ['bind', '/h', true, null, null],
      ['volume', '/p', false, '/sub', null],
      ['bind', '/etc/app', true, null, null],
      ['bind', '/run/secrets/app', true, null, null],
      ['volume', '/cache', false, null, null],
      ['tmpfs', '/dev/shm/x', false, null, ['size=1048576']],
    ]);
    checkHealthFlags(c.health);
    expect(healthCheck(c.health, undefined)).toMatchObject({ intervalMs: 3000, onFailure: 'restart', startup: { retries: 10 } });
    expect(parseResources(c.resources!)).toMatchObject({ memory: 2 ** 30, memoryReservation: 100e6, cpuQuota: 150000, cpuPeriod: 100000, cpuShares: 10 });
    expect(capabilities(c.capAdd, c.capDrop)).toEqual(['CAP_NET_ADMIN', 'CAP_SYS_TIME']);
    const sec = checkSecurity(c.security ?? {}, c.securityOpt, (n) => n, () => '', {});
    expect(sec.noNewPrivileges).toBe(true);
    expect(sec.security).toMatchObject({ seccomp: 'unconfined', labelOpts: ['level:s0:c1,c2'], devices: [{ source: '/dev/null', destination: '/dev/mynull' }] });
    checkUserIds(c.user);
    expect(parseEnv(c.env, [], {})).toEqual(['A=x=y']);
    expect(parseLabels(c.labels)).toEqual({ app: 'web', tier: 'front' });
    expect(parseRestartPolicy(c.restart)).toEqual({ name: 'on-failure', maxRetries: 0 });
    expect(processArgs({ Entrypoint: ['/bin/init'], Cmd: ['default'] }, c.command, JSON.parse(c.entrypoint!))).toEqual(['sh', '-c', 'exec httpd -f']);
    expect(t.pod.publish.flatMap((p) => parsePublish(p)).map((p) => [p.hostIp, p.hostPort, p.containerPort, p.protocol])).toEqual([
      ['', 8080, 80, 'tcp'],
      ['127.0.0.1', 5353, 53, 'udp'],
    ]);
    expect(t.pod.addHosts.map((h) => parseAddHost(h))).toEqual([{ host: 'db', ip: '10.0.0.2' }]);
    validateDns(t.pod.dns);
  });
});
