import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRegQuery } from '../../../src/main/policy/source-windows';
import { parsePolicyInput } from '../../../src/main/policy/schema';

// Only the text parser is tested; running reg.exe is untested here (Linux), see source-windows.ts.
const SAMPLE = [
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\Cadence',
  '    sensitivity    REG_SZ    strict',
  '    idleMinutes    REG_DWORD    0xa',
  '    adaptation    REG_DWORD    0x0',
  '    allowQuit    REG_DWORD    0x1',
  '    lockCommand    REG_MULTI_SZ    C:\\Tools\\lock.exe\\0--now',
  '    retentionDays    REG_DWORD    0x5a',
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\Cadence\\channels',
  '    keystroke    REG_DWORD    0x0',
  '    mouse    REG_DWORD    0x1',
  '',
].join('\r\n');

test('reg query output becomes a policy object the schema accepts', () => {
  const raw = parseRegQuery(SAMPLE);
  assert.deepEqual(raw, {
    sensitivity: 'strict',
    idleMinutes: 10,
    adaptation: false,
    allowQuit: true,
    lockCommand: ['C:\\Tools\\lock.exe', '--now'],
    retentionDays: 90,
    channels: { keystroke: false, mouse: true },
  });
  assert.equal(parsePolicyInput(raw).ok, true);
});

test('a DWORD other than 0/1 for a boolean stays a number so the schema names the key', () => {
  const raw = parseRegQuery('HKEY_LOCAL_MACHINE\\Software\\Policies\\Cadence\r\n    allowPause    REG_DWORD    0x2\r\n');
  const r = parsePolicyInput(raw);
  assert.deepEqual(r, { ok: false, problems: ['allowPause: must be true or false, got 2'] });
});
