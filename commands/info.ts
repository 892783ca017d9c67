import { Command, Option } from 'clipanion';
import { TspodCommand } from './tspod-command';
import { formatOutput, isJsonFormat } from '../src/go-template';
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
    else if (isJsonFormat(this.format)) this.write(`${JSON.stringify(report, null, 2)}\n`);
    else this.write(formatOutput(goNames(report), this.format, 'info'));
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

/**
 * Go field names that differ from the JSON keys by more than case or underscores (libpod/define/
 * info.go): templates find the rest by themselves ({{.Host.OCIRuntime.Path}}, {{.Host.OS}}).
 */
const GO_ALIASES: Record<string, string> = { cgroupVersion: 'CgroupsVersion', capabilities: 'DefaultCapabilities' };

/** Maps, not structs, in Podman's report: their keys are data. */
const MAPS = new Set(['registries', 'graphStatus']);

/** The report with those Go names added as hidden fields: templates see them, JSON does not. */
function goNames(value: unknown): unknown {
  if (Array.isArray(value)) value.forEach(goNames);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (GO_ALIASES[k]) Object.defineProperty(o, GO_ALIASES[k], { value: v, enumerable: false });
      if (!MAPS.has(k)) goNames(v);
    }
  }
  return value;
}
