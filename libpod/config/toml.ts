// The one owner of the TOML parser (smol-toml): parse errors become ConfigErrors naming the file.
import { parse } from 'smol-toml';
import { ConfigError } from '../../src/errors';

export function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0];
    throw new ConfigError(`${file} is not valid TOML: ${msg}`);
  }
}
