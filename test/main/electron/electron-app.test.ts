import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * End-to-end tests of the Electron app through Playwright's _electron. They
 * need the Electron binary, which cannot be downloaded on this project's
 * machines (TESTBED.md), so they skip here with that reason and run wherever
 * `require('electron')` resolves to an existing binary.
 */
const REPO = path.join(__dirname, '..', '..', '..', '..');

function electronBinary(): string | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const p: unknown = require('electron');
    return typeof p === 'string' && fs.existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const skip = binary ? false : 'the Electron binary is not installed (its download needs a network this machine does not have; see TESTBED.md)';

async function launch(dataDir: string) {
  const { _electron } = await import('playwright-core');
  return _electron.launch({
    executablePath: binary!,
    args: [REPO],
    env: { ...process.env, CADENCE_DATA_DIR: dataDir },
  });
}

test('first run opens the wizard over app://cadence with window.cadence and no Node', { skip }, async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-e2e-'));
  const app = await launch(dataDir);
  t.after(async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const page = await app.firstWindow();
  assert.equal(page.url(), 'app://cadence/wizard.html');
  await page.getByRole('heading', { name: 'Welcome to Cadence' }).waitFor();
  const probe = await page.evaluate(() => {
    const g = globalThis as unknown as Record<string, unknown>;
    return { require: typeof g.require, process: typeof g.process, cadence: Object.keys(g.cadence as object).length };
  });
  assert.deepEqual(probe, { require: 'undefined', process: 'undefined', cadence: 10 });
});

test('a page cannot navigate away or open windows', { skip }, async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-e2e-'));
  const app = await launch(dataDir);
  t.after(async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const page = await app.firstWindow();
  await page.evaluate(() => {
    const g = globalThis as unknown as { location: { href: string }; open: (u: string) => unknown };
    g.open('https://example.com');
    g.location.href = 'https://example.com';
  });
  await page.waitForTimeout(500);
  assert.equal(page.url(), 'app://cadence/wizard.html');
  assert.equal(app.windows().length, 1);
});

test('a second instance does not start a second agent', { skip }, async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-e2e-'));
  const first = await launch(dataDir);
  t.after(async () => {
    await first.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  await first.firstWindow();
  const second = await launch(dataDir);
  const exited = await new Promise<boolean>((resolve) => {
    second.process().once('exit', () => resolve(true));
    setTimeout(() => resolve(false), 10_000).unref();
  });
  assert.ok(exited, 'the second instance quits on its own');
});
