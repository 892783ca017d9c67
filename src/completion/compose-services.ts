// The service names TAB offers after `tspod compose VERB`: the top-level services: keys of the
// first Compose file found from a directory upwards (compose.yaml, compose.yml, docker-compose.yaml,
// docker-compose.yml, or COMPOSE_FILE's first), read as plain YAML — no interpolation, merge or
// validation, which completion has no time for.
import fs from 'node:fs';
import path from 'node:path';

const NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

function composeFile(dir: string, env: NodeJS.ProcessEnv): string | undefined {
  const given = env.COMPOSE_FILE?.split(env.COMPOSE_PATH_SEPARATOR || ':')[0];
  if (given) return path.resolve(dir, given);
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const found = NAMES.map((n) => path.join(d, n)).find((f) => fs.existsSync(f));
    if (found || path.dirname(d) === d) return found;
  }
}

/** The services of the project in dir; [] when there is none or it does not parse. */
export function composeServiceNames(dir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  try {
    const file = composeFile(dir, env);
    if (!file) return [];
    // Loaded here, not at the top: every tspod command loads this module, and yaml costs ~50 ms to load.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parse } = require('yaml') as typeof import('yaml');
    const doc = parse(fs.readFileSync(file, 'utf8')) as { services?: Record<string, unknown> } | null;
    return doc?.services && typeof doc.services === 'object' ? Object.keys(doc.services).sort() : [];
  } catch {
    return [];
  }
}
