import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { EngineRig } from './engine-rig';
import { chromiumMissingReason, openPage, screenshot, rigFor } from './browser';
import { auditPage, focusStop, fontSizes, setRootFontSize } from './a11y-audit';

const skip = chromiumMissingReason() ?? false;

/**
 * Every page, in each of its states, checked in real Chromium: lang, a main
 * landmark and one visible h1; every control labelled; Tab reaches every
 * control and each stop shows a visible focus ring; text contrast meets WCAG
 * AA; text grows with the user's font size (rem units).
 */
async function checkPage(page: Page, what: string): Promise<void> {
  const a = await page.evaluate(auditPage);
  assert.equal(a.lang, 'en', `${what}: <html lang>`);
  assert.equal(a.mains, 1, `${what}: one main landmark`);
  assert.equal(a.h1s, 1, `${what}: one visible h1`);
  assert.deepEqual(a.unlabelled, [], `${what}: unlabelled controls`);
  assert.deepEqual(a.lowContrast, [], `${what}: text below WCAG AA contrast`);

  // Tab from the top of the page: every control must be reached, each with a visible focus ring.
  await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur(): void } } }).document.activeElement.blur());
  const reached = new Set<string>();
  for (let i = 0; i < a.controls.length + 3; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(focusStop);
    if (stop.audit === null) continue;
    reached.add(stop.audit);
    assert.notEqual(stop.outlineStyle, 'none', `${what}: focus ring on control ${stop.audit}`);
    assert.ok(stop.outlineWidth >= 2, `${what}: focus ring at least 2px on control ${stop.audit} (got ${stop.outlineWidth})`);
  }
  const missed = a.controls.filter((c) => !reached.has(String(c.index))).map((c) => `${c.tag} "${c.name}"`);
  assert.deepEqual(missed, [], `${what}: controls Tab never reaches`);

  const before = await page.evaluate(fontSizes);
  await page.evaluate(setRootFontSize, 200);
  const after = await page.evaluate(fontSizes);
  await page.evaluate(setRootFontSize, 100);
  assert.equal(after.root, before.root * 2, `${what}: root font size doubled`);
  assert.equal(after.h1, before.h1 * 2, `${what}: headings follow the user's font size`);
  assert.equal(after.body, before.body * 2, `${what}: body text follows the user's font size`);
}

test('wizard pages: labelled, keyboard reachable, visible focus, contrast, scalable text', { skip }, async (t) => {
  const agent = new EngineRig();
  const rig = await rigFor(t, agent);
  const page = await openPage(rig, 'wizard.html', []);
  await page.getByRole('heading', { name: 'Welcome to Cadence' }).waitFor();
  await checkPage(page, 'wizard welcome');
  // Keyboard only from here: Enter on the focused button moves the wizard on.
  await page.getByRole('button', { name: 'Start setup' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'What Cadence records' }).waitFor();
  await checkPage(page, 'wizard consent');
  await page.getByRole('button', { name: 'I agree, continue' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Typing task' }).waitFor();
  agent.type(100);
  await page.locator('#typing-count').filter({ hasText: '100 key presses' }).waitFor();
  await checkPage(page, 'wizard typing');
  await page.getByLabel('Type the sentence shown above').focus();
  await screenshot(page, 'a11y-wizard-typing-focus');
  agent.type(1000);
  await page.locator('#typing-next:not([disabled])').waitFor();
  await page.getByRole('button', { name: 'Continue to the mouse task' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Mouse task' }).waitFor();
  await checkPage(page, 'wizard mouse');
  agent.moveMouse(60);
  await page.locator('#mouse-next:not([disabled])').waitFor();
  await page.getByRole('button', { name: 'See the result' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  await checkPage(page, 'wizard result');
});

test('challenge page: labelled, keyboard reachable, visible focus, contrast, scalable text', { skip }, async (t) => {
  const agent = new EngineRig();
  agent.enrol();
  agent.impostorTypesUntilChallenge();
  const rig = await rigFor(t, agent);
  const page = await openPage(rig, 'challenge.html', []);
  await page.getByRole('heading', { name: 'Is this you?' }).waitFor();
  await page.locator('#phrase').filter({ hasText: /\w/ }).waitFor();
  await checkPage(page, 'challenge');
  await page.getByRole('button', { name: 'Check' }).focus();
  await screenshot(page, 'a11y-challenge-focus');
});

test('dashboard: labelled, keyboard reachable, visible focus, contrast, scalable text', { skip }, async (t) => {
  const agent = new EngineRig();
  agent.enrol();
  agent.type(200);
  const rig = await rigFor(t, agent);
  const page = await openPage(rig, 'dashboard.html', []);
  await page.locator('body[data-loaded="true"]').waitFor();
  await checkPage(page, 'dashboard');
  await page.evaluate(setRootFontSize, 200);
  await screenshot(page, 'a11y-dashboard-200-percent-text');
  await page.evaluate(setRootFontSize, 100);
});
