#!/usr/bin/env node
'use strict';
// Builds native/ (binding.gyp) with node-gyp: on Linux the XTest replay addon
// the tests use, on Windows and macOS the OS-lock addon. Incremental: runs
// `configure` only when native/build has no project yet (or binding.gyp is
// newer), then `build`. On failure it prints one line naming what is missing.
//
// Usage: node scripts/build-native.js [--rebuild]
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const nativeDir = path.join(root, 'native');
const buildDir = path.join(nativeDir, 'build');
const logFile = path.join(buildDir, 'build-native.log');
const rebuild = process.argv.includes('--rebuild');

function fail(line) {
  process.stderr.write(`build-native: ${line}\n`);
  process.exit(1);
}

if (!['linux', 'win32', 'darwin'].includes(process.platform)) {
  process.stdout.write(`build-native: nothing to build on ${process.platform} (no OS lock or XTest addon for it)\n`);
  process.exit(0);
}

// node-gyp ships inside npm; never fetch it. Prefer a local copy, then npm's own.
function findNodeGyp() {
  const tries = [];
  try {
    return require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] });
  } catch {
    tries.push('node_modules');
  }
  const npmDirs = [];
  if (process.env.npm_execpath) npmDirs.push(path.join(path.dirname(process.env.npm_execpath), '..'));
  const prefix = path.dirname(path.dirname(process.execPath));
  npmDirs.push(path.join(prefix, 'lib', 'node_modules', 'npm'), path.join(path.dirname(process.execPath), 'node_modules', 'npm'));
  for (const dir of npmDirs) {
    const p = path.join(dir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (fs.existsSync(p)) return p;
    tries.push(dir);
  }
  return null;
}

// Without --nodedir node-gyp downloads Node's headers, which fails offline.
// Use the headers that came with this Node (Debian: /usr/include/node).
function findNodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = path.dirname(path.dirname(process.execPath));
  if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
  return null; // let node-gyp use its cache or download (Windows/macOS installs usually have it)
}

const nodeGyp = findNodeGyp();
if (!nodeGyp) fail('node-gyp not found (it ships with npm): reinstall npm or `npm install -g node-gyp`');
const nodeDir = findNodeDir();

if (process.platform === 'linux') {
  // Name the Debian package before the compiler does it less clearly.
  const headers = [
    ['/usr/include/X11/Xlib.h', 'libx11-dev'],
    ['/usr/include/X11/extensions/XTest.h', 'libxtst-dev'],
  ];
  const missing = headers.filter(([h]) => !fs.existsSync(h)).map(([, pkg]) => pkg);
  if (missing.length > 0) fail(`X11 headers missing for the XTest addon: apt-get install ${missing.join(' ')}`);
}

fs.mkdirSync(buildDir, { recursive: true });
const log = fs.openSync(logFile, 'w');
function gyp(args) {
  const full = [nodeGyp, ...args, `--directory=${nativeDir}`, ...(nodeDir ? [`--nodedir=${nodeDir}`] : [])];
  const r = spawnSync(process.execPath, full, { cwd: nativeDir, stdio: ['ignore', log, log], env: process.env });
  return r.status === 0;
}

const project = path.join(buildDir, process.platform === 'win32' ? 'binding.sln' : 'Makefile');
const needConfigure =
  rebuild || !fs.existsSync(project) || fs.statSync(path.join(nativeDir, 'binding.gyp')).mtimeMs > fs.statSync(project).mtimeMs;

process.stdout.write(`build-native: ${needConfigure ? 'configuring and ' : ''}building native/ ...\n`);
const ok = (!needConfigure || gyp(['configure'])) && gyp(['build']);
fs.closeSync(log);

if (!ok) {
  const out = fs.readFileSync(logFile, 'utf8');
  const tail = out.trimEnd().split('\n').slice(-15).join('\n');
  process.stderr.write(`${tail}\n`);
  const hints = [
    [/XTest\.h|lXtst/, 'libXtst development files: apt-get install libxtst-dev'],
    [/Xlib\.h|lX11/, 'libX11 development files: apt-get install libx11-dev'],
    [/node_api\.h|common\.gypi|Could not find any Python|gyp: Undefined variable|EAI_AGAIN|ENOTFOUND|getaddrinfo/, "Node's headers (node-gyp could not find or download them): install Node with its headers (include/node/node_api.h) or set npm_config_nodedir"],
    [/napi\.h|node-addon-api/, 'node-addon-api: run `npm ci`'],
    [/python/i, 'Python 3 for gyp: apt-get install python3'],
    [/make: not found|g\+\+: not found|c\+\+: not found|not found: make|No such file or directory.*(cc|make)\b/, 'a C++ toolchain: apt-get install build-essential'],
    [/MSBuild|Visual Studio/, 'Visual Studio Build Tools with the "Desktop development with C++" workload'],
    [/xcrun|xcode-select|Xcode/, 'the Xcode command line tools: xcode-select --install'],
  ];
  const hit = hints.find(([re]) => re.test(out));
  fail(`native build failed${hit ? `; missing ${hit[1]}` : ''} (full log: ${path.relative(process.cwd(), logFile)})`);
}

const outDir = path.join(buildDir, 'Release');
const built = fs.existsSync(outDir) ? fs.readdirSync(outDir).filter((f) => f.endsWith('.node')) : [];
process.stdout.write(`build-native: ok (${built.join(', ') || 'no addons for this platform'}) in ${path.relative(process.cwd(), outDir)}\n`);
