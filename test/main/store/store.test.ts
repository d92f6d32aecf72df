import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Store } from '../../../src/main/store/store';
import { keystrokeWindow } from '../../../src/model/keystroke-windows';
import { MOUSE_FEATURE_NAMES } from '../../../src/model/mouse-features';
import { HmacFeatureKeyer } from '../../../src/main/capture/feature-keyer';
import { scratchDir } from './scratch';

const DAY = 86_400_000;

function open(t: import('node:test').TestContext, now = () => 1_800_000_000_000): { store: Store; file: string } {
  const file = path.join(scratchDir(t), 'cadence.db');
  const store = Store.open({ path: file, now });
  t.after(() => store.close());
  return { store, file };
}

test('the install secret is 32 random bytes, made once and kept across reopen', (t) => {
  const { store, file } = open(t);
  const s = store.featureSecret();
  assert.equal(s.length, 32);
  store.close();
  const again = Store.open({ path: file });
  assert.deepEqual(again.featureSecret(), s);
  again.close();
  const other = open(t).store;
  assert.notDeepEqual(other.featureSecret(), s, 'two installs must not share a secret');
});

test('keystroke windows round-trip exactly, filtered by purpose, time and limit', (t) => {
  const { store } = open(t);
  const keyer = new HmacFeatureKeyer(store.featureSecret());
  const strokes = Array.from({ length: 25 }, (_, i) => ({ key: String(30 + (i % 5)), press: i * 150, release: i * 150 + 80 + (i % 3) }));
  const w = keystrokeWindow(strokes, keyer);
  store.addKeystrokeWindows([
    { t: 100, purpose: 'enrolment', window: w },
    { t: 200, purpose: 'enrolment', window: w },
    { t: 300, purpose: 'live', window: w },
  ]);
  const enrol = store.keystrokeWindows({ purpose: 'enrolment' });
  assert.deepEqual(
    enrol.map((r) => r.t),
    [100, 200],
  );
  assert.deepEqual(enrol[0]!.window, w);
  assert.deepEqual(
    store.keystrokeWindows({ limit: 2 }).map((r) => r.t),
    [200, 300],
  );
  assert.deepEqual(
    store.keystrokeWindows({ sinceMs: 150 }).map((r) => r.t),
    [200, 300],
  );
  assert.deepEqual(store.featureCounts('enrolment'), { keystrokeWindows: 2, keystrokes: 50, mouseActions: 0 });
  assert.deepEqual(store.featureCounts(), { keystrokeWindows: 3, keystrokes: 75, mouseActions: 0 });
});

test('mouse actions round-trip; a batch with one bad row inserts nothing', (t) => {
  const { store } = open(t);
  const values = MOUSE_FEATURE_NAMES.map((_, i) => i * 1.5);
  store.addMouseActions([
    { t: 1, purpose: 'enrolment', action: { type: 'PC', values } },
    { t: 2, purpose: 'live', action: { type: 'MM', values } },
  ]);
  assert.deepEqual(store.mouseActions({ purpose: 'enrolment' }), [{ id: 1, t: 1, purpose: 'enrolment', action: { type: 'PC', values } }]);
  assert.throws(() =>
    store.addMouseActions([
      { t: 3, purpose: 'live', action: { type: 'DD', values } },
      { t: 4, purpose: 'live', action: { type: 'DD', values: [Number.NaN] } },
    ]),
  );
  assert.equal(store.featureCounts().mouseActions, 2);
  assert.throws(() => store.addMouseActions([{ t: 5, purpose: 'live', action: { type: 'XX' as never, values } }]), /CHECK/);
  assert.equal(store.clearFeatures('enrolment'), 1);
  assert.equal(store.featureCounts().mouseActions, 1);
});

test('state survives reopen and profiles are versioned, newest current', (t) => {
  const { store, file } = open(t);
  assert.equal(store.getState('engine'), null);
  store.setState('engine', { version: 1, state: 'protected' });
  store.saveProfile({ a: 1 }, { format: 1, quality: { ready: true }, t: 10 });
  const id = store.saveProfile({ a: 2 }, { format: 2, t: 20 });
  store.close();
  const again = Store.open({ path: file });
  assert.deepEqual(again.getState('engine'), { version: 1, state: 'protected' });
  assert.deepEqual(again.latestProfile(), { id, createdAt: 20, format: 2, quality: null, profile: { a: 2 } });
  again.deleteState('engine');
  assert.equal(again.getState('engine'), null);
  again.close();
});

test('trust history is kept in time order', (t) => {
  const { store } = open(t);
  store.appendTrust([
    { t: 1, trust: 100 },
    { t: 2, trust: 90.5 },
  ]);
  store.appendTrust({ t: 3, trust: 70 });
  assert.deepEqual(store.trustSince(2), [
    { t: 2, trust: 90.5 },
    { t: 3, trust: 70 },
  ]);
  assert.throws(() => store.appendTrust({ t: 4, trust: 101 }), /CHECK/);
});

test('pruning deletes old features and history, keeps the newest profile and the whole audit log, and audits itself', (t) => {
  const now = 1_800_000_000_000;
  const { store } = open(t, () => now);
  const old = now - 40 * DAY;
  const recent = now - 1 * DAY;
  const w = { keystrokes: 1, durationMs: 1, holds: {}, dd: {}, ud: {} };
  const values = MOUSE_FEATURE_NAMES.map(() => 1);
  for (const t0 of [old, recent]) {
    store.addKeystrokeWindows([{ t: t0, purpose: 'live', window: w }]);
    store.addMouseActions([{ t: t0, purpose: 'enrolment', action: { type: 'MM', values } }]);
    store.appendTrust({ t: t0, trust: 50 });
    store.recordDecision({ t: t0, kind: 'state', reason: 'x' });
    store.recordOutage({ start: t0, end: t0 + 1, reason: 'y', failedAttempts: 0 });
  }
  store.saveProfile({ p: 'older' }, { format: 1, t: old - 1 });
  store.saveProfile({ p: 'newest but old' }, { format: 1, t: old });
  const auditBefore = store.auditEvents().length;

  const r = store.prune(30);
  assert.deepEqual(r, { cutoff: now - 30 * DAY, keystrokeWindows: 1, mouseActions: 1, decisions: 1, trustPoints: 1, outages: 1, profiles: 1 });
  assert.deepEqual(
    store.keystrokeWindows().map((x) => x.t),
    [recent],
  );
  assert.deepEqual(store.latestProfile()?.profile, { p: 'newest but old' });
  const audit = store.auditEvents();
  assert.equal(audit.length, auditBefore + 1, 'no audit row is pruned; the prune is itself audited');
  assert.equal(audit.at(-1)!.type, 'retention-pruned');
  assert.equal(audit.at(-1)!.payload.keystrokeWindows, 1);
  assert.equal(store.verifyAudit().ok, true);
  assert.deepEqual(store.prune(30), { ...r, keystrokeWindows: 0, mouseActions: 0, decisions: 0, trustPoints: 0, outages: 0, profiles: 0 });
  assert.equal(store.auditEvents().length, auditBefore + 1, 'a prune that deleted nothing adds no audit row');
  assert.throws(() => store.prune(0), /retentionDays/);
});

test('transaction() makes several writes all-or-nothing', (t) => {
  const { store } = open(t);
  assert.throws(() =>
    store.transaction(() => {
      store.setState('engine', { s: 1 });
      store.appendAudit('state', { reason: 'x' });
      throw new Error('crash between writes');
    }),
  );
  assert.equal(store.getState('engine'), null);
  assert.equal(store.auditEvents().length, 0);
});
