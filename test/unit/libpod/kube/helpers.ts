// A TranslateContext for the translator's tests: objects from YAML, warnings and materialized
// files kept for the assertions, files written into a real directory.
import fs from 'node:fs';
import path from 'node:path';
import { objectMaps, parseKubeDocuments } from '../../../../libpod/kube/kube-input';
import type { TranslateContext } from '../../../../libpod/kube/types';

export interface TestContext extends TranslateContext {
  warnings: string[];
  written: Map<string, Array<{ path: string; data: string; mode: number }>>;
}

export function testContext(dir: string, objectsYaml = '', over: Partial<TranslateContext> = {}): TestContext {
  const docs = objectsYaml ? parseKubeDocuments(objectsYaml, 'objects.yaml') : [];
  const warnings: string[] = [];
  const written = new Map<string, Array<{ path: string; data: string; mode: number }>>();
  return {
    ...objectMaps(docs),
    podName: 'web',
    where: 'f.yaml, document 1',
    strict: false,
    warn: (m) => warnings.push(m),
    materialize(podName, volumeName, files) {
      const d = path.join(dir, podName, volumeName);
      fs.mkdirSync(d, { recursive: true });
      for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(d, f.path)), { recursive: true });
        fs.writeFileSync(path.join(d, f.path), f.data, { mode: f.mode });
      }
      written.set(`${podName}/${volumeName}`, files.map((f) => ({ path: f.path, data: f.data.toString(), mode: f.mode })));
      return d;
    },
    annotations: [],
    ...over,
    warnings,
    written,
  };
}

/** The pod template of a Pod's YAML. */
export function template(yaml: string): { metadata?: Record<string, unknown>; spec?: Record<string, unknown> } {
  const [doc] = parseKubeDocuments(yaml, 'f.yaml');
  return { metadata: doc.object.metadata, spec: doc.object.spec };
}
