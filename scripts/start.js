#!/usr/bin/env node
'use strict';
// `npm start`: the Electron app where its binary exists, otherwise the headless
// agent, saying why. The Electron package is installed for its types even where
// its binary could not be downloaded; require('electron') then throws.
const { spawn } = require('node:child_process');
const path = require('node:path');

function electronBinary() {
  try {
    const p = require('electron');
    return typeof p === 'string' && require('node:fs').existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const root = path.join(__dirname, '..');
const bin = electronBinary();
let child;
if (bin) {
  child = spawn(bin, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
} else {
  process.stderr.write(
    'cadence: the Electron binary is not installed on this machine (its download needs a network this machine ' +
      'does not have), so the desktop app cannot start. Running the headless agent instead: the same capture, ' +
      'model and lock, without tray or windows. Use `npx cadence status` in another terminal to see what it is doing.\n',
  );
  child = spawn(process.execPath, [path.join(root, 'bin', 'cadence.js'), 'agent', ...process.argv.slice(2)], { stdio: 'inherit' });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
