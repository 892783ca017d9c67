// The one owner of the yaml package, used for Podman's YAML output (`info`).
import type * as Yaml from 'yaml';

/**
 * indentSeq: lists indented under their key, as go-yaml v3 prints (compose config); default off, as sigs.k8s.io/yaml.
 * aliases: false prints an object met twice in full each time (Go's printers never write &anchors).
 */
export function toYaml(value: unknown, options: { indentSeq?: boolean; aliases?: boolean } = {}): string {
  // Loaded on use: only a few commands print YAML.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require('yaml') as typeof Yaml;
  // Go's YAML (sigs.k8s.io/yaml, what Podman prints with) does not indent a list under its key.
  return yaml.stringify(value, { lineWidth: 0, indentSeq: options.indentSeq ?? false, aliasDuplicateObjects: options.aliases ?? true });
}
