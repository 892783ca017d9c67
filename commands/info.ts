import { Command, Option } from 'clipanion';
import { TspodCommand } from './tspod-command';
import { formatOutput } from '../src/go-template';
import { toYaml } from '../src/yaml-output';

export default class InfoCommand extends TspodCommand {
  static override paths = [['info'], ['system', 'info']];
  static override usage = Command.Usage({
    description: 'Display tspod related system information',
    details: "Reports the host (kernel, cgroups, OCI runtime, user namespace ID mappings and the tools that set them up, FUSE/TUN devices, overlay support, network helpers), the storage, the registries search list, the plugins and the version, under Podman's keys. `tspod system check` turns the same facts into a list of missing prerequisites with fixes.",
    examples: [
      ['Show everything', '$0 info'],
      ['The OCI runtime path', "$0 info --format '{{.Host.OCIRuntime.Path}}'"],
    ],
  });
  format = Option.String('-f,--format', { description: 'format the output: json or a Go template' });

  async execute(): Promise<number> {
    const report = await this.engine.info();
    // Podman prints the YAML with Println: a blank line ends it.
    if (!this.format) this.write(`${toYaml(sortedKeys(report))}\n`);
    // Podman indents info's JSON by two spaces.
    else if (/^\s*(json|\{\{\s*json\s*\.?\s*\}\})\s*$/.test(this.format)) this.write(`${JSON.stringify(report, null, 2)}\n`);
    else this.write(formatOutput(goNames(report), this.format));
    return 0;
  }
}

/** Podman prints its YAML through JSON, so every map's keys come sorted (bytewise: capitals first). */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Go field names whose JSON keys differ by more than the first letter's case (libpod/define/info.go, idtools.IDMap). */
const GO_NAMES: Record<string, string> = {
  cgroupVersion: 'CgroupsVersion',
  cpus: 'CPUs',
  cpuUtilization: 'CPUUtilization',
  idMappings: 'IDMappings',
  gidmap: 'GIDMap',
  uidmap: 'UIDMap',
  container_id: 'ContainerID',
  host_id: 'HostID',
  ociRuntime: 'OCIRuntime',
  os: 'OS',
  apparmorEnabled: 'AppArmorEnabled',
  capabilities: 'DefaultCapabilities',
  seccompEnabled: 'SECCOMPEnabled',
  seccompProfilePath: 'SECCOMPProfilePath',
  selinuxEnabled: 'SELinuxEnabled',
  slirp4netns: 'Slirp4NetNS',
};

/** Maps, not structs, in Podman's report: their keys are data and stay as they are. */
const MAPS = new Set(['registries', 'graphStatus']);

/** Go templates address fields by Go name ({{.Host.OCIRuntime.Path}}); the JSON/YAML keys stay Podman's lowerCamel. */
function goNames(value: unknown, keepKeys = false): unknown {
  if (Array.isArray(value)) return value.map((v) => goNames(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [keepKeys ? k : (GO_NAMES[k] ?? k.charAt(0).toUpperCase() + k.slice(1)), goNames(v, MAPS.has(k))]));
  }
  return value;
}
