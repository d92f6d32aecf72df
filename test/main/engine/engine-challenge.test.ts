import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../../src/main/engine/challenge-phrase';
import { keystrokeWindows } from '../../../src/model/keystroke-windows';
import { enrol, feed, harness, type Harness } from './support/harness';
import { IMPOSTOR, IMPOSTOR_MOUSE, mouseActions, OWNER, typeText, typingWindows, type TypingStyle } from './support/synthetic';

function challenged(policy: Parameters<typeof harness>[0] = {}): Harness {
  const h = harness(policy);
  enrol(h);
  feed(h, typingWindows(IMPOSTOR, 500, 5));
  assert.equal(h.engine.state, 'challenge');
  return h;
}

/** The person at the keyboard types the phrase: the capture process sends its 10-keystroke windows. */
function typePhrase(h: Harness, style: TypingStyle, phrase: string, seed: number): void {
  for (const w of keystrokeWindows(typeText(style, phrase, seededRandom(seed)), 10)) {
    h.clock.advance(1500);
    h.engine.addKeystrokeWindow(w);
  }
}

test('the owner typing the phrase passes: back to protected with full trust, audited without the typed text', async () => {
  const h = challenged();
  const { phrase, attemptsLeft, expiresAt } = h.engine.challenge()!;
  assert.equal(attemptsLeft, 3);
  assert.equal(expiresAt, h.clock.now() + 60_000);
  typePhrase(h, OWNER, phrase, 1);
  const typed = `  ${phrase.toUpperCase()} `;
  const r = h.engine.submitChallenge(typed);
  assert.deepEqual(r.ok && r.value, { passed: true, attemptsLeft: 3, next: 'protected', reason: 'Welcome back.' });
  assert.equal(h.engine.state, 'protected');
  assert.equal(h.engine.status().trust, 100);
  assert.equal(h.store.events.at(-1)!.kind, 'challenge-passed');
  assert.ok(!h.store.dump().includes(typed.trim()), 'the typed text is stored nowhere');
  await h.engine.settled();
  assert.equal(h.locker.calls.length, 0);
});

test('the right words in the impostor’s rhythm fail; wrong words in the owner’s rhythm fail; each costs an attempt', () => {
  const h = challenged();
  const { phrase } = h.engine.challenge()!;
  typePhrase(h, IMPOSTOR, phrase, 2);
  let r = h.engine.submitChallenge(phrase);
  assert.ok(r.ok);
  assert.equal(r.value.next, 'retry');
  assert.equal(r.value.attemptsLeft, 2);
  assert.match(r.value.reason, /typing rhythm did not match/);
  typePhrase(h, OWNER, 'some other words here', 3);
  r = h.engine.submitChallenge('some other words here');
  assert.ok(r.ok);
  assert.equal(r.value.attemptsLeft, 1);
  assert.match(r.value.reason, /^The words did not match the phrase\. Try again: 1 attempt left\.$/);
  const failed = h.store.events.filter((e) => e.kind === 'challenge-failed');
  assert.deepEqual(
    failed.map((e) => e.details),
    [
      { attemptsLeft: 2, wordsMatched: true, rhythmMatched: false },
      { attemptsLeft: 1, wordsMatched: false, rhythmMatched: true },
    ],
  );
  assert.ok(!h.store.dump().includes('some other words here'));
});

test('words typed somewhere Cadence could not capture (no rhythm) do not pass', () => {
  const h = challenged();
  const r = h.engine.submitChallenge(h.engine.challenge()!.phrase);
  assert.ok(r.ok);
  assert.equal(r.value.passed, false);
  assert.match(r.value.reason, /captured none of the typing/);
});

test('the last failed attempt calls the OS lock and audits the lock result', async () => {
  const h = challenged({ challengeAttempts: 2, lockCommand: ['touch', '/tmp/locked'] });
  for (let i = 0; i < 2; i++) {
    typePhrase(h, IMPOSTOR, h.engine.challenge()!.phrase, 10 + i);
    h.engine.submitChallenge(h.engine.challenge()!.phrase);
  }
  assert.equal(h.engine.state, 'locked');
  await h.engine.settled();
  assert.deepEqual(h.locker.calls, [['touch', '/tmp/locked']]);
  const tail = h.store.events.slice(-2);
  assert.equal(tail[0]!.to, 'locked');
  assert.match(tail[0]!.reason, /last challenge attempt failed/);
  assert.equal(tail[1]!.kind, 'lock');
  assert.equal(tail[1]!.reason, 'The OS session was locked (test-lock-command).');
  assert.equal(h.engine.challenge(), null);
  assert.equal((h.engine.submitChallenge('x') as { code: string }).code, 'no-challenge');
});

test('a challenge left unanswered times out into the OS lock', async () => {
  const h = challenged({ challengeTimeoutSeconds: 30 });
  h.locker.next = () => ({ ok: true, method: 'xdg-screensaver lock', confirmed: false });
  h.clock.advance(29_000);
  assert.equal(h.engine.state, 'challenge');
  h.clock.advance(1_000);
  assert.equal(h.engine.state, 'locked');
  await h.engine.settled();
  assert.equal(h.locker.calls.length, 1);
  assert.ok(h.store.events.some((e) => e.to === 'locked' && /timed out/.test(e.reason)));
  assert.equal(h.store.events.at(-1)!.reason, 'The lock command ran (xdg-screensaver lock) but cannot confirm the screen locked.');
});

test('dismissing the challenge screen falls through to the OS lock', async () => {
  const h = challenged();
  assert.ok(h.engine.dismissChallenge());
  await h.engine.settled();
  assert.equal(h.engine.state, 'locked');
  assert.equal(h.locker.calls.length, 1);
  assert.match(h.store.events.find((e) => e.to === 'locked')!.reason, /dismissed/);
});

test('inhuman typing during the challenge locks at once', async () => {
  const h = challenged();
  const ks = [...h.engine.challenge()!.phrase].map((key, i) => ({ key, press: i * 5, release: i * 5 + 3 }));
  for (const w of keystrokeWindows(ks, 10)) h.engine.addKeystrokeWindow(w);
  assert.equal(h.engine.state, 'locked');
  await h.engine.settled();
  assert.equal(h.locker.calls.length, 1);
});

test('a failing OS lock is audited, surfaced in status, retried, and the success audited', async () => {
  let fail = true;
  const h = harness();
  h.locker.next = () => (fail ? { ok: false, tried: [{ method: 'loginctl lock-session', problem: 'exited with code 1' }, { method: 'xdg-screensaver lock', problem: 'not installed' }], message: 'no session manager answered' } : { ok: true, method: 'loginctl' });
  enrol(h);
  feed(h, typingWindows(IMPOSTOR, 500, 5));
  h.engine.dismissChallenge();
  await h.engine.settled();
  const st = h.engine.status();
  assert.equal(st.state, 'locked');
  assert.match(st.lockProblem!, /The OS lock failed: no session manager answered\. Tried: loginctl lock-session \(exited with code 1\); xdg-screensaver lock \(not installed\)\./);
  assert.equal(h.store.events.filter((e) => e.details?.failed === true).length, 1);
  h.clock.advance(60_000);
  await h.engine.settled();
  assert.equal(h.locker.calls.length, 2);
  assert.equal(h.store.events.filter((e) => e.details?.failed === true).length, 1, 'a repeated failure is not audited again');
  fail = false;
  h.clock.advance(60_000);
  await h.engine.settled();
  assert.equal(h.locker.calls.length, 3);
  assert.equal(h.engine.status().lockProblem, null);
  assert.equal(h.store.events.at(-1)!.reason, 'The OS session was locked (loginctl).');
  h.clock.advance(600_000);
  await h.engine.settled();
  assert.equal(h.locker.calls.length, 3, 'no retry after success');
});

test('an OS unlock returns to protected with extra scrutiny: stricter preset and heavier windows for N minutes', async () => {
  const h = challenged();
  h.engine.dismissChallenge();
  await h.engine.settled();
  assert.ok(h.engine.notifyUnlocked());
  assert.equal(h.engine.state, 'protected');
  const st = h.engine.status();
  assert.equal(st.scrutinyUntil, h.clock.now() + 10 * 60_000);
  assert.equal(h.store.events.at(-1)!.kind, 'unlock');
  feed(h, typingWindows(OWNER, 100, 6));
  assert.ok(h.model.sessions.at(-1)!.weights.every((w) => w >= 1.5));
  h.clock.advance(11 * 60_000);
  assert.equal(h.engine.status().scrutinyUntil, null);
  assert.equal(h.engine.notifyUnlocked(), false, 'an unlock when not locked changes nothing');
});

test('with the keystroke channel off, a challenge cannot check rhythm, so the OS lock decides', async () => {
  const h = harness();
  enrol(h);
  h.policy.set({ channels: { keystroke: false, mouse: true } });
  const actions = mouseActions(IMPOSTOR_MOUSE, 100, 8);
  for (let i = 0; i < actions.length && h.engine.state === 'protected'; i += 5) {
    h.clock.advance(3000);
    h.engine.addMouseActions(actions.slice(i, i + 5));
  }
  assert.equal(h.engine.state, 'locked');
  await h.engine.settled();
  assert.equal(h.locker.calls.length, 1);
  assert.match(h.store.events.find((e) => e.to === 'locked')!.reason, /keystroke channel is off by policy/);
});

test('when extra scrutiny ends with trust high, the policy preset comes back (new session, normal weights)', async () => {
  const h = challenged();
  h.engine.dismissChallenge();
  await h.engine.settled();
  h.engine.notifyUnlocked();
  const n = h.model.sessions.length;
  feed(h, typingWindows(OWNER, 625, 6), 30_000); // 25 windows over 12.5 minutes, no idle gap
  assert.equal(h.model.sessions.length, n + 1);
  const w = h.model.sessions.at(-1)!.weights;
  assert.ok(w.length >= 4 && w.every((x) => x === 1), `${w}`);
  assert.ok(h.model.sessions.at(-2)!.weights.every((x) => x >= 1.5));
});
