// The one owner of the yaml package, used for Podman's YAML output (`info`).
import type * as Yaml from 'yaml';

export function toYaml(value: unknown): string {
  // Loaded on use: only a few commands print YAML.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require('yaml') as typeof Yaml;
  return yaml.stringify(value, { lineWidth: 0 });
}
