#!/usr/bin/env node
'use strict';
// Runs every compiled test file under dist/test with Node's own test runner.
// Node 20's runner takes files, not globs, so the list is collected here.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', 'dist', 'test');
const only = process.argv.slice(2);
function collect(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return collect(p);
    return d.name.endsWith('.test.js') ? [p] : [];
  });
}
let files = collect(root).sort();
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
if (files.length === 0) {
  process.stderr.write('run-tests: no compiled test files found under dist/test; run `npm run build` first.\n');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
