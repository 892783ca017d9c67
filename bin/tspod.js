#!/usr/bin/env -S node --
// Runs dist/tspod.js with V8's code cache (dist/tspod.js.cache, written by the build): every tspod
// command is a new process, and compiling the bundle afresh each time costs about 18 ms here.
// A cache that does not match (another node, a changed bundle) is ignored by V8.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');

const file = path.join(__dirname, '..', 'dist', 'tspod.js');
const cacheFile = `${file}.cache`;
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  /* no cache: compile as usual */
}
// The same script name wherever tspod is installed: V8 keeps the name the cache was made with.
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: 'tspod/dist/tspod.js', cachedData });
const mod = new Module(file, module);
mod.filename = file;
mod.paths = Module._nodeModulePaths(path.dirname(file));
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
if (process.env.TSPOD_WRITE_CODE_CACHE === '1') {
  // After the run, so that the functions it compiled are in the cache too.
  process.on('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));
}
