#!/usr/bin/env node
'use strict';
// Builds the pages: tsc compiles src/renderer/*.ts to browser ES modules, then
// the JS, HTML and CSS are gathered in dist/renderer (what Electron loads and the
// test bridge serves). The pages import src/main/api/agent-api.ts for types only
// (`import type`), so nothing from src/main is copied.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const src = path.join(root, 'src', 'renderer');
const tscOut = path.join(root, 'dist', '.renderer-tsc', 'renderer');
const out = path.join(root, 'dist', 'renderer');

const tsc = require.resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', path.join(src, 'tsconfig.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  process.stderr.write('build-renderer: tsc reported errors in src/renderer (see above); dist/renderer was not updated.\n');
  process.exit(r.status ?? 1);
}
// Assemble beside the target and swap it in, so a reader never sees half a build.
const tmp = `${out}.tmp-${process.pid}`;
fs.rmSync(tmp, { recursive: true, force: true });
fs.mkdirSync(tmp, { recursive: true });
let n = 0;
for (const name of fs.readdirSync(tscOut)) {
  if (name.endsWith('.js') || name.endsWith('.js.map')) {
    fs.copyFileSync(path.join(tscOut, name), path.join(tmp, name));
    n++;
  }
}
for (const name of fs.readdirSync(src)) {
  if (name.endsWith('.html') || name.endsWith('.css')) {
    fs.copyFileSync(path.join(src, name), path.join(tmp, name));
    n++;
  }
}
fs.rmSync(out, { recursive: true, force: true });
fs.renameSync(tmp, out);
process.stdout.write(`build-renderer: ${n} files in ${path.relative(root, out)}\n`);
