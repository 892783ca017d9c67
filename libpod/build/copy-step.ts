// A COPY or ADD step: its sources (the context, a heredoc, a stage or image, a URL) resolved and
// hashed for its cache key, then written into a created step container's mounted root.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../src/errors';
import { log } from '../../src/log';
import type { BuildExecutor, StageState } from './executor';
import type { BuildConfig } from './instructions';
import type { IgnoreMatcher } from './ignore';
import { expand, expandEach, expandHeredoc } from './shell-words';
import { copyIntoRoot, fetchRemote, hashSources, resolveChown, resolveSources, type SourceMatch } from './context-files';
import type { Instruction } from './types';

export async function copyStep(b: BuildExecutor, state: StageState, ins: Instruction, escape: string, final: boolean): Promise<void> {
  const config = (state.oci.config ?? {}) as BuildConfig;
  const lookup = b.lookup(state);
  const flag = (name: string) => {
    const f = ins.flags.find((x) => x.name === name);
    return f ? expand(f.value ?? '', lookup, escape) : undefined;
  };
  for (const f of ins.flags) {
    if (!['from', 'chown', 'chmod', 'link', 'parents', 'checksum', 'exclude'].includes(f.name) || (ins.keyword === 'COPY' && f.name === 'checksum') || (ins.keyword === 'ADD' && f.name === 'from')) {
      throw new InvalidArgumentError(`line ${ins.line}: unknown flag for ${ins.keyword}: --${f.name}`);
    }
  }
  const words = ins.json ?? expandEach(ins.args, lookup, escape);
  if (words.length < 2 && !ins.heredocs.length) throw new InvalidArgumentError(`line ${ins.line}: ${ins.keyword} requires at least two arguments, but only one was provided. Destination could not be determined`);
  const dest = words[words.length - 1];
  let sources = words.slice(0, -1);
  const from = flag('from');
  let root = b.context.dir;
  let fromId = 'context';
  let ignore: IgnoreMatcher | undefined = b.context.ignore;
  if (ins.heredocs.length) {
    root = fs.mkdtempSync(path.join(b.workDir, 'heredoc-'));
    for (const h of ins.heredocs) fs.writeFileSync(path.join(root, h.name), h.expand ? expandHeredoc(h.content, lookup, escape) : h.content, { mode: 0o644 });
    sources = sources.map((s) => s.replace(/^<<-?["']?([^"']+)["']?$/, '$1'));
    ignore = undefined;
  } else if (from) {
    const img = b.fromRef(from);
    root = b.rootOfImage(img);
    fromId = img.id;
    ignore = undefined;
  }
  const remote = ins.keyword === 'ADD' ? sources.filter((s) => /^https?:\/\//.test(s)) : [];
  let matches: SourceMatch[] = [];
  if (remote.length) {
    const dir = fs.mkdtempSync(path.join(b.workDir, 'remote-'));
    for (const url of remote) matches.push(await fetchRemote(url, dir, flag('checksum')));
  }
  const local = sources.filter((s) => !remote.includes(s));
  if (local.length) matches = [...matches, ...resolveSources(root, local, { ignore })];
  const chmodText = flag('chmod');
  const chmod = chmodText === undefined ? undefined : parseChmod(chmodText, ins.line);
  const chownText = flag('chown');
  // --chown names are looked up in the image: the key uses the text, the copy the IDs.
  const t0 = Date.now();
  const sum = hashSources(matches, { ignore, chmod, chown: chownText === undefined ? undefined : { uid: -1, gid: -1 } });
  const canonical = JSON.stringify([ins.keyword, fromId, sum, dest, chownText ?? '', chmodText ?? '', flag('parents') ?? '', config.WorkingDir ?? '', ins.heredocs.length ? 'heredoc' : '']);
  log.debug(`build: ${ins.keyword} sources hashed in ${Date.now() - t0} ms`);
  const key = b.key(state, canonical, final);
  const hit = b.cached(key, canonical);
  if (hit) return b.useCached(state, hit, final);
  const image = await b.baseForContainer(state);
  const { id } = await b.ops.create(b.stepCreateOptions(image, ['true'], {}));
  let ok = false;
  try {
    await b.ops.containers.withRootfs(id, async (rootfs, upper) => {
      const chown = chownText === undefined ? undefined : resolveChown(rootfs, chownText);
      await copyIntoRoot(rootfs, matches, dest, { workdir: config.WorkingDir ?? '/', chown, chmod, ignore, extractArchives: ins.keyword === 'ADD', parents: flag('parents') !== undefined && flag('parents') !== 'false', keepOwners: !!from, upper });
    });
    log.debug(`build: ${ins.keyword} copied in ${Date.now() - t0} ms since the hash began`);
    const kind = matches.length > 1 ? 'multi' : matches[0]?.stat.isDirectory() ? 'dir' : 'file';
    state.oci = { ...state.oci, config: final ? b.finalConfig(config) : config, created: b.created(), history: b.historyWith(state, b.history(`/bin/sh -c #(nop) ${ins.keyword} ${kind}:${sum} in ${dest} `, false)) };
    await b.commit(state, key, b.ops.containers.layer(id, [], b.mtime(), !b.opts.rm), final);
    ok = true;
  } finally {
    await b.removeStep(id, ok);
  }
}

function parseChmod(text: string, line: number): number {
  if (!/^[0-7]{3,4}$/.test(text)) throw new InvalidArgumentError(`line ${line}: invalid --chmod "${text}": give an octal mode such as 0755`);
  return parseInt(text, 8);
}
