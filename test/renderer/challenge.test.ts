import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineRig } from './engine-rig';
import { chromiumMissingReason, openPage, screenshot, rigFor, startRig } from './browser';

const skip = chromiumMissingReason() ?? false;

async function challenged(policy = {}): Promise<{ agent: EngineRig; rig: Awaited<ReturnType<typeof startRig>> }> {
  const agent = new EngineRig({ challengeAttempts: 2, challengeTimeoutSeconds: 90, ...policy });
  agent.enrol();
  agent.impostorTypesUntilChallenge();
  const rig = await startRig(agent.api);
  return { agent, rig };
}

test('the challenge shows the phrase, attempts and time left, and what happens next; a wrong attempt says why', { skip }, async (t) => {
  const { agent, rig } = await challenged();
  t.after(async () => {
    await rig.close();
    agent.dispose();
  });
  const c = agent.engine.challenge()!;
  const errors: string[] = [];
  const page = await openPage(rig, 'challenge.html', errors);
  await page.getByRole('heading', { name: 'Is this you?' }).waitFor();
  assert.equal(await page.locator('#phrase').innerText(), c.phrase);
  assert.equal(await page.locator('#attempts').innerText(), '2');
  assert.match(await page.locator('#time-left').innerText(), /^1 min (2\d|30) s$/);
  assert.match(await page.locator('#what-next').innerText(), /computer locks and you sign in with your password/);
  // The input has focus on arrival, so the person can type straight away.
  assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id), 'typed');
  await screenshot(page, 'challenge-1-prompt');

  // Wrong words and no typing the agent saw: the engine refuses and the page says so in words.
  await page.getByLabel('Type the phrase shown above').fill('not the phrase');
  await page.getByRole('button', { name: 'Check' }).click();
  const outcome = page.locator('#outcome');
  await outcome.filter({ hasText: 'did not match' }).waitFor();
  assert.match(await outcome.innerText(), /words did not match the phrase/);
  assert.match(await outcome.innerText(), /captured none of the typing/);
  assert.equal((await outcome.innerText()).match(/1 attempt left/g)?.length, 1, 'attempts said once');
  assert.equal(await page.locator('#attempts').innerText(), '1');
  assert.equal(agent.engine.state, 'challenge');
  await screenshot(page, 'challenge-2-retry');

  // The owner types the phrase: the agent captures the rhythm, the page sends the words.
  agent.type(60);
  await page.getByLabel('Type the phrase shown above').fill(c.phrase);
  await page.getByRole('button', { name: 'Check' }).click();
  await outcome.filter({ hasText: 'that was you' }).waitFor();
  assert.equal(agent.engine.state, 'protected');
  assert.equal(agent.locker.calls.length, 0, 'a passed challenge must not lock');
  await screenshot(page, 'challenge-3-passed');
  assert.deepEqual(errors, []);
});

test('the last failed attempt hands over to the OS lock and the page says so', { skip }, async (t) => {
  const { agent, rig } = await challenged({ challengeAttempts: 1 });
  t.after(async () => {
    await rig.close();
    agent.dispose();
  });
  const page = await openPage(rig, 'challenge.html', []);
  await page.getByLabel('Type the phrase shown above').fill('something else');
  await page.getByRole('button', { name: 'Check' }).click();
  await page.locator('#outcome').filter({ hasText: 'password as usual' }).waitFor();
  assert.match(await page.locator('#outcome').innerText(), /The computer is locked\. Sign in with your password as usual\.$/);
  assert.equal(await page.locator('#challenge-form').isHidden(), true, 'nothing left to type once locked');
  assert.equal(agent.engine.state, 'locked');
  await agent.engine.settled();
  assert.equal(agent.locker.calls.length, 1, 'the OS lock was called once');
  assert.equal(await page.getByLabel('Type the phrase shown above').isDisabled(), true);
  await screenshot(page, 'challenge-4-locked');
});

test('with no challenge waiting the page says so and offers nothing to type', { skip }, async (t) => {
  const agent = new EngineRig();
  agent.enrol();
  const rig = await rigFor(t, agent);
  const page = await openPage(rig, 'challenge.html', []);
  await page.locator('#no-challenge').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#challenge-form').isHidden(), true);
});
