import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicyInput, POLICY_KEYS } from '../../../src/main/policy/schema';

function problems(raw: unknown): string[] {
  const r = parsePolicyInput(raw);
  assert.equal(r.ok, false, `expected ${JSON.stringify(raw)} to be rejected`);
  return r.ok ? [] : r.problems;
}

test('an empty policy and a full valid policy are accepted', () => {
  assert.deepEqual(parsePolicyInput({}), { ok: true, input: {} });
  const full = {
    sensitivity: 'strict',
    idleMinutes: 240,
    challengeAttempts: 1,
    challengeTimeoutSeconds: 15,
    channels: { keystroke: false, mouse: true },
    lockCommand: ['/usr/bin/loginctl', 'lock-session'],
    adaptation: false,
    allowPause: true,
    allowQuit: false,
    retentionDays: 3650,
  };
  assert.deepEqual(parsePolicyInput(full), { ok: true, input: full });
  assert.deepEqual([...POLICY_KEYS].sort(), Object.keys(full).sort());
});

const CASES: [unknown, string][] = [
  [{ idleMinutes: 0 }, 'idleMinutes: must be between 1 and 240, got 0'],
  [{ idleMinutes: 241 }, 'idleMinutes: must be between 1 and 240, got 241'],
  [{ idleMinutes: 1.5 }, 'idleMinutes: must be a whole number between 1 and 240, got 1.5'],
  [{ idleMinutes: '5' }, 'idleMinutes: must be a whole number between 1 and 240, got "5"'],
  [{ challengeAttempts: 0 }, 'challengeAttempts: must be between 1 and 10, got 0'],
  [{ challengeAttempts: 11 }, 'challengeAttempts: must be between 1 and 10, got 11'],
  [{ challengeTimeoutSeconds: 14 }, 'challengeTimeoutSeconds: must be between 15 and 600, got 14'],
  [{ challengeTimeoutSeconds: 601 }, 'challengeTimeoutSeconds: must be between 15 and 600, got 601'],
  [{ retentionDays: 0 }, 'retentionDays: must be between 1 and 3650, got 0'],
  [{ retentionDays: 3651 }, 'retentionDays: must be between 1 and 3650, got 3651'],
  [{ sensitivity: 'paranoid' }, 'sensitivity: must be one of "relaxed", "balanced", "strict", got "paranoid"'],
  [{ channels: { keystroke: false, mouse: false } }, 'channels: keystroke and mouse cannot both be off (Cadence would have nothing to judge by); turn one on'],
  [{ channels: { keystroke: 'yes' } }, 'channels.keystroke: must be true or false, got "yes"'],
  [{ channels: true }, 'channels: must be an object, got true'],
  [{ lockCommand: [] }, 'lockCommand: must list at least 1 item (the program to run)'],
  [{ lockCommand: 'loginctl lock-session' }, 'lockCommand: must be a list of strings, got "loginctl lock-session"'],
  [{ lockCommand: ['/bin/lock', ''] }, 'lockCommand[1]: must not be empty'],
  [{ lockCommand: ['/bin/lock', 3] }, 'lockCommand[1]: must be a string, got 3'],
  [{ adaptation: 'no' }, 'adaptation: must be true or false, got "no"'],
  [{ allowPause: 1 }, 'allowPause: must be true or false, got 1'],
  [{ allowQuit: null }, 'allowQuit: must be true or false, got null'],
  [[], '(top level): must be an object, got []'],
  [null, '(top level): must be an object, got null'],
];

for (const [raw, message] of CASES) {
  test(`rejects ${JSON.stringify(raw)} naming the key: ${message.split(':')[0]}`, () => {
    assert.deepEqual(problems(raw), [message]);
  });
}

test('unknown keys are rejected one by one, top level and nested, with the known keys listed', () => {
  const p = problems({ idleMinute: 5, sensitivity: 'strict', comment: 'hi', channels: { keyboard: true } });
  assert.equal(p.length, 3);
  assert.ok(p.some((x) => x.startsWith('idleMinute: unknown key (known keys: sensitivity, idleMinutes,')));
  assert.ok(p.some((x) => x.startsWith('comment: unknown key')));
  assert.ok(p.includes('channels.keyboard: unknown key (known keys: keystroke, mouse)'));
});

test('every problem in a file is reported, not only the first', () => {
  const p = problems({ idleMinutes: 0, challengeAttempts: 99, sensitivity: 'x', extra: 1 });
  assert.equal(p.length, 4);
  for (const key of ['idleMinutes', 'challengeAttempts', 'sensitivity', 'extra']) assert.ok(p.some((x) => x.startsWith(`${key}: `)), key);
});
