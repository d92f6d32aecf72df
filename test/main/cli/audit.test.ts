import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { auditExport, auditVerify, parseSince } from '../../../src/main/cli/audit';
import type { AuditIo, ExportedEvent } from '../../../src/main/cli/audit';
import { Store } from '../../../src/main/store/store';
import { databasePath } from '../../../src/main/paths';
import { keystrokeWindow } from '../../../src/model/keystroke-windows';
import { HmacFeatureKeyer } from '../../../src/main/capture/feature-keyer';
import { scratchDir } from '../store/scratch';

const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const BIN = path.join(__dirname, '..', '..', '..', '..', 'bin', 'cadence.js');

function capture(): AuditIo & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (s: string) => void (io.stdout += s), err: (s: string) => void (io.stderr += s) };
  return io;
}

/**
 * A data folder as a running agent leaves it: feature windows keyed by the
 * install's HMAC, and audit events of decisions, outages and a prune.
 */
function agentDir(t: import('node:test').TestContext): { dir: string; featureIds: string[] } {
  const dir = scratchDir(t, 'cadence-audit-');
  const store = Store.open({ path: databasePath(dir), now: () => T0 });
  const keyer = new HmacFeatureKeyer(store.featureSecret());
  const keys = ['30', '31', '32', '33', '34', '35', '57'];
  const strokes = Array.from({ length: 100 }, (_, i) => ({ key: keys[i % keys.length]!, press: i * 140, release: i * 140 + 85 }));
  const window = keystrokeWindow(strokes, keyer);
  store.addKeystrokeWindows([{ t: T0, purpose: 'enrolment', window }]);
  store.recordDecision({ t: T0 + 1000, kind: 'state', reason: 'profile ready: protecting', from: 'learning', to: 'protected', trust: 100 });
  store.recordDecision({ t: T0 + 60_000, kind: 'challenge', reason: 'typing rhythm differs: hold times longer than the owner', trust: 31.5, details: { attemptsLeft: 3 } });
  store.recordDecision({ t: T0 + 120_000, kind: 'lock', reason: 'challenge timed out', details: { method: 'loginctl' } });
  store.recordOutage({ start: T0 + 200_000, end: T0 + 201_000, reason: 'capture crashed', failedAttempts: 1 });
  store.prune(30, T0 + 300_000);
  store.close();
  const featureIds = [...Object.keys(window.holds), ...Object.keys(window.dd)];
  return { dir, featureIds };
}

test('verify passes on an untouched log and says how many events', (t) => {
  const { dir } = agentDir(t);
  const io = capture();
  assert.equal(auditVerify({ dataDir: dir }, io), 0);
  assert.match(io.stdout, /^audit log intact: 4 events, head seq 4, head hash [0-9a-f]{64}\n$/);
  assert.equal(io.stderr, '');
});

test('verify exits 1 naming the first bad seq when a row was edited or deleted', (t) => {
  for (const [sql, expected] of [
    ["UPDATE audit_log SET payload = json_set(payload, '$.reason', 'nothing') WHERE seq = 3", /seq 3 was changed after it was written.*First bad seq: 3 \(edited/],
    ['DELETE FROM audit_log WHERE seq = 2', /seq 2 is missing.*First bad seq: 2 \(deleted/],
    ['DELETE FROM audit_log WHERE seq = 4', /end was cut off.*First bad seq: 4 \(truncated/],
  ] as const) {
    const { dir } = agentDir(t);
    const db = new Database(databasePath(dir));
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.exec(sql);
    db.close();
    const io = capture();
    assert.equal(auditVerify({ dataDir: dir }, io), 1, sql);
    assert.match(io.stderr, /^cadence audit verify: TAMPERED: /);
    assert.match(io.stderr, expected);
    assert.equal(io.stdout, '');
  }
});

test('export writes one JSON event per line with seq, time, type, payload and hashes, and no key data', (t) => {
  const { dir, featureIds } = agentDir(t);
  const io = capture();
  assert.equal(auditExport({ dataDir: dir, format: 'jsonl' }, io), 0);
  const lines = io.stdout.split('\n');
  assert.equal(lines.pop(), '', 'output ends with a newline');
  const events = lines.map((l) => JSON.parse(l) as ExportedEvent);
  assert.deepEqual(
    events.map((e) => [e.seq, e.type, e.time]),
    [
      [1, 'state', '2026-11-28T09:00:01.000Z'],
      [2, 'challenge', '2026-11-28T09:01:00.000Z'],
      [3, 'lock', '2026-11-28T09:02:00.000Z'],
      [4, 'capture-outage', '2026-11-28T09:03:21.000Z'],
    ],
  );
  assert.deepEqual(Object.keys(events[0]!).sort(), ['hash', 'payload', 'prevHash', 'seq', 't', 'time', 'type']);
  assert.equal(events[1]!.payload.attemptsLeft, 3);
  for (let i = 1; i < events.length; i += 1) assert.equal(events[i]!.prevHash, events[i - 1]!.hash, 'a SIEM can follow the chain');

  // No key data: payloads are flat scalars, and no feature id of the stored windows appears anywhere.
  for (const e of events) for (const v of Object.values(e.payload)) assert.ok(v === null || ['string', 'number', 'boolean'].includes(typeof v));
  assert.ok(featureIds.length > 5);
  for (const id of featureIds) assert.equal(io.stdout.includes(id), false, `feature id ${id} leaked into the export`);
  assert.equal(/"(holds|dd|ud|key|keys|keystrokes?)"\s*:/.test(io.stdout), false);
});

test('export --since keeps later events and --output writes the file', (t) => {
  const { dir } = agentDir(t);
  const out = path.join(scratchDir(t, 'cadence-audit-out-'), 'audit.jsonl');
  const io = capture();
  assert.equal(auditExport({ dataDir: dir, format: 'jsonl', since: '2026-11-28T09:01:30Z', output: out }, io), 0);
  assert.equal(io.stdout, '');
  assert.match(io.stderr, /wrote 2 events to/);
  const seqs = fs
    .readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as ExportedEvent).seq);
  assert.deepEqual(seqs, [3, 4]);
});

test('export of a tampered log still writes what exists but exits 1 with a warning', (t) => {
  const { dir } = agentDir(t);
  const db = new Database(databasePath(dir));
  db.exec('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 1;');
  db.close();
  const io = capture();
  assert.equal(auditExport({ dataDir: dir, format: 'jsonl' }, io), 1);
  assert.equal(io.stdout.trim().split('\n').length, 3);
  assert.match(io.stderr, /not intact: .*seq 1 is missing/);
});

test('bad values get clear errors and exit 2', (t) => {
  const { dir } = agentDir(t);
  const cases: [Parameters<typeof auditExport>[0], RegExp][] = [
    [{ dataDir: dir, format: 'csv' }, /--format must be jsonl, got "csv"/],
    [{ dataDir: dir, format: 'jsonl', since: 'yesterday' }, /--since must be an ISO 8601 date or time.*got "yesterday"/],
    [{ dataDir: dir, format: 'jsonl', since: '2026-11-28T09:00' }, /a time needs its zone/],
    [{ dataDir: dir, format: 'jsonl', since: '2026-02-31' }, /--since/],
    [{ dataDir: dir, format: 'jsonl', output: '/nonexistent-folder/x.jsonl' }, /the folder \/nonexistent-folder does not exist/],
    [{ dataDir: path.join(dir, 'nope'), format: 'jsonl' }, /the data folder .*nope does not exist/],
  ];
  for (const [opts, expected] of cases) {
    const io = capture();
    assert.equal(auditExport(opts, io), 2, JSON.stringify(opts));
    assert.match(io.stderr, expected);
  }
  const empty = scratchDir(t, 'cadence-audit-empty-');
  const io = capture();
  assert.equal(auditVerify({ dataDir: empty }, io), 2);
  assert.match(io.stderr, /there is no Cadence database at .*has the agent run/);
  assert.deepEqual(fs.readdirSync(empty), [], 'verify must not create a database');
});

test('--since accepts dates, UTC and offset times', () => {
  assert.deepEqual(parseSince('2026-11-28'), { ok: true, ms: Date.UTC(2026, 10, 28) });
  assert.deepEqual(parseSince('2026-11-28T10:00:00+01:00'), { ok: true, ms: Date.UTC(2026, 10, 28, 9) });
  assert.deepEqual(parseSince('2026-11-28T09:00:00.5Z'), { ok: true, ms: Date.UTC(2026, 10, 28, 9, 0, 0, 500) });
});

test('the real `cadence audit` command: exit codes, CADENCE_DATA_DIR default, and flag errors', (t) => {
  const { dir } = agentDir(t);
  const env = { ...process.env, CADENCE_DATA_DIR: dir };
  const ok = spawnSync(process.execPath, [BIN, 'audit', 'verify'], { env, encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /audit log intact: 4 events/);

  const exp = spawnSync(process.execPath, [BIN, 'audit', 'export', '--format', 'jsonl', '--data-dir', dir], { encoding: 'utf8' });
  assert.equal(exp.status, 0, exp.stderr);
  assert.equal(exp.stdout.trim().split('\n').length, 4);

  const bad = spawnSync(process.execPath, [BIN, 'audit', 'export', '--format', 'xml'], { env, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--format <format>' argument 'xml' is invalid. Allowed choices are jsonl/);

  const db = new Database(databasePath(dir));
  db.exec('DROP TRIGGER audit_log_no_update; UPDATE audit_log SET t = t + 1 WHERE seq = 2;');
  db.close();
  const tampered = spawnSync(process.execPath, [BIN, 'audit', 'verify'], { env, encoding: 'utf8' });
  assert.equal(tampered.status, 1);
  assert.match(tampered.stderr, /TAMPERED: .*seq 2/);
});
