// kube play's --build: a container whose image names a directory (beside the file, or under
// --context-dir) holding a Containerfile or Dockerfile gets that image built first and tagged as
// the file names it: always with --build, never with --build=false, else only when it is missing.
import fs from 'node:fs';
import path from 'node:path';
import type { KubeOps } from './kube-ops';
import type { PlayPlan } from './play-plan';
import { defaultBuildOptions } from '../build/build-defaults';
import type { BuildOptions } from '../build/types';

/** The image's last path component without tag or digest: "localhost/web:1" → "web" (Podman's rule). */
export function imageDirName(image: string): string {
  const noDigest = image.split('@')[0];
  const last = noDigest.split('/').pop() ?? '';
  return last.split(':')[0];
}

/** The build context for an image, when one is there. */
export function buildContext(dir: string, image: string): string | undefined {
  const name = imageDirName(image);
  if (!name || name === '.' || name === '..') return undefined;
  const ctx = path.join(dir, name);
  return ['Containerfile', 'Dockerfile'].some((f) => fs.existsSync(path.join(ctx, f))) ? ctx : undefined;
}

export function planBuilds(ops: KubeOps, plan: PlayPlan, build: boolean | undefined, dir: string): Array<{ image: string; context: string }> {
  if (build === false) return [];
  const out = new Map<string, string>();
  for (const p of plan.pods) {
    if (p.action === 'keep') continue;
    for (const c of p.translated.containers) {
      const image = c.create.image;
      if (out.has(image)) continue;
      const context = buildContext(dir, image);
      if (context && (build === true || !ops.imageExists(image))) out.set(image, context);
    }
  }
  return [...out].map(([image, context]) => ({ image, context }));
}

/** `build -t TAG CONTEXT` with build's defaults (kube play passes no build flags). */
export function kubeBuildOptions(context: string, tag: string, quiet: boolean): BuildOptions {
  return { ...defaultBuildOptions(context, [tag]), quiet };
}
