import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PolicyManager, LAST_GOOD_KEY } from '../../../src/main/policy/policy-manager';
import type { EffectivePolicy, PolicyLoad, PolicyPersistence } from '../../../src/main/policy/policy-manager';
import { filePolicySource } from '../../../src/main/policy/source-file';
import { machinePolicySource } from '../../../src/main/policy/machine-source';
import { DEFAULT_POLICY } from '../../../src/main/policy/schema';
import { Store } from '../../../src/main/store/store';
import { scratchDir } from '../store/scratch';

/** Writes like a config tool: a temp file renamed over the target (atomic). */
function writePolicy(file: string, content: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  fs.renameSync(tmp, file);
}

function memory(): PolicyPersistence & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return { map, getState: (k) => (map.has(k) ? structuredClone(map.get(k)) : null), setState: (k, v) => void map.set(k, structuredClone(v)) };
}

test('no policy file means the defaults, from "defaults"', (t) => {
  const file = path.join(scratchDir(t, 'cadence-policy-'), 'policy.json');
  const m = new PolicyManager({ source: filePolicySource(file) });
  assert.deepEqual(m.current(), { ...DEFAULT_POLICY, source: 'defaults' });
  assert.deepEqual(m.lastResult().problems, []);
});

test('$CADENCE_POLICY_FILE replaces the platform source', () => {
  assert.equal(machinePolicySource({ CADENCE_POLICY_FILE: '/tmp/x/policy.json' }, 'linux').name, '/tmp/x/policy.json');
  assert.equal(machinePolicySource({}, 'linux').name, '/etc/cadence/policy.json');
  assert.equal(machinePolicySource({}, 'win32').name, 'HKLM\\Software\\Policies\\Cadence');
  assert.match(machinePolicySource({}, 'darwin').name, /^\/Library\/Managed Preferences\/.+\.plist$/);
});

test('a valid file applies, with its path as the source', (t) => {
  const file = path.join(scratchDir(t, 'cadence-policy-'), 'policy.json');
  writePolicy(file, { sensitivity: 'strict', idleMinutes: 2, lockCommand: ['/usr/bin/true'] });
  const m = new PolicyManager({ source: filePolicySource(file) });
  const p = m.current();
  assert.equal(p.source, file);
  assert.equal(p.sensitivity, 'strict');
  assert.equal(p.idleMinutes, 2);
  assert.deepEqual(p.lockCommand, ['/usr/bin/true']);
  assert.equal(p.challengeAttempts, DEFAULT_POLICY.challengeAttempts);
});

test('a bad file keeps the last good policy and reports every problem with its key', (t) => {
  const file = path.join(scratchDir(t, 'cadence-policy-'), 'policy.json');
  writePolicy(file, { idleMinutes: 2 });
  const m = new PolicyManager({ source: filePolicySource(file), persistence: memory() });
  const changes: EffectivePolicy[] = [];
  const reports: PolicyLoad[] = [];
  m.onChange((p) => changes.push(p));
  m.onProblems((r) => reports.push(r));

  writePolicy(file, { idleMinutes: 0, unknownKey: true });
  const r = m.load();
  assert.equal(r.kept, 'last-good');
  assert.deepEqual(r.problems, [`${file}: idleMinutes: must be between 1 and 240, got 0`, `${file}: unknownKey: unknown key (known keys: ${Object.keys(DEFAULT_POLICY).join(', ')})`]);
  assert.equal(m.current().idleMinutes, 2, 'the last good value stays in force');
  assert.match(m.current().source, /last good policy/);
  assert.equal(reports.length, 1);
  // Same values in force; only the source label changed to say the file was rejected.
  assert.equal(changes.length, 1);
  assert.equal(changes[0]!.idleMinutes, 2);
});

test('a JSON syntax error names the line and column', (t) => {
  const file = path.join(scratchDir(t, 'cadence-policy-'), 'policy.json');
  writePolicy(file, '{\n  "idleMinutes": 5,\n}\n');
  const m = new PolicyManager({ source: filePolicySource(file) });
  assert.deepEqual(m.lastResult().problems, [`${file} line 3 column 1: not valid JSON: Expected double-quoted property name (JSON has no comments or trailing commas)`]);
  assert.equal(m.lastResult().kept, 'defaults');
  assert.deepEqual(m.current(), { ...DEFAULT_POLICY, source: 'defaults' });
  writePolicy(file, '');
  assert.match(m.load().problems[0]!, /the file is empty; write \{\} for a policy that sets nothing/);
});

test('the last good policy survives a restart: a new manager on the same database keeps it when the file went bad', (t) => {
  const dir = scratchDir(t, 'cadence-policy-');
  const file = path.join(dir, 'policy.json');
  const db = path.join(dir, 'cadence.db');
  writePolicy(file, { sensitivity: 'strict', challengeAttempts: 1 });
  const s1 = Store.open({ path: db });
  new PolicyManager({ source: filePolicySource(file), persistence: s1 }).dispose();
  s1.close();

  writePolicy(file, { sensitivity: 'lax' });
  const s2 = Store.open({ path: db });
  t.after(() => s2.close());
  const m = new PolicyManager({ source: filePolicySource(file), persistence: s2 });
  assert.equal(m.current().sensitivity, 'strict');
  assert.equal(m.current().challengeAttempts, 1);
  assert.equal(m.lastResult().kept, 'last-good');
  assert.deepEqual(m.lastResult().problems, [`${file}: sensitivity: must be one of "relaxed", "balanced", "strict", got "lax"`]);

  // Without the persisted copy the same bad file falls back to defaults: the store is what kept it.
  const fresh = new PolicyManager({ source: filePolicySource(file) });
  assert.equal(fresh.current().sensitivity, DEFAULT_POLICY.sensitivity);
  assert.equal(fresh.lastResult().kept, 'defaults');
});

test('a damaged persisted copy is ignored rather than trusted', (t) => {
  const file = path.join(scratchDir(t, 'cadence-policy-'), 'policy.json');
  writePolicy(file, 'not json');
  const mem = memory();
  mem.setState(LAST_GOOD_KEY, { machine: { idleMinutes: 0 }, source: file, savedAt: 1 });
  const m = new PolicyManager({ source: filePolicySource(file), persistence: mem });
  assert.equal(m.lastResult().kept, 'defaults');
  assert.equal(m.current().idleMinutes, DEFAULT_POLICY.idleMinutes);
});

test('user settings go through the same validation and cannot weaken machine policy', (t) => {
  const file = path.join(scratchDir(t, 'cadence-policy-'), 'policy.json');
  writePolicy(file, { idleMinutes: 10 });
  const m = new PolicyManager({ source: filePolicySource(file) });
  assert.deepEqual(m.setUserSettings({ idleMinutes: 500 }), { ok: false, problems: ['user settings: idleMinutes: must be between 1 and 240, got 500'], notes: [] });
  const r = m.setUserSettings({ idleMinutes: 30, retentionDays: 7 });
  assert.equal(r.ok, true);
  assert.equal(r.notes.length, 1);
  assert.equal(m.current().idleMinutes, 10);
  assert.equal(m.current().retentionDays, 7);
});

function nextEvent<T>(subscribe: (fn: (v: T) => void) => () => void, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${what} within ${ms} ms`));
    }, ms);
    const off = subscribe((v) => {
      clearTimeout(timer);
      off();
      resolve(v);
    });
  });
}

test('watch reloads a changed file, keeps the last good one on a bad write, and stops on dispose', async (t) => {
  const dir = scratchDir(t, 'cadence-policy-');
  const file = path.join(dir, 'policy.json');
  writePolicy(file, { idleMinutes: 5 });
  const m = new PolicyManager({ source: filePolicySource(file), persistence: memory() });
  t.after(() => m.dispose());
  const w = m.watch({ debounceMs: 50 });

  let changed = nextEvent<EffectivePolicy>((fn) => m.onChange(fn), 5000, 'reload');
  writePolicy(file, { idleMinutes: 7 });
  assert.equal((await changed).idleMinutes, 7);

  const problem = nextEvent<PolicyLoad>((fn) => m.onProblems(fn), 5000, 'problem report');
  writePolicy(file, { idleMinutes: 'seven' });
  const report = await problem;
  assert.deepEqual(report.problems, [`${file}: idleMinutes: must be a whole number between 1 and 240, got "seven"`]);
  assert.equal(m.current().idleMinutes, 7);

  // The file appearing after deletion is picked up too.
  fs.rmSync(file);
  changed = nextEvent<EffectivePolicy>((fn) => m.onChange(fn), 5000, 'reload after delete');
  assert.equal((await changed).source, 'defaults');
  changed = nextEvent<EffectivePolicy>((fn) => m.onChange(fn), 5000, 'reload after recreate');
  writePolicy(file, { idleMinutes: 9 });
  assert.equal((await changed).idleMinutes, 9);

  w.dispose();
  let after = 0;
  m.onChange(() => (after += 1));
  writePolicy(file, { idleMinutes: 11 });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(after, 0, 'a disposed watch must not reload');
  assert.equal(m.current().idleMinutes, 9);
});
