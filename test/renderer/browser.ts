import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { AgentApi } from '../../src/main/api/agent-api';
import { startBridge, type Bridge } from '../../src/main/bridge/http-bridge';

/**
 * Real Chromium (Debian's, driven by playwright-core) on the pages in
 * dist/renderer, over the loopback bridge. Flags from TESTBED.md.
 */

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const RENDERER_DIR = path.join(REPO, 'dist', 'renderer');
/**
 * Every page test takes its screenshot; they land in docs/screenshots (the
 * README shows them) only when refreshing them on purpose,
 * `CADENCE_SCREENSHOTS=1 npm test`, so an ordinary run leaves the tree clean.
 */
export const SCREENSHOTS =
  process.env.CADENCE_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'screenshots') : path.join(os.tmpdir(), 'cadence-screenshots');
export const CHROMIUM = process.env.CADENCE_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumMissingReason(): string | null {
  return fs.existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set CADENCE_CHROMIUM)`;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of fs.readdirSync(dir)) newest = Math.max(newest, fs.statSync(path.join(dir, name)).mtimeMs);
  return newest;
}

/**
 * Builds dist/renderer if it is missing or older than src/renderer, so the
 * page tests work even when only `tsc -p .` ran. Test files run in parallel,
 * hence the lock (mkdir is atomic).
 */
export function ensureRendererBuilt(): void {
  const stamp = path.join(RENDERER_DIR, 'wizard.html');
  const fresh = (): boolean => fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= newestMtime(path.join(REPO, 'src', 'renderer'));
  if (fresh()) return;
  const lock = path.join(REPO, 'dist', '.renderer-build-lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`waited 2 min for ${lock}; remove it if no build is running`);
      spawnSync('sleep', ['0.2']);
    }
  }
  try {
    if (fresh()) return;
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build-renderer.js')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`scripts/build-renderer.js failed:\n${r.stdout}${r.stderr}`);
  } finally {
    fs.rmdirSync(lock);
  }
}

export interface PageRig {
  browser: Browser;
  bridge: Bridge;
  close(): Promise<void>;
}

export async function startRig(api: AgentApi): Promise<PageRig> {
  ensureRendererBuilt();
  const bridge = await startBridge({ api, staticDir: RENDERER_DIR });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  return {
    browser,
    bridge,
    async close() {
      await browser.close();
      await bridge.close();
    },
  };
}

/** startRig for a test: the browser, the bridge and then the agent are closed when the test ends. */
export async function rigFor(t: TestContext, agent: { readonly api: AgentApi; dispose(): void }): Promise<PageRig> {
  const rig = await startRig(agent.api);
  t.after(async () => {
    await rig.close();
    agent.dispose();
  });
  return rig;
}

/** A fresh page that fails the test on any console error or uncaught page error. */
export async function openPage(rig: PageRig, file: string, errors: string[]): Promise<Page> {
  const context = await rig.browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(`${rig.bridge.origin}/${file}`);
  return page;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// The test files compile without the DOM lib (they run in Node), so in-page
// callbacks reach the DOM through an untyped globalThis. They must be
// functions, not strings: the pages' CSP forbids eval, which string
// predicates of waitForFunction need.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyGlobal = any;

export async function waitForValue(page: Page, id: string, value: number): Promise<void> {
  await page.waitForFunction(([i, v]) => (globalThis as AnyGlobal).document.getElementById(i).value === v, [id, value] as const);
}

export async function waitForEnabled(page: Page, id: string): Promise<void> {
  await page.waitForFunction((i) => !(globalThis as AnyGlobal).document.getElementById(i).disabled, id);
}

/** Calls window.cadence.<method>(...args) inside the page, as the page itself would. */
export async function callInPage(page: Page, method: string, ...args: unknown[]): Promise<{ ok: boolean; code?: string; message?: string; value?: unknown }> {
  return page.evaluate(([m, a]) => (globalThis as AnyGlobal).cadence[m](...a), [method, args] as const);
}
