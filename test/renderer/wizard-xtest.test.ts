import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startAgentRuntime, type AgentRuntime } from '../../src/main/agent/runtime';
import { startBridge } from '../../src/main/bridge/http-bridge';
import { seededRandom } from '../../src/main/engine/challenge-phrase';
import { startXvfb, xvfbAvailable, NO_XVFB_REASON, type XServer } from '../support/xvfb';
import { CHROMIUM, CHROMIUM_ARGS, RENDERER_DIR, chromiumMissingReason, ensureRendererBuilt, screenshot, waitForValue } from './browser';

/**
 * The whole path on a private X server: keys injected through XTest (xdotool)
 * reach both a headful Chromium showing the wizard and the real agent (the
 * runtime `cadence agent` runs: capture child, engine, store, policy), served
 * to the page over the loopback bridge; the wizard's progress bar moves
 * because the AGENT counted the keys. The test never tells the engine anything.
 */
const noXdotool = spawnSync('sh', ['-c', 'command -v xdotool'], { stdio: 'ignore' }).status === 0 ? false : 'xdotool is not installed (apt-get install xdotool)';
const skip = chromiumMissingReason() ?? (!xvfbAvailable() && NO_XVFB_REASON) ?? noXdotool;

function xEnv(display: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: display };
  delete env.WAYLAND_DISPLAY;
  delete env.XDG_SESSION_TYPE;
  return env;
}

async function xdotool(display: string, script: string): Promise<void> {
  const p = spawn('xdotool', ['-'], { env: xEnv(display), stdio: ['pipe', 'ignore', 'inherit'] });
  p.stdin.end(script);
  const [code] = await once(p, 'exit');
  assert.equal(code, 0, 'xdotool failed');
}

/** Per-key press/release with a person's uneven holds and gaps (xdotool adds ~12 ms per command). */
function typingScript(text: string, seed: number): string {
  const r = seededRandom(seed);
  let out = '';
  for (const ch of text) {
    const key = ch === ' ' ? 'space' : ch;
    const hold = (0.04 + r() * 0.06).toFixed(3);
    const gap = (0.05 + r() * 0.12).toFixed(3);
    out += `keydown ${key}\nsleep ${hold}\nkeyup ${key}\nsleep ${gap}\n`;
  }
  return out;
}

test('headful on Xvfb: XTest keys captured by the agent advance the wizard’s typing task', { skip, timeout: 120_000 }, async (t) => {
  ensureRendererBuilt();
  const x: XServer = await startXvfb();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-wizard-xtest-'));
  const policyFile = path.join(dir, 'policy.json');
  fs.writeFileSync(policyFile, '{}\n');
  const savedPolicy = process.env.CADENCE_POLICY_FILE;
  process.env.CADENCE_POLICY_FILE = policyFile;
  const agent: AgentRuntime = await startAgentRuntime({ dataDir: path.join(dir, 'data'), env: xEnv(x.display), log: () => undefined });
  if (savedPolicy === undefined) delete process.env.CADENCE_POLICY_FILE;
  else process.env.CADENCE_POLICY_FILE = savedPolicy;
  const bridge = await startBridge({ api: agent.api, staticDir: RENDERER_DIR });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--window-position=0,0', '--window-size=1100,800'], headless: false, env: xEnv(x.display) });
  t.after(async () => {
    await browser.close();
    await bridge.close();
    await agent.dispose();
    await x.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; agent.captureStatus().state !== 'running'; i++) {
    assert.ok(i < 400, `capture did not start: ${agent.captureStatus().message}`);
    await new Promise((r) => setTimeout(r, 25));
  }

  const page = await (await browser.newContext({ viewport: null })).newPage();
  await page.goto(`${bridge.origin}/wizard.html`);
  await page.getByRole('button', { name: 'Start setup' }).click();
  await page.getByRole('button', { name: 'I agree, continue' }).click();
  await page.getByRole('heading', { name: 'Typing task' }).waitFor();
  assert.equal(await page.locator('#typing-progress').getAttribute('value'), '0');

  // Give the textarea X keyboard focus with a real click (there is no window manager on bare Xvfb).
  const box = (await page.getByLabel('Type the sentence shown above').boundingBox())!;
  const offset = await page.evaluate(() => {
    const g = globalThis as unknown as { screenX: number; screenY: number; outerHeight: number; innerHeight: number };
    return { x: g.screenX, y: g.screenY + (g.outerHeight - g.innerHeight) };
  });
  const clickX = Math.round(offset.x + box.x + box.width / 2);
  const clickY = Math.round(offset.y + box.y + box.height / 2);
  await xdotool(x.display, `mousemove ${clickX} ${clickY}\nclick 1\nsleep 0.2\n`);

  const text = 'the quick brown fox jumps over the lazy dog and then some more words';
  await xdotool(x.display, typingScript(text, 3));

  // The page saw the keys (X delivered them to Chromium) ...
  await page.waitForFunction((n) => ((globalThis as unknown as { document: { getElementById(id: string): { value: string } } }).document.getElementById('typing-input').value.length) >= n, text.length, { timeout: 10_000 });
  assert.equal(await page.getByLabel('Type the sentence shown above').inputValue(), text);
  // ... and the bar moved by exactly what the capture process counted.
  await waitForValue(page, 'typing-progress', text.length);
  assert.equal(agent.engine.enrolment().typing.captured, text.length);
  await screenshot(page, 'wizard-xtest-typing');
});
