// What the service proxy's engine side refuses before any process is started: names that cannot
// be a file of the services directory, ports that cannot be, a port listed twice, a privileged
// port (in the words run -p uses), an update with no proxy to read it. The proxy itself runs in
// test/unit/kubeproxy and test/integration/kube-proxy.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listServiceProxies, servicesDir, startServiceProxy, stopServiceProxy, updateServiceEndpoints } from '../../../../libpod/kube/service-proxy';
import type { Paths } from '../../../../src/paths';
import type { ServiceEndpoints } from '../../../../libpod/kube/types';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function paths(): Paths {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'svcproxy-'));
  dirs.push(d);
  return { root: d, runroot: d, runtimeDir: d, configDir: d, database: path.join(d, 'db') };
}

const svc = (service: string, ports: Array<Partial<ServiceEndpoints['ports'][number]>>): ServiceEndpoints => ({
  service,
  ports: ports.map((p) => ({ hostIp: '', hostPort: 18080, protocol: 'tcp', endpoints: [30001], ...p })),
});

describe('service proxy (engine side)', () => {
  it('refuses a service name that is not an RFC 1123 label, before writing anything', async () => {
    const p = paths();
    for (const name of ['../x', 'Web', 'a_b', '']) {
      await expect(startServiceProxy(p, svc(name, [{}]))).rejects.toThrow(`invalid service name "${name}": a Service's name must be an RFC 1123 label (lower case letters, digits and "-", at most 63)`);
    }
    expect(fs.existsSync(servicesDir(p))).toBe(false);
  });

  it('refuses ports that cannot be, and one given twice', async () => {
    const p = paths();
    await expect(startServiceProxy(p, svc('web', [{ hostPort: 0 }]))).rejects.toThrow('service "web": invalid host port 0: give a port from 1 to 65535');
    await expect(startServiceProxy(p, svc('web', [{ hostPort: 70000 }]))).rejects.toThrow('service "web": invalid host port 70000');
    await expect(startServiceProxy(p, svc('web', [{ endpoints: [30001, 0] }]))).rejects.toThrow('service "web": invalid endpoint port 0');
    await expect(startServiceProxy(p, svc('web', [{ protocol: 'sctp' as 'tcp' }]))).rejects.toThrow('service "web": protocol sctp cannot be published: only TCP and UDP can');
    await expect(startServiceProxy(p, svc('web', [{}, { hostIp: '0.0.0.0' }]))).rejects.toThrow('service "web" publishes 0.0.0.0:18080/tcp twice: give each port once');
  });

  it('refuses a privileged host port as run -p does, and leaves no file', async () => {
    const start = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'));
    expect(start).toBeGreaterThan(1); // this host's (and Debian's) 1024: there is a privileged port to refuse
    const p = paths();
    await expect(startServiceProxy(p, svc('web', [{ hostPort: start - 1 }]))).rejects.toThrow(
      `cannot publish 0.0.0.0:${start - 1}/tcp for service "web": rootless containers cannot expose privileged ports below ${start} (net.ipv4.ip_unprivileged_port_start=${start}); give the Service a higher port (or nodePort), or let users bind lower ones with "sudo sysctl net.ipv4.ip_unprivileged_port_start=${start - 1}"`,
    );
    expect(listServiceProxies(p)).toEqual([]);
  });

  it('refuses an update no proxy would read, and stops nothing that is not there', async () => {
    const p = paths();
    expect(() => updateServiceEndpoints(p, svc('web', [{}]))).toThrow('no proxy runs for service "web": play the Service again (tspod kube play --replace)');
    expect(await stopServiceProxy(p, 'web')).toBe(false);
    expect(listServiceProxies(p)).toEqual([]);
  });
});
