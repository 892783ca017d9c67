// The bytes a directory tree holds, as `du --apparent-size` counts files (what Podman's inspect
// --size and ps --size report): every file, symlink and device once, a hard-linked file once,
// directories themselves not counted. Entries that cannot be read are skipped, and so are the files
// `skip` names by their path inside dir ("/etc/hosts").
import fs from 'node:fs';
import path from 'node:path';

export function directorySize(dir: string, skip: (rel: string) => boolean = () => false): number {
  let total = 0;
  const seen = new Set<string>();
  const walk = (d: string, rel: string) => {
    let names: string[];
    try {
      names = fs.readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = path.join(d, name);
      const r = `${rel}/${name}`;
      let st: fs.BigIntStats;
      try {
        st = fs.lstatSync(p, { bigint: true });
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        walk(p, r);
        continue;
      }
      if (skip(r)) continue;
      if (st.nlink > 1n) {
        const key = `${st.dev}:${st.ino}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      total += Number(st.size);
    }
  };
  walk(dir, '');
  return total;
}
