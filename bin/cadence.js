#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled TypeScript (npm install runs `prepare`, which builds it).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'src', 'main', 'cli', 'cadence.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('cadence: the compiled CLI is missing (' + entry + '). Run `npm install` (or `npm run build`) in the project folder first.\n');
  process.exit(2);
}
require(entry).main(process.argv).then(
  (code) => { process.exitCode = code ?? 0; },
  (err) => { process.stderr.write('cadence: ' + (err && err.message ? err.message : String(err)) + '\n'); process.exitCode = 1; },
);
