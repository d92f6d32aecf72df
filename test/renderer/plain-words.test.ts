import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reasonAfterLabel } from '../../src/renderer/plain-words';

test('a decision reason drops the words that only repeat its label', () => {
  assert.equal(reasonAfterLabel('challenge-passed', 'Challenge passed: the words and the typing rhythm matched the owner.'), 'The words and the typing rhythm matched the owner.');
  assert.equal(reasonAfterLabel('challenge', 'Challenge: typing rhythm differed from the owner’s.'), 'Typing rhythm differed from the owner’s.');
  assert.equal(reasonAfterLabel('lock', 'Locked because the challenge timed out.'), 'The challenge timed out.');
  assert.equal(reasonAfterLabel('lock', 'Locked during the challenge: inhuman typing.'), 'During the challenge: inhuman typing.');
  assert.equal(reasonAfterLabel('policy', 'Policy changed (/etc/cadence/policy.json): sensitivity balanced → strict.'), 'In /etc/cadence/policy.json: sensitivity balanced → strict.');
  assert.equal(reasonAfterLabel('capture-outage', 'Capture unavailable: Wayland session'), 'Wayland session');
  // Nothing to drop: unchanged.
  assert.equal(reasonAfterLabel('state', 'Agent restarted; resuming in protection.'), 'Agent restarted; resuming in protection.');
  assert.equal(reasonAfterLabel('lock', 'The OS lock failed: no method worked.'), 'The OS lock failed: no method worked.');
});
