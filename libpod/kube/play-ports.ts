// The host ports a play asks for: --publish merged into each pod's (matched by containerPort, as
// Podman merges them), then every host port of the play checked once: none asked twice, and each
// Service's port free on the host (or already its proxy's, on --replace).
import net from 'node:net';
import { InvalidArgumentError, InvalidStateError } from '../../src/errors';
import type { Runtime } from '../runtime';
import { eachPort, parsePublish } from '../network/network-spec';
import type { PlayPlan } from './play-plan';
import { publishedByProxy } from './play-services';

/** The pod's -p list with --publish's entries replacing those of the same containerPort and protocol. */
export function mergePublish(publish: string[], overrides: string[]): string[] {
  if (!overrides.length) return publish;
  const given = overrides.flatMap((o) => eachPort(parsePublish(o)));
  const overridden = (spec: string) => eachPort(parsePublish(spec)).every((p) => given.some((g) => g.containerPort === p.containerPort && g.protocol === p.protocol));
  return [...publish.filter((p) => !overridden(p)), ...overrides];
}

interface Claim {
  hostIp: string;
  hostPort: number;
  protocol: string;
  who: string;
}

function clash(a: Claim, b: Claim): boolean {
  return a.hostPort === b.hostPort && a.protocol === b.protocol && (a.hostIp === b.hostIp || !a.hostIp || !b.hostIp || a.hostIp === '0.0.0.0' || b.hostIp === '0.0.0.0');
}

export async function checkPorts(rt: Runtime, plan: PlayPlan): Promise<void> {
  const claims: Claim[] = [];
  const claim = (c: Claim) => {
    const other = claims.find((x) => clash(x, c));
    if (other) throw new InvalidArgumentError(`host port ${c.hostPort}/${c.protocol} is asked for twice: by ${other.who} and by ${c.who}: give each a port of its own (a Deployment with several replicas publishes through a Service, not hostPort)`);
    claims.push(c);
  };
  for (const p of plan.pods) {
    if (p.action === 'keep') continue;
    for (const spec of p.translated.pod.publish ?? []) {
      for (const m of eachPort(parsePublish(spec))) if (m.hostPort) claim({ hostIp: m.hostIp, hostPort: m.hostPort, protocol: m.protocol, who: `pod ${p.name}` });
    }
  }
  for (const s of plan.services) {
    for (const port of s.ports) {
      claim({ hostIp: port.hostIp, hostPort: port.hostPort, protocol: port.protocol, who: `Service ${s.name}` });
      if (port.protocol === 'tcp' && !publishedByProxy(rt, s.name, port)) await checkFree(port.hostIp, port.hostPort, `${s.where}: Service ${s.name}`);
    }
  }
}

/** Whether we can listen on the port now: a clear error when another program has it or it is privileged. */
async function checkFree(hostIp: string, port: number, who: string): Promise<void> {
  const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const s = net.createServer();
    s.once('error', (e) => resolve(e as NodeJS.ErrnoException));
    s.listen(port, hostIp, () => s.close(() => resolve(undefined)));
  });
  if (!err) return;
  if (err.code === 'EADDRINUSE') throw new InvalidStateError(`${who}: host port ${port} is in use by another program: give the Service another port (or nodePort), or stop what listens there`);
  if (err.code === 'EACCES') throw new InvalidArgumentError(`${who}: host port ${port} is below the first port an unprivileged user may listen on (net.ipv4.ip_unprivileged_port_start): give the Service a nodePort (type: NodePort, 30000-32767), which the proxy listens on instead`);
  throw new InvalidStateError(`${who}: cannot listen on ${hostIp}:${port}: ${err.message}`);
}
