// Times hashSources and copyIntoRoot on a 10,000-file context (run: npx vite-node bench/build-copy.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyIntoRoot, hashSources, resolveSources } from '../libpod/build/context-files';
const tmp = fs.mkdtempSync(path.join('/var/tmp', 'files-bench-'));
const ctx = path.join(tmp, 'ctx');
for (let i = 0; i < 100; i++) {
  fs.mkdirSync(path.join(ctx, `many/${i}`), { recursive: true });
  for (let j = 0; j < 100; j++) fs.writeFileSync(path.join(ctx, `many/${i}/${j}.txt`), `file ${i} ${j}\n`.repeat(20));
}
(async () => {
for (let k = 0; k < 3; k++) {
  let c = process.cpuUsage();
  let t = process.hrtime.bigint();
  const m = resolveSources(ctx, ['.']);
  const h = hashSources(m);
  const th = Number(process.hrtime.bigint() - t) / 1e6;
  const ch = process.cpuUsage(c);
  const root = path.join(tmp, `root${k}`);
  fs.mkdirSync(root);
  t = process.hrtime.bigint();
  c = process.cpuUsage();
  await copyIntoRoot(root, m, '/app/', { workdir: '/', extractArchives: false });
  const tc = Number(process.hrtime.bigint() - t) / 1e6;
  const cc = process.cpuUsage(c);
  const cpu = (u: NodeJS.CpuUsage) => `user ${(u.user / 1000).toFixed(0)} ms + sys ${(u.system / 1000).toFixed(0)} ms`;
  console.log(`hash: ${th.toFixed(0)} ms wall, ${cpu(ch)}; copy: ${tc.toFixed(0)} ms wall, ${cpu(cc)}`, h.slice(0, 12));
}
fs.rmSync(tmp, { recursive: true, force: true });
})();
