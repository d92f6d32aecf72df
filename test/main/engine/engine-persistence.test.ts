import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enrol, feed, harness } from './support/harness';
import { IMPOSTOR, OWNER, typingWindows } from './support/synthetic';
import { DEFAULT_TUNING } from '../../../src/main/engine/engine';

// A restart here is a new Engine over the same store, with the old one's timers
// gone and nothing flushed: what a kill -9 of the agent leaves behind.

test('killed while protected: resumes protected from the stored profile, first windows weighed as after idle', () => {
  const h = harness();
  enrol(h);
  feed(h, typingWindows(OWNER, 250, 3));
  const e = h.restart();
  assert.equal(e.state, 'protected');
  assert.equal(h.store.events.at(-1)!.reason, 'Agent restarted; resuming in protected.');
  feed(h, typingWindows(OWNER, 250, 4));
  assert.deepEqual(h.model.sessions.at(-1)!.weights.slice(0, 5), [...Array(DEFAULT_TUNING.idleWeightedSteps).fill(DEFAULT_TUNING.idleWeight), 1]);
  assert.equal(e.state, 'protected');
});

test('killed during a challenge: the restart does not escape it, it goes to the OS lock', async () => {
  const h = harness();
  enrol(h);
  feed(h, typingWindows(IMPOSTOR, 500, 5));
  assert.equal(h.engine.state, 'challenge');
  const e = h.restart();
  assert.equal(e.state, 'locked');
  await e.settled();
  assert.equal(h.locker.calls.length, 1);
  const lock = h.store.events.find((x) => x.to === 'locked')!;
  assert.equal(lock.from, 'challenge');
  assert.match(lock.reason, /restarted during a challenge/);
  assert.equal(h.store.events.at(-1)!.reason, 'The OS session was locked (test-lock-command).');
  // A second restart while locked (lock confirmed) does not lock again; the unlock still works.
  const e2 = h.restart();
  await e2.settled();
  assert.equal(e2.state, 'locked');
  assert.equal(h.locker.calls.length, 1);
  assert.ok(e2.notifyUnlocked());
  assert.equal(e2.state, 'protected');
  assert.ok(e2.status().scrutinyUntil !== null);
});

test('killed after deciding to lock but before the OS lock was confirmed: locks again on restart', async () => {
  const h = harness();
  enrol(h);
  feed(h, typingWindows(IMPOSTOR, 500, 5));
  h.locker.next = () => ({ ok: false, tried: [{ method: 'loginctl lock-session', problem: 'no answer' }], message: 'killed before it answered' });
  h.engine.dismissChallenge();
  // The agent dies here; the lock result is never recorded as a success.
  h.locker.next = () => ({ ok: true, method: 'loginctl' });
  const e = h.restart();
  await e.settled();
  assert.equal(e.state, 'locked');
  assert.ok(h.locker.calls.length >= 2);
  assert.ok(h.store.events.some((x) => /restarted before the OS lock was confirmed/.test(x.reason)));
  assert.equal(h.store.events.at(-1)!.reason, 'The OS session was locked (loginctl).');
});

test('killed during extra scrutiny: scrutiny continues after the restart', async () => {
  const h = harness();
  enrol(h);
  feed(h, typingWindows(IMPOSTOR, 500, 5));
  h.engine.dismissChallenge();
  await h.engine.settled();
  h.engine.notifyUnlocked();
  const until = h.engine.status().scrutinyUntil;
  h.clock.advance(60_000);
  const e = h.restart();
  assert.equal(e.status().scrutinyUntil, until);
});

test('killed while enrolling or learning: wizard step, progress and collected data are kept', () => {
  const h = harness();
  h.engine.giveConsent();
  h.engine.setEnrolmentStep('typing');
  h.engine.noteActivity({ keystrokes: 0, mouseActions: 0 });
  h.engine.noteActivity({ keystrokes: 120, mouseActions: 0 });
  for (const w of typingWindows(OWNER, 125, 1)) h.engine.addKeystrokeWindow(w);
  let e = h.restart();
  assert.equal(e.state, 'enrolling');
  assert.equal(e.enrolment().step, 'typing');
  assert.equal(e.enrolment().typing.captured, 120);
  assert.equal(e.status().keystrokesCollected, 125);

  const l = harness();
  l.engine.giveConsent();
  l.engine.setEnrolmentStep('typing');
  l.engine.noteActivity({ keystrokes: 0, mouseActions: 0 });
  l.engine.noteActivity({ keystrokes: 400, mouseActions: 0 });
  l.engine.setEnrolmentStep('mouse');
  l.engine.noteActivity({ keystrokes: 400, mouseActions: 40 });
  l.engine.setEnrolmentStep('result');
  l.engine.setEnrolmentStep('done');
  assert.equal(l.engine.state, 'learning');
  e = l.restart();
  assert.equal(e.state, 'learning');
  assert.ok(e.status().missing.length > 0);
});

test('killed while paused: stays paused', () => {
  const h = harness();
  enrol(h);
  h.engine.setPaused(true);
  assert.equal(h.restart().state, 'paused');
  assert.ok(h.engine.setPaused(false).ok);
  assert.equal(h.engine.state, 'protected');
});

test('a damaged stored state is audited naming the key, and protection resumes with scrutiny from the stored profile', () => {
  const h = harness();
  enrol(h);
  const s = JSON.parse(h.store.state!);
  s.state = 'unlocked-forever';
  h.store.state = JSON.stringify(s);
  const e = h.restart();
  assert.equal(e.state, 'protected');
  assert.ok(e.status().scrutinyUntil !== null);
  assert.ok(h.store.events.some((x) => /could not read its saved state \(stored engine state is invalid at "state"/.test(x.reason)));
});

test('a damaged state with no profile and no data starts over at not-enrolled (consent asked again)', () => {
  const h = harness();
  h.store.state = '{"version":1}';
  assert.equal(h.restart().state, 'not-enrolled');
});

test('an unusable stored profile sends the engine back to learning from the enrolment data, which refits it', () => {
  const h = harness();
  enrol(h);
  h.store.profile = JSON.stringify({ kind: 'something else' });
  const e = h.restart();
  assert.ok(h.store.events.some((x) => /stored profile is unusable: not a double profile/.test(x.reason)));
  assert.ok(h.store.events.some((x) => x.to === 'learning'));
  // The enrolment data is still there and good enough, so the profile is refitted at once.
  assert.equal(e.state, 'protected');
  assert.match(h.store.profile!, /"double"/);
});

test('killed during a challenge with the stored profile damaged: still locked, and the password unlock relearns', async () => {
  const h = harness();
  enrol(h);
  feed(h, typingWindows(IMPOSTOR, 500, 5));
  assert.equal(h.engine.state, 'challenge');
  h.store.profile = '"damaged"';
  const e = h.restart();
  assert.equal(e.state, 'locked');
  await e.settled();
  assert.equal(h.locker.calls.length, 1);
  assert.ok(e.notifyUnlocked());
  // The enrolment data refits the profile at once.
  assert.equal(e.state, 'protected');
  assert.ok(h.store.events.some((x) => x.kind === 'unlock' && x.to === 'learning'));
});
