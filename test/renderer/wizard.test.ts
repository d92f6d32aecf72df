import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineRig } from './engine-rig';
import { callInPage, chromiumMissingReason, openPage, screenshot, rigFor, waitForEnabled, waitForValue } from './browser';

const skip = chromiumMissingReason() ?? false;

test('full wizard run: every step in order, progress only from what the agent captured', { skip }, async (t) => {
  const agent = new EngineRig();
  const rig = await rigFor(t, agent);
  const errors: string[] = [];
  const page = await openPage(rig, 'wizard.html', errors);

  await page.getByRole('heading', { name: 'Welcome to Cadence' }).waitFor();
  await screenshot(page, 'wizard-1-welcome');
  await page.getByRole('button', { name: 'Start setup' }).click();

  await page.getByRole('heading', { name: 'What Cadence records' }).waitFor();
  const consent = (await page.locator('#step-consent').innerText()).toLowerCase();
  for (const words of ['how long you hold each key', 'how the mouse pointer moves', 'which key is which', 'any text you type', 'what is on your screen']) {
    assert.ok(consent.includes(words), `consent page should say "${words}"`);
  }
  await screenshot(page, 'wizard-2-consent');
  await page.getByRole('button', { name: 'I agree, continue' }).click();

  await page.getByRole('heading', { name: 'Typing task' }).waitFor();
  assert.equal(agent.engine.enrolment().consentGiven, true, 'the agree button must record consent in the engine');
  const target = agent.engine.enrolment().typing.target;
  assert.equal(await page.locator('#typing-sentence').innerText(), agent.engine.enrolment().typing.sentences[0]);
  // The page's own key events must not move the bar: only the agent's captures do.
  await page.getByLabel('Type the sentence shown above').pressSequentially('The quick brown fox', { delay: 5 });
  await page.waitForTimeout(1200);
  assert.equal(await page.locator('#typing-progress').getAttribute('value'), '0', 'typing in the page alone must not advance the task');
  assert.equal(await page.getByRole('button', { name: 'Continue to the mouse task' }).isDisabled(), true);

  agent.type(200);
  await waitForValue(page, 'typing-progress', 200);
  assert.match(await page.locator('#typing-count').innerText(), new RegExp(`200 key presses of ${target}`));
  assert.match(await page.locator('#typing-live').innerText(), new RegExp(`200 key presses of ${target} captured`));
  await screenshot(page, 'wizard-3-typing');

  agent.type(target - 200 + 600); // enough for a profile, as a real owner types past the target
  await waitForEnabled(page, 'typing-next');
  await page.getByRole('button', { name: 'Continue to the mouse task' }).click();

  await page.getByRole('heading', { name: 'Mouse task' }).waitFor();
  assert.equal(await page.locator('#mouse-progress').getAttribute('value'), '0');
  // Someone who cannot use a mouse is told the way through (IT turns the mouse channel off).
  assert.match(await page.locator('#no-mouse-note').innerText(), /Cannot use a mouse or touchpad\? Ask your IT team to turn off mouse measuring/);
  // Click a target and drag a square as a person would; the count still comes from the agent.
  await page.locator('.click-target').click();
  const box = (await page.locator('.drag-item').boundingBox())!;
  const drop = (await page.locator('.drop-zone').boundingBox())!;
  await page.mouse.move(box.x + 10, box.y + 10);
  await page.mouse.down();
  await page.mouse.move(drop.x + drop.width / 2, drop.y + drop.height / 2, { steps: 8 });
  await page.mouse.up();
  assert.equal(await page.locator('#mouse-progress').getAttribute('value'), '0');
  agent.moveMouse(15);
  await waitForValue(page, 'mouse-progress', 15);
  await screenshot(page, 'wizard-4-mouse');
  agent.moveMouse(agent.engine.enrolment().mouse.target);
  await waitForEnabled(page, 'mouse-next');
  await page.getByRole('button', { name: 'See the result' }).click();

  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  const q = agent.engine.enrolment().quality;
  assert.ok(q, 'the engine has assessed the profile');
  const result = await page.locator('#step-result').innerText();
  assert.match(result, new RegExp(`Key presses learned\\s+${q.keystrokes.toLocaleString('en-GB')}`));
  assert.match(result, /keeps learning in the background/);
  assert.match(result, new RegExp(`Ready to protect\\s+${q.ready ? 'Yes' : 'Not yet'}`));
  await screenshot(page, 'wizard-5-result');
  await page.getByRole('button', { name: 'Finish setup' }).click();
  await page.getByRole('heading', { name: 'Cadence is set up' }).waitFor();
  assert.equal(agent.engine.enrolment().step, 'done');
  assert.ok(['learning', 'protected'].includes(agent.engine.state), `engine state after the wizard: ${agent.engine.state}`);
  await screenshot(page, 'wizard-6-done');
  assert.deepEqual(errors, []);
});

test('reopening the wizard resumes at the step the engine holds', { skip }, async (t) => {
  const agent = new EngineRig();
  agent.engine.giveConsent();
  agent.engine.setEnrolmentStep('typing');
  agent.type(120);
  const rig = await rigFor(t, agent);
  const errors: string[] = [];
  const page = await openPage(rig, 'wizard.html', errors);
  await page.getByRole('heading', { name: 'Typing task' }).waitFor();
  await waitForValue(page, 'typing-progress', 120);
  assert.equal(await page.locator('li[aria-current="step"]').innerText(), 'Typing');
  assert.deepEqual(errors, []);
});

test('resuming on the consent page after consent moves on without asking twice', { skip }, async (t) => {
  const agent = new EngineRig();
  agent.engine.giveConsent(); // the engine now holds step "consent" with consent given
  const rig = await rigFor(t, agent);
  const errors: string[] = [];
  const page = await openPage(rig, 'wizard.html', errors);
  await page.getByRole('button', { name: 'I agree, continue' }).click();
  await page.getByRole('heading', { name: 'Typing task' }).waitFor();
  assert.equal(await page.locator('#error').isHidden(), true);
  assert.deepEqual(errors, []);
});

test('the engine refuses the tasks before consent, and the page shows its words', { skip }, async (t) => {
  const agent = new EngineRig();
  const rig = await rigFor(t, agent);
  const page = await openPage(rig, 'wizard.html', []);
  await page.getByRole('heading', { name: 'Welcome to Cadence' }).waitFor();
  const r = await callInPage(page, 'setEnrolmentStep', 'typing');
  assert.equal(r.ok, false);
  assert.equal(r.code, 'consent-required');
  assert.equal(agent.engine.enrolment().step, 'welcome');
});

test('when capture is unavailable the typing task says why', { skip }, async (t) => {
  const agent = new EngineRig();
  agent.engine.giveConsent();
  agent.engine.setEnrolmentStep('typing');
  agent.engine.captureOutage('this session runs on Wayland, where Cadence cannot see global input. Log in with an X11 session.');
  const rig = await rigFor(t, agent);
  const page = await openPage(rig, 'wizard.html', []);
  const hint = page.locator('#typing-hint');
  await hint.waitFor({ state: 'visible' });
  assert.match(await hint.innerText(), /Wayland/);
  await screenshot(page, 'wizard-capture-unavailable');
});
