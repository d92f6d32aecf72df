import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineRig } from './engine-rig';
import { chromiumMissingReason, openPage, screenshot, rigFor } from './browser';

const skip = chromiumMissingReason() ?? false;

test('the dashboard shows state, trust, today’s chart, plain-words decisions, profile quality and IT policy', { skip }, async (t) => {
  // Play out today so far: enrolment early on, the owner working, someone else at the keyboard
  // around two thirds of the way, the owner passing the check, more work. The browser runs in UTC.
  const now = Date.now();
  const midnight = new Date(now).setUTCHours(0, 0, 0, 0);
  const agent = new EngineRig({ sensitivity: 'strict', retentionDays: 14, allowQuit: false }, midnight + (now - midnight) * 0.08);
  const at = (share: number): void => void (agent.clock.offsetMs = midnight + (now - midnight) * share - Date.now());
  at(0.1);
  agent.enrol();
  for (let i = 0; i < 12; i++) {
    at(0.15 + i * 0.04);
    agent.type(50);
  }
  at(0.66);
  agent.impostorTypesUntilChallenge();
  const phrase = agent.engine.challenge()!.phrase;
  agent.type(60);
  const passed = agent.engine.submitChallenge(phrase);
  assert.ok(passed.ok && passed.value.passed, 'the owner passes the challenge');
  for (let i = 0; i < 6; i++) {
    at(0.7 + i * 0.05);
    agent.type(50);
  }
  agent.clock.offsetMs = 0;
  const rig = await rigFor(t, agent);
  const errors: string[] = [];
  const page = await openPage(rig, 'dashboard.html', errors);
  await page.locator('body[data-loaded="true"]').waitFor();

  const status = agent.engine.status();
  assert.equal(await page.locator('#state').innerText(), 'Protecting');
  assert.equal(await page.locator('#trust-value').innerText(), String(Math.round(status.trust!)));

  // The chart: one path through today's readings, described for screen readers.
  const points = agent.store.trust.length;
  assert.ok(points > 5, `engine recorded ${points} trust readings`);
  assert.equal(await page.locator('svg.trust-chart path.trust-line').count(), 1);
  const segments = ((await page.locator('svg.trust-chart path.trust-line').getAttribute('d')) ?? '').split(/[ML]/).filter((x) => x.trim() !== '').length;
  assert.equal(segments, points, 'one chart vertex per trust reading');
  assert.match((await page.locator('svg.trust-chart title').textContent()) ?? '', new RegExp(`Trust today: ${points} readings`));

  // Decisions in plain words, newest first, including which behaviour differed.
  const decisions = await page.locator('#decisions li').allInnerTexts();
  assert.ok(decisions.length >= 3);
  assert.match(decisions[0]!, /Check passed: The words and the typing rhythm matched/);
  assert.ok(decisions.some((d) => /Check started: .*typing rhythm differed from the owner’s/.test(d)), decisions.join('\n'));
  assert.ok(decisions.every((d) => !/^\S+ (Check \w+|Locked): (Challenge|Locked)\b/.test(d)), `no reason repeats its label:\n${decisions.join('\n')}`);

  const quality = await page.locator('#quality').innerText();
  assert.match(quality, /Key presses learned\s+1,000/);
  assert.match(quality, /Consistency\s+\d+%/);
  const policy = await page.locator('#policy').innerText();
  assert.match(policy, /Sensitivity\s+Strict/);
  assert.match(policy, /Timings kept for\s+14 days/);
  assert.match(policy, /You may quit Cadence\s+No/);
  assert.match(policy, /Policy comes from\s+\/etc\/cadence\/policy\.json/);
  await screenshot(page, 'dashboard');

  // Pause is offered because policy allows it, and goes through the engine.
  await page.getByRole('button', { name: 'Pause Cadence' }).click();
  await page.getByRole('button', { name: 'Resume Cadence' }).waitFor();
  assert.equal(agent.engine.state, 'paused');
  assert.equal(await page.locator('#state').innerText(), 'Paused');
  await screenshot(page, 'dashboard-paused');
  await page.getByRole('button', { name: 'Resume Cadence' }).click();
  await page.getByRole('button', { name: 'Pause Cadence' }).waitFor();
  assert.notEqual(agent.engine.state, 'paused');
  assert.deepEqual(errors, []);
});

test('when policy forbids pausing the dashboard offers no pause button', { skip }, async (t) => {
  const agent = new EngineRig({ allowPause: false });
  agent.enrol();
  const rig = await rigFor(t, agent);
  const page = await openPage(rig, 'dashboard.html', []);
  await page.locator('body[data-loaded="true"]').waitFor();
  assert.equal(await page.locator('#pause-row').isHidden(), true);
  assert.match(await page.locator('#policy').innerText(), /You may pause Cadence\s+No/);
});

test('before setup the dashboard says what is missing and draws an empty chart', { skip }, async (t) => {
  const agent = new EngineRig();
  const rig = await rigFor(t, agent);
  const page = await openPage(rig, 'dashboard.html', []);
  await page.locator('body[data-loaded="true"]').waitFor();
  assert.equal(await page.locator('#state').innerText(), 'Not set up yet');
  assert.match(await page.locator('#missing').innerText(), /give consent/);
  assert.equal(await page.locator('#pause-row').isHidden(), true, 'nothing to pause before setup');
  assert.equal(await page.locator('svg.trust-chart text.empty').textContent(), 'No readings yet today');
  assert.match(await page.locator('#decisions').innerText(), /Cadence started for the first time/);
  await screenshot(page, 'dashboard-not-set-up');
});

test('when the OS lock fails the dashboard says so and what to do', { skip }, async (t) => {
  const agent = new EngineRig();
  agent.locker.next = () => ({ ok: false, tried: [{ method: 'loginctl', problem: 'no session' }], message: 'no lock method worked' });
  agent.enrol();
  agent.impostorTypesUntilChallenge();
  assert.ok(agent.engine.dismissChallenge(), 'dismissing the challenge locks');
  // The lock runs asynchronously; wait for its failure to be recorded.
  for (let i = 0; i < 100 && agent.engine.status().lockProblem === null; i++) await new Promise((r) => setTimeout(r, 10));
  const rig = await rigFor(t, agent);
  const page = await openPage(rig, 'dashboard.html', []);
  await page.locator('body[data-loaded="true"]').waitFor();
  const box = page.locator('#lock-problem');
  assert.equal(await box.isVisible(), true);
  assert.match(await box.innerText(), /The OS lock failed: no lock method worked\. Tried: loginctl \(no session\)\. Ask IT to set a working lockCommand/);
  assert.match(await page.locator('#policy').innerText(), /Time to answer a check\s+1 minute|Time to answer a check\s+60 seconds/);
});
