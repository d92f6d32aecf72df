import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../../../src/main/store/store';
import { rowHash } from '../../../src/main/store/audit-chain';
import { scratchDir } from './scratch';

/** A store with `n` audit events, closed; returns the file. */
function logWith(t: import('node:test').TestContext, n: number): string {
  const file = path.join(scratchDir(t), 'cadence.db');
  const store = Store.open({ path: file });
  for (let i = 1; i <= n; i += 1) store.appendAudit('state', { reason: `event ${i}`, trust: i }, 1_700_000_000_000 + i * 1000);
  store.close();
  return file;
}

/** Opens the file as an attacker would: plain SQLite, the store's guard triggers dropped. */
function tamper(file: string, fn: (db: Database.Database) => void): void {
  const db = new Database(file);
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  fn(db);
  db.close();
}

function verify(file: string) {
  const store = Store.open({ path: file, readonly: true });
  try {
    return store.verifyAudit();
  } finally {
    store.close();
  }
}

test('an untouched log verifies, with the head at the last seq', (t) => {
  const file = logWith(t, 20);
  const v = verify(file);
  assert.equal(v.ok, true);
  assert.ok(v.ok);
  assert.equal(v.rows, 20);
  assert.equal(v.headSeq, 20);
});

test('an empty log verifies', (t) => {
  assert.equal(verify(logWith(t, 0)).ok, true);
});

test('an edited payload is found at its seq', (t) => {
  const file = logWith(t, 10);
  tamper(file, (db) => db.prepare("UPDATE audit_log SET payload = json_set(payload, '$.reason', 'nothing happened') WHERE seq = 4").run());
  const v = verify(file);
  assert.equal(v.ok, false);
  assert.ok(!v.ok);
  assert.equal(v.problem, 'edited');
  assert.equal(v.firstBadSeq, 4);
  assert.match(v.message, /seq 4 was changed/);
});

test('an edited row whose hash was recomputed is found through the next row link', (t) => {
  const file = logWith(t, 10);
  tamper(file, (db) => {
    const r = db.prepare('SELECT * FROM audit_log WHERE seq = 6').get() as { seq: number; t: number; type: string; prev_hash: string };
    const payload = JSON.stringify({ reason: 'rewritten', trust: 99 });
    db.prepare('UPDATE audit_log SET payload = ?, hash = ? WHERE seq = 6').run(payload, rowHash(r.prev_hash, r.seq, r.t, r.type, payload));
  });
  const v = verify(file);
  assert.ok(!v.ok);
  assert.equal(v.problem, 'edited');
  assert.equal(v.firstBadSeq, 6);
  assert.match(v.message, /seq 6 was rewritten/);
});

test('a deleted row in the middle is found as a gap at its seq', (t) => {
  const file = logWith(t, 10);
  tamper(file, (db) => db.prepare('DELETE FROM audit_log WHERE seq IN (5, 6)').run());
  const v = verify(file);
  assert.ok(!v.ok);
  assert.equal(v.problem, 'deleted');
  assert.equal(v.firstBadSeq, 5);
  assert.match(v.message, /seqs 5\.\.6 are missing/);
});

test('deleting the first rows is found', (t) => {
  const file = logWith(t, 5);
  tamper(file, (db) => db.prepare('DELETE FROM audit_log WHERE seq = 1').run());
  const v = verify(file);
  assert.ok(!v.ok);
  assert.equal(v.problem, 'deleted');
  assert.equal(v.firstBadSeq, 1);
});

test('cutting rows off the end is found through the head record', (t) => {
  const file = logWith(t, 10);
  tamper(file, (db) => db.prepare('DELETE FROM audit_log WHERE seq > 7').run());
  const v = verify(file);
  assert.ok(!v.ok);
  assert.equal(v.problem, 'truncated');
  assert.equal(v.firstBadSeq, 8);
  assert.match(v.message, /seqs 8\.\.10 are missing/);
});

test('deleting the head record while rows exist is found', (t) => {
  const file = logWith(t, 3);
  tamper(file, (db) => db.prepare('DELETE FROM audit_head').run());
  const v = verify(file);
  assert.ok(!v.ok);
  assert.equal(v.problem, 'head-missing');
});

test('renumbering rows to hide a deletion breaks the hashes', (t) => {
  const file = logWith(t, 6);
  tamper(file, (db) => {
    db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    db.prepare('UPDATE audit_log SET seq = seq - 1 WHERE seq > 3').run();
    db.prepare('UPDATE audit_head SET seq = 5').run();
  });
  const v = verify(file);
  assert.ok(!v.ok);
  assert.equal(v.firstBadSeq, 3);
});

test('the store itself cannot update or delete audit rows (guard triggers)', (t) => {
  const file = logWith(t, 2);
  const db = new Database(file);
  assert.throws(() => db.prepare("UPDATE audit_log SET type = 'x' WHERE seq = 1").run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM audit_log').run(), /append-only/);
  db.close();
});

test('appends continue the chain across reopen', (t) => {
  const file = logWith(t, 3);
  const store = Store.open({ path: file });
  const r = store.appendAudit('lock', { method: 'loginctl' });
  assert.equal(r.seq, 4);
  assert.equal(store.verifyAudit().ok, true);
  store.close();
});

test('payloads must be flat scalars: lists, nested objects and bad types are refused with the key named', (t) => {
  const store = Store.open({ path: path.join(scratchDir(t), 'cadence.db') });
  t.after(() => store.close());
  const bad: unknown[] = [{ holds: { k1: [80, 90] } }, { keys: ['a', 'b'] }, { n: Number.NaN }, { f: () => 1 }, ['x'], 'text', null];
  for (const p of bad) assert.throws(() => store.appendAudit('state', p as never), /audit payload/);
  assert.throws(() => store.appendAudit('state', { holds: [1] } as never), /"holds"/);
  assert.throws(() => store.appendAudit('Bad Type', {}), /audit type/);
  assert.throws(() => store.appendAudit('state', { r: 'x'.repeat(2001) }), /at most 2000/);
  assert.equal(store.auditEvents().length, 0, 'nothing was written by refused appends');
});

test('decisions and outages are audited in the same transaction as their rows', (t) => {
  const store = Store.open({ path: path.join(scratchDir(t), 'cadence.db') });
  t.after(() => store.close());
  store.recordDecision({ t: 10, kind: 'state', reason: 'enough data: protecting', from: 'learning', to: 'protected', trust: 80, details: { keystrokes: 2000 } });
  store.recordOutage({ start: 20, end: 30, reason: 'capture crashed', failedAttempts: 1 });
  const events = store.auditEvents();
  assert.deepEqual(
    events.map((e) => [e.seq, e.t, e.type, e.payload]),
    [
      [1, 10, 'state', { from: 'learning', keystrokes: 2000, reason: 'enough data: protecting', to: 'protected', trust: 80 }],
      [2, 30, 'capture-outage', { end: 30, failedAttempts: 1, reason: 'capture crashed', start: 20 }],
    ],
  );
  assert.deepEqual(store.recentDecisions(5), [{ t: 10, kind: 'state', reason: 'enough data: protecting', from: 'learning', to: 'protected', trust: 80, details: { keystrokes: 2000 } }]);
  assert.deepEqual(store.outagesSince(0), [{ start: 20, end: 30, reason: 'capture crashed', failedAttempts: 1 }]);
  // a decision whose audit append fails leaves no decision row behind
  assert.throws(() => store.recordDecision({ t: 40, kind: 'Not A Type' as never, reason: 'x' }));
  assert.equal(store.recentDecisions(5).length, 1);
});
