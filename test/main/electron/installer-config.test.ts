import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

/**
 * electron-builder cannot run here (no Electron download), so the packaging
 * config is checked statically: against electron-builder's own JSON schema
 * (app-builder-lib/scheme.json), and for the things the issue requires.
 * ajv and js-yaml are electron-builder's own dependencies.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const REPO = path.join(__dirname, '..', '..', '..', '..');
const yaml = require('js-yaml') as { load(s: string): unknown };
const Ajv = require('ajv') as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] } };

interface Config {
  appId: string;
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  buildDependenciesFromSource: boolean;
  extraResources: { from: string; to: string }[];
  linux: { target: string[] };
  deb: { depends: string[]; afterInstall: string; afterRemove: string };
  rpm: { depends: string[]; afterInstall: string; afterRemove: string };
  win: { target: string[] };
  nsis: { perMachine: boolean; include: string };
  msi: { perMachine: boolean };
  mac: { target: string[]; entitlements: string; extendInfo: Record<string, unknown> };
  pkg: { scripts: string };
}
const config = yaml.load(fs.readFileSync(path.join(REPO, 'electron-builder.yml'), 'utf8')) as Config;

test('electron-builder.yml is valid against electron-builder’s own schema', () => {
  const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const ok = validate(config);
  assert.ok(ok, (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('\n'));
});

test('targets: deb, rpm, AppImage; NSIS and MSI per machine; pkg and dmg', () => {
  assert.deepEqual(config.linux.target, ['deb', 'rpm', 'AppImage']);
  assert.deepEqual(config.win.target, ['nsis', 'msi']);
  assert.equal(config.nsis.perMachine, true);
  assert.equal(config.msi.perMachine, true);
  assert.deepEqual(config.mac.target, ['pkg', 'dmg']);
});

test('native modules are unpacked from asar and rebuilt from source for Electron', () => {
  for (const m of ['node_modules/better-sqlite3/**', 'node_modules/uiohook-napi/**', 'native/build/**', '**/*.node']) assert.ok(config.asarUnpack.includes(m), m);
  assert.equal(config.npmRebuild, true);
  assert.equal(config.buildDependenciesFromSource, true);
});

test('Linux packages depend on the X libraries uiohook links against', () => {
  for (const d of ['libx11-6', 'libxtst6', 'libxrandr2', 'libxt6']) assert.ok(config.deb.depends.includes(d), d);
  for (const d of ['libX11', 'libXtst', 'libXrandr', 'libXt']) assert.ok(config.rpm.depends.includes(d), d);
});

test('every file the config names exists, and the macOS domain matches the policy reader', () => {
  const files = [
    config.deb.afterInstall,
    config.deb.afterRemove,
    config.rpm.afterInstall,
    config.nsis.include,
    config.mac.entitlements,
    path.join(config.pkg.scripts, 'postinstall'),
    path.join(config.pkg.scripts, 'org.cadence.agent.plist'),
    ...config.extraResources.map((r) => r.from),
  ];
  for (const f of files) assert.ok(fs.existsSync(path.join(REPO, f)), f);
  for (const state of ['learning', 'protected', 'challenge', 'paused', 'unavailable']) {
    assert.ok(fs.existsSync(path.join(REPO, 'build', 'icons', `tray-${state}.png`)), state);
    assert.ok(fs.existsSync(path.join(REPO, 'build', 'icons', `tray-${state}@2x.png`)), `${state}@2x`);
  }
  assert.equal(config.mac.extendInfo.LSUIElement, true);
  const macos = fs.readFileSync(path.join(REPO, 'src', 'main', 'policy', 'source-macos.ts'), 'utf8');
  assert.match(macos, new RegExp(`'${config.appId.replace(/\./g, '\\.')}'`), 'appId is the managed-preferences domain');
});

test('the Linux autostart entry and the install script agree on the path', () => {
  const desktop = fs.readFileSync(path.join(REPO, 'build', 'linux', 'cadence-autostart.desktop'), 'utf8');
  const install = fs.readFileSync(path.join(REPO, config.deb.afterInstall), 'utf8');
  assert.match(desktop, /^Exec=\/opt\/Cadence\/cadence --hidden$/m);
  assert.match(install, /\/opt\/Cadence\/resources\/autostart\/cadence-autostart\.desktop/);
  assert.match(install, /\/etc\/xdg\/autostart\/cadence\.desktop/);
});
