import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appImageAutostartEntry, ensureAppImageAutostart } from '../../../src/main/electron/linux-autostart';

test('an AppImage gets a per-user autostart entry that runs it hidden', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-home-'));
  try {
    const file = ensureAppImageAutostart({ APPIMAGE: '/home/u/Apps/Cadence-0.1.0-x64.AppImage' }, home);
    assert.equal(file, path.join(home, '.config', 'autostart', 'cadence.desktop'));
    const text = fs.readFileSync(file!, 'utf8');
    assert.match(text, /^Exec="\/home\/u\/Apps\/Cadence-0\.1\.0-x64\.AppImage" --hidden$/m);
    assert.match(text, /^\[Desktop Entry\]$/m);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test('not an AppImage (deb/rpm or development): nothing is written', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-home-'));
  try {
    assert.equal(ensureAppImageAutostart({}, home), null);
    assert.equal(ensureAppImageAutostart({ APPIMAGE: 'relative/x.AppImage' }, home), null);
    assert.equal(fs.existsSync(path.join(home, '.config')), false);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test('paths with quotes, dollars and backslashes are escaped for the Exec line', () => {
  assert.match(appImageAutostartEntry('/a "b"/$c\\d`e'), /^Exec="\/a \\"b\\"\/\\\$c\\\\d\\`e" --hidden$/m);
});
