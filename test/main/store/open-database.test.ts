import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Store } from '../../../src/main/store/store';
import { LATEST_VERSION } from '../../../src/main/store/migrations';
import { DatabaseCorruptError, DatabaseTooNewError } from '../../../src/main/store/open-database';
import { scratchDir, sha256File } from './scratch';
import type { KeystrokeWindow } from '../../../src/model/keystroke-windows';

const EXPECTED_TABLES = [
  'agent_state',
  'audit_head',
  'audit_log',
  'capture_outages',
  'decisions',
  'install_secret',
  'keystroke_windows',
  'mouse_actions',
  'profiles',
  'trust_history',
];

function window(i: number): KeystrokeWindow {
  return { keystrokes: 25, durationMs: 4000 + i, holds: { ['k' + (i % 7)]: [80, 90, 95] }, dd: { ['p' + (i % 11)]: [120, 140] }, ud: { ['p' + (i % 11)]: [30, 50] } };
}

test('an empty folder gets a database at the latest schema version with every table STRICT', (t) => {
  const file = path.join(scratchDir(t), 'sub', 'cadence.db');
  const store = Store.open({ path: file });
  assert.equal(store.report.created, true);
  assert.equal(store.report.fromVersion, 0);
  assert.equal(store.report.toVersion, LATEST_VERSION);
  assert.equal(store.schemaVersion(), LATEST_VERSION);
  store.close();
  if (process.platform !== 'win32') assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700, 'a new data folder is private to the user');

  const db = new Database(file, { readonly: true });
  const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
    name: string;
    strict: number;
  }[];
  db.close();
  assert.deepEqual(
    tables.map((r) => r.name),
    EXPECTED_TABLES,
  );
  for (const r of tables) assert.equal(r.strict, 1, `table ${r.name} is not STRICT`);
});

test('a zero-length file (what SQLite creates before its first write) is migrated, not quarantined', (t) => {
  const file = path.join(scratchDir(t), 'cadence.db');
  fs.writeFileSync(file, '');
  const store = Store.open({ path: file });
  assert.equal(store.report.quarantine, null);
  assert.equal(store.schemaVersion(), LATEST_VERSION);
  store.close();
});

test('the connection runs in WAL mode with synchronous=NORMAL and foreign keys on', (t) => {
  const dir = scratchDir(t);
  const file = path.join(dir, 'cadence.db');
  const store = Store.open({ path: file });
  assert.deepEqual(store.connectionSettings(), { journalMode: 'wal', synchronous: 'normal', foreignKeys: true });
  store.addKeystrokeWindows([{ t: 1, purpose: 'live', window: window(1) }]);
  assert.ok(fs.existsSync(`${file}-wal`), 'a write in WAL mode goes to the -wal file');
  store.close();
  // journal_mode=WAL is persistent: the header says so for every later connection.
  const db = new Database(file, { readonly: true });
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
});

test('reopening keeps the data and runs no migration', (t) => {
  const file = path.join(scratchDir(t), 'cadence.db');
  const a = Store.open({ path: file });
  a.setState('engine', { state: 'learning' });
  a.close();
  const b = Store.open({ path: file });
  assert.equal(b.report.created, false);
  assert.equal(b.report.fromVersion, LATEST_VERSION);
  assert.deepEqual(b.getState('engine'), { state: 'learning' });
  b.close();
});

function listing(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

test('a database from a newer version is refused with both versions named and its bytes left unchanged', (t) => {
  const dir = scratchDir(t);
  const file = path.join(dir, 'cadence.db');
  Store.open({ path: file }).close();
  const raw = new Database(file);
  raw.pragma(`user_version = ${LATEST_VERSION + 5}`);
  raw.close(); // last connection: checkpoints and removes the -wal
  const before = sha256File(file);
  const filesBefore = listing(dir);

  assert.throws(
    () => Store.open({ path: file }),
    (err: unknown) => {
      assert.ok(err instanceof DatabaseTooNewError);
      assert.equal(err.found, LATEST_VERSION + 5);
      assert.equal(err.supported, LATEST_VERSION);
      assert.match(err.message, new RegExp(`schema version ${LATEST_VERSION + 5}; this build knows up to ${LATEST_VERSION}`));
      assert.match(err.message, /left untouched/);
      assert.match(err.message, /Install the newer Cadence/);
      return true;
    },
  );
  assert.throws(() => Store.open({ path: file, readonly: true }), DatabaseTooNewError);
  assert.equal(sha256File(file), before, 'the refused file was modified');
  assert.deepEqual(listing(dir), filesBefore, 'opening created or removed files beside the database');
});

test('a newer version that so far lives only in an uncheckpointed WAL is refused too, main file unchanged', (t) => {
  const src = scratchDir(t);
  const dst = scratchDir(t);
  const file = path.join(src, 'cadence.db');
  Store.open({ path: file }).close();
  // Simulate a newer Cadence killed before its checkpoint: the version bump is only in the -wal.
  const live = new Database(file);
  live.pragma('journal_mode = WAL');
  live.pragma('wal_autocheckpoint = 0');
  live.pragma(`user_version = ${LATEST_VERSION + 1}`);
  for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dst, f));
  live.close();
  const copy = path.join(dst, 'cadence.db');
  assert.equal(fs.readFileSync(copy).readInt32BE(60), LATEST_VERSION, 'test setup: the main file should still hold the old version');
  const before = sha256File(copy);
  assert.throws(() => Store.open({ path: copy }), (err: unknown) => err instanceof DatabaseTooNewError && err.found === LATEST_VERSION + 1);
  assert.equal(sha256File(copy), before);
});

test('garbage bytes are moved aside with their -wal/-shm under a timestamped name and a fresh database starts', (t) => {
  const dir = scratchDir(t);
  const file = path.join(dir, 'cadence.db');
  const garbage = randomBytes(8192);
  fs.writeFileSync(file, garbage);
  fs.writeFileSync(`${file}-wal`, 'not a wal');
  fs.writeFileSync(`${file}-shm`, 'not a shm');
  const now = Date.UTC(2026, 10, 28, 12, 0, 0, 123);

  const store = Store.open({ path: file, now: () => now });
  const q = store.report.quarantine;
  assert.ok(q, 'expected a quarantine report');
  assert.match(q.reason, /not a SQLite database/);
  const base = `${file}.corrupt-2026-11-28T12-00-00.123Z`;
  assert.deepEqual(
    q.moved.map((m) => m.to),
    [base, `${base}-wal`, `${base}-shm`],
  );
  assert.deepEqual(fs.readFileSync(base), garbage, 'the moved file must keep its bytes');
  assert.equal(fs.readFileSync(`${base}-wal`, 'utf8'), 'not a wal');
  assert.ok(q.message.includes(base), 'the message says where the file went');
  assert.match(q.message, /learn your typing again/);
  assert.equal(store.report.created, true);
  assert.equal(store.schemaVersion(), LATEST_VERSION);
  store.appendAudit('test', { ok: true });
  assert.equal(store.verifyAudit().ok, true);
  store.close();
});

test('a real database cut short is quarantined and a fresh one starts empty', (t) => {
  const dir = scratchDir(t);
  const file = path.join(dir, 'cadence.db');
  const store = Store.open({ path: file });
  store.addKeystrokeWindows(Array.from({ length: 3000 }, (_, i) => ({ t: 1000 + i, purpose: 'live' as const, window: window(i) })));
  store.close();
  const full = fs.readFileSync(file);
  assert.ok(full.length > 100_000, 'test setup: database should span many pages');
  fs.writeFileSync(file, full.subarray(0, Math.floor(full.length / 2)));

  const again = Store.open({ path: file, now: () => 0 });
  assert.ok(again.report.quarantine, 'a truncated database must be quarantined');
  assert.equal(again.featureCounts().keystrokeWindows, 0);
  assert.equal(fs.statSync(again.report.quarantine.moved[0]!.to).size, Math.floor(full.length / 2));
  again.close();
});

test('two quarantines in the same millisecond do not overwrite each other', (t) => {
  const file = path.join(scratchDir(t), 'cadence.db');
  const now = () => 5;
  fs.writeFileSync(file, 'first garbage file, long enough to have a header of one hundred bytes ........................................');
  const a = Store.open({ path: file, now });
  a.close();
  fs.writeFileSync(file, 'x'.repeat(200));
  const b = Store.open({ path: file, now });
  b.close();
  assert.notEqual(a.report.quarantine!.moved[0]!.to, b.report.quarantine!.moved[0]!.to);
  assert.ok(fs.existsSync(a.report.quarantine!.moved[0]!.to));
  assert.ok(fs.existsSync(b.report.quarantine!.moved[0]!.to));
});

test('a read-only open of an empty database asks for the agent to set it up, and changes nothing', (t) => {
  const dir = scratchDir(t);
  const file = path.join(dir, 'cadence.db');
  fs.writeFileSync(file, '');
  assert.throws(() => Store.open({ path: file, readonly: true }), /is empty \(never set up\); start the agent once/);
  assert.equal(fs.statSync(file).size, 0);
});

test('a read-only open of a damaged database reports it and moves nothing', (t) => {
  const dir = scratchDir(t);
  const file = path.join(dir, 'cadence.db');
  fs.writeFileSync(file, randomBytes(4096));
  assert.throws(() => Store.open({ path: file, readonly: true }), DatabaseCorruptError);
  assert.deepEqual(listing(dir), ['cadence.db']);
});
