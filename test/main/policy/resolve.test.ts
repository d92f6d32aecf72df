import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolvePolicy } from '../../../src/main/policy/resolve';
import { DEFAULT_POLICY } from '../../../src/main/policy/schema';

test('with no machine policy and no user settings the defaults apply', () => {
  assert.deepEqual(resolvePolicy(null, null), { policy: DEFAULT_POLICY, notes: [] });
  assert.equal(DEFAULT_POLICY.idleMinutes, 5);
  assert.equal(DEFAULT_POLICY.challengeAttempts, 3);
  assert.equal(DEFAULT_POLICY.challengeTimeoutSeconds, 60);
  assert.equal(DEFAULT_POLICY.retentionDays, 30);
  assert.equal(DEFAULT_POLICY.adaptation, true);
  assert.equal(DEFAULT_POLICY.allowPause, false);
  assert.equal(DEFAULT_POLICY.allowQuit, false);
});

test('the user may set what machine policy leaves open', () => {
  const { policy, notes } = resolvePolicy({ sensitivity: 'balanced' }, { idleMinutes: 20, allowPause: true, retentionDays: 90 });
  assert.equal(policy.idleMinutes, 20);
  assert.equal(policy.allowPause, true);
  assert.equal(policy.retentionDays, 90);
  assert.deepEqual(notes, []);
});

test('the user may make machine policy stricter, never weaker', () => {
  const machine = { sensitivity: 'balanced', idleMinutes: 10, challengeAttempts: 3, challengeTimeoutSeconds: 60, adaptation: true, allowPause: false, retentionDays: 30 } as const;
  const stricter = resolvePolicy(machine, { sensitivity: 'strict', idleMinutes: 2, challengeAttempts: 1, challengeTimeoutSeconds: 20, adaptation: false, retentionDays: 7 });
  assert.deepEqual(stricter.notes, []);
  assert.equal(stricter.policy.sensitivity, 'strict');
  assert.equal(stricter.policy.idleMinutes, 2);
  assert.equal(stricter.policy.challengeAttempts, 1);
  assert.equal(stricter.policy.challengeTimeoutSeconds, 20);
  assert.equal(stricter.policy.adaptation, false);
  assert.equal(stricter.policy.retentionDays, 7);

  const weaker = resolvePolicy(machine, { sensitivity: 'relaxed', idleMinutes: 60, challengeAttempts: 10, allowPause: true, retentionDays: 365 });
  assert.equal(weaker.policy.sensitivity, 'balanced');
  assert.equal(weaker.policy.idleMinutes, 10);
  assert.equal(weaker.policy.challengeAttempts, 3);
  assert.equal(weaker.policy.allowPause, false);
  assert.equal(weaker.policy.retentionDays, 30);
  assert.equal(weaker.notes.length, 5);
  assert.ok(weaker.notes.includes('idleMinutes: machine policy sets 10; your setting 60 would weaken it and is ignored'));
});

test('only machine policy sets the lock command and the channels it names', () => {
  const r = resolvePolicy({ channels: { keystroke: false }, lockCommand: ['/usr/bin/xdg-screensaver', 'lock'] }, { channels: { keystroke: true }, lockCommand: ['/bin/true'] });
  assert.deepEqual(r.policy.lockCommand, ['/usr/bin/xdg-screensaver', 'lock']);
  assert.deepEqual(r.policy.channels, { keystroke: false, mouse: true });
  assert.equal(r.notes.length, 2);
  assert.ok(r.notes.some((n) => n.startsWith('lockCommand:')));
  assert.ok(r.notes.some((n) => n.startsWith('channels.keystroke:')));
  assert.equal(resolvePolicy(null, { lockCommand: ['/bin/true'] }).policy.lockCommand, null);
});

test('a user cannot turn off the last channel policy left on', () => {
  const r = resolvePolicy({ channels: { keystroke: false } }, { channels: { mouse: false } });
  assert.deepEqual(r.policy.channels, { keystroke: false, mouse: true });
  assert.ok(r.notes.some((n) => n.startsWith('channels.mouse:')));
});
