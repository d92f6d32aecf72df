import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePolicyInput, DEFAULT_POLICY, POLICY_KEYS } from '../../../src/main/policy/schema';
import { resolvePolicy } from '../../../src/main/policy/resolve';

// Compiled to dist/test/main/policy; the template lives in build/policy at the project root.
const DIR = path.join(__dirname, '..', '..', '..', '..', 'build', 'policy');

test('the IT template is a valid policy that states exactly the defaults', () => {
  const raw = JSON.parse(fs.readFileSync(path.join(DIR, 'policy.json'), 'utf8')) as unknown;
  const r = parsePolicyInput(raw);
  assert.ok(r.ok, r.ok ? '' : r.problems.join('\n'));
  assert.deepEqual(resolvePolicy(r.input, null).policy, DEFAULT_POLICY);
});

test('the template README documents every key', () => {
  const readme = fs.readFileSync(path.join(DIR, 'README.md'), 'utf8');
  for (const key of POLICY_KEYS) {
    const names = key === 'channels' ? ['channels.keystroke', 'channels.mouse'] : [key];
    for (const n of names) assert.ok(readme.includes(`| \`${n}\``), `README.md has no row for ${n}`);
  }
});
