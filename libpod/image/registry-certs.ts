// The TLS material for one registry, found as containers-image finds it: a directory of *.crt
// files (extra certificate authorities, added to the system's) and *.cert/*.key pairs (a client
// certificate). --cert-dir names the directory; otherwise the registry's own directory under
// $XDG_CONFIG_HOME/containers/certs.d, /etc/containers/certs.d and /etc/docker/certs.d is used,
// the first that exists.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { InvalidArgumentError } from '../../src/errors';

export interface RegistryTls {
  ca?: string[];
  cert?: string;
  key?: string;
}

function defaultDirs(host: string): string[] {
  const configHome = process.env.XDG_CONFIG_HOME && path.isAbsolute(process.env.XDG_CONFIG_HOME) ? process.env.XDG_CONFIG_HOME : path.join(process.env.HOME || os.homedir(), '.config');
  return [path.join(configHome, 'containers', 'certs.d', host), path.join('/etc/containers/certs.d', host), path.join('/etc/docker/certs.d', host)];
}

/** The directory's certificates, or undefined when there is none to use (the system's trust alone). */
export function registryTls(host: string, certDir: string | undefined): RegistryTls | undefined {
  let dir = certDir;
  if (dir !== undefined) {
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new InvalidArgumentError(`--cert-dir ${dir}: no such directory: give a directory holding the registry's *.crt (and *.cert/*.key) files`);
  } else {
    dir = defaultDirs(host).find((d) => fs.existsSync(d));
    if (!dir) return undefined;
  }
  const names = fs.readdirSync(dir).sort();
  const read = (n: string) => fs.readFileSync(path.join(dir, n), 'utf8');
  const extra = names.filter((n) => n.endsWith('.crt')).map(read);
  const certName = names.find((n) => n.endsWith('.cert'));
  const out: RegistryTls = {};
  if (extra.length > 0) out.ca = [...tls.rootCertificates, ...extra];
  if (certName) {
    const keyName = `${certName.slice(0, -'.cert'.length)}.key`;
    if (!names.includes(keyName)) throw new InvalidArgumentError(`${path.join(dir, certName)} has no key: put ${keyName} beside it`);
    out.cert = read(certName);
    out.key = read(keyName);
  }
  return out.ca || out.cert ? out : undefined;
}
