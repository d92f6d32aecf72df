import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readInputFile } from '../../../src/main/eval/readers/input-file';
import { detectTimeUnit } from '../../../src/main/eval/readers/mouse-session';
import { datasetDir, missingDatasetReason } from '../../support/datasets';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-readers-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
function write(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

test('keystroke log: sessions in order of appearance, keystrokes sorted by press, quoted keys kept', () => {
  const f = write(
    'log.csv',
    'user,session,key,press_ms,release_ms\nu1,s1,b,200,260\nu1,s1,a,100,180\nu1,s2,",",500,590\nu1,s1,c,300,350\n',
  );
  const r = readInputFile(f);
  assert.equal(r.modality, 'keystroke');
  if (r.modality !== 'keystroke') return;
  assert.equal(r.format, 'keystroke-log');
  assert.deepEqual(
    r.sessions.map((s) => [s.session, s.keystrokes.map((k) => k.key).join('')]),
    [
      ['s1', 'abc'],
      ['s2', ','],
    ],
  );
  assert.deepEqual(r.skipped, {});
});

test('keystroke log: a release before its press is skipped and counted, not used', () => {
  const r = readInputFile(write('neg.csv', 'user,session,key,press_ms,release_ms\nu,s,a,100,90\nu,s,b,200,260\n'));
  assert.equal(r.modality, 'keystroke');
  if (r.modality !== 'keystroke') return;
  assert.deepEqual(r.skipped, { 'release before press': 1 });
  assert.equal(r.sessions[0]!.keystrokes.length, 1);
});

test('keystroke log: a non-numeric time is an error naming file and line', () => {
  const f = write('bad.csv', 'user,session,key,press_ms,release_ms\nu,s,a,100,150\nu,s,b,soon,260\n');
  assert.throws(() => readInputFile(f), (e: Error) => e.message.startsWith(`${f}:3:`) && /press_ms/.test(e.message));
});

test('keystroke log: a row with a missing column is an error naming file and line', () => {
  const f = write('short.csv', 'user,session,key,press_ms,release_ms\nu,s,a,100,150\nu,s,b,200\n');
  assert.throws(() => readInputFile(f), (e: Error) => e.message.startsWith(`${f}:3:`));
});

const AALTO_HEADER = 'PARTICIPANT_ID\tTEST_SECTION_ID\tSENTENCE\tUSER_INPUT\tKEYSTROKE_ID\tPRESS_TIME\tRELEASE_TIME\tLETTER\tKEYCODE\n';

test('Aalto: one session per TEST_SECTION_ID, keyed by KEYCODE, quotes are text', () => {
  const f = write(
    'aalto.txt',
    AALTO_HEADER +
      '7\t11\tHe said "hi".\tHe said "hi"\t3\t1000\t1090\tH\t72\n' +
      '7\t11\tHe said "hi".\tHe said "hi"\t2\t1100\t1170\t\t69\n' +
      '7\t12\tOk.\tOk\t9\t5000\t5080\tO\t79\n' +
      '7\t12\tOk.\tOk\t8\t5200\t5100\tk\t75\n',
  );
  const r = readInputFile(f);
  assert.equal(r.modality, 'keystroke');
  if (r.modality !== 'keystroke') return;
  assert.equal(r.format, 'aalto');
  assert.deepEqual(
    r.sessions.map((s) => [s.session, s.keystrokes.map((k) => k.key)]),
    [
      ['11', ['k72', 'k69']],
      ['12', ['k79']],
    ],
  );
  assert.deepEqual(r.skipped, { 'release before press': 1 });
});

test('Aalto: a broken time or a short row is an error naming file and line', () => {
  const bad = write('aalto-bad.txt', AALTO_HEADER + '7\t11\ts\ts\t3\t1000\t1090\tH\t72\n7\t11\ts\ts\t3\tnope\t1090\tH\t72\n');
  assert.throws(() => readInputFile(bad), (e: Error) => e.message.startsWith(`${bad}:3:`) && /PRESS_TIME/.test(e.message));
  const short = write('aalto-short.txt', AALTO_HEADER + '7\t11\ts\ts\t3\t1000\t1090\tH\n');
  assert.throws(() => readInputFile(short), (e: Error) => e.message.startsWith(`${short}:2:`));
});

function mouseRows(scale: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < 10; i++) rows.push(`${((1000 + i * 16) * scale).toFixed(3)},NoButton,Move,${100 + i * 5},200`);
  rows.push(`${(1170 * scale).toFixed(3)},Left,Pressed,150,200`);
  rows.push(`${(1250 * scale).toFixed(3)},Left,Released,150,200`);
  return rows;
}

test('SapiMouse: client timestamps in ms, CRLF line endings', () => {
  const f = write('sapi.csv', ['client timestamp,button,state,x,y', ...mouseRows(1).map((r) => r.replace(/\.000/, ''))].join('\r\n') + '\r\n');
  const r = readInputFile(f);
  assert.equal(r.modality, 'mouse');
  if (r.modality !== 'mouse') return;
  assert.equal(r.session.timeUnit, 'ms');
  assert.equal(r.session.events.length, 12);
  assert.deepEqual(r.session.events[10], { t: 1170, kind: 'down', x: 150, y: 200, button: 'left' });
});

test('Balabit: record and client timestamps in seconds become ms; scroll rows are wheel events', () => {
  const rows = mouseRows(0.001).map((r) => `0.5,${r}`);
  rows.push('1.3,1.300,Scroll,Down,150,200');
  const f = write('balabit.csv', ['record timestamp,client timestamp,button,state,x,y', ...rows].join('\n') + '\n');
  const r = readInputFile(f);
  assert.equal(r.modality, 'mouse');
  if (r.modality !== 'mouse') return;
  assert.equal(r.session.timeUnit, 's');
  assert.ok(Math.abs(r.session.events[1]!.t - 1016) < 1e-6);
  assert.equal(r.session.events[12]!.kind, 'wheel');
});

test('mouse time unit: a client-only file in seconds is recognised from its steps', () => {
  assert.equal(detectTimeUnit(false, [10.001, 10.017, 10.033, 10.049]), 's');
  assert.equal(detectTimeUnit(false, [15585, 15601, 15617]), 'ms');
  assert.equal(detectTimeUnit(true, [15585, 15601]), 's');
});

test('mouse: an unknown state, or time going backwards, is reported, never silently used', () => {
  const bad = write('state.csv', 'client timestamp,button,state,x,y\n1,NoButton,Move,1,1\n2,NoButton,Hover,1,1\n');
  assert.throws(() => readInputFile(bad), (e: Error) => e.message.startsWith(`${bad}:3:`) && /Hover/.test(e.message));
  const back = write('back.csv', 'client timestamp,button,state,x,y\n100,NoButton,Move,1,1\n90,NoButton,Move,2,1\n116,NoButton,Move,3,1\n');
  const r = readInputFile(back);
  assert.equal(r.modality, 'mouse');
  if (r.modality !== 'mouse') return;
  assert.deepEqual(r.skipped, { 'time went backwards': 1 });
  assert.equal(r.session.events.length, 2);
});

test('an unrecognised header names the file and the formats it could have been', () => {
  const f = write('what.csv', 'a,b,c\n1,2,3\n');
  assert.throws(() => readInputFile(f), (e: Error) => e.message.startsWith(`${f}:1:`) && /user,session,key,press_ms,release_ms/.test(e.message));
});

test('the shared Aalto and SapiMouse files read with the documented quirks', (t) => {
  const aalto = datasetDir('aalto-136m-subset');
  const sapi = datasetDir('sapimouse');
  if (!aalto || !sapi) {
    t.skip(missingDatasetReason(!aalto ? 'aalto-136m-subset' : 'sapimouse'));
    return;
  }
  const a = readInputFile(path.join(aalto, 'keystroke-samples', '5_keystrokes.txt'));
  assert.equal(a.modality, 'keystroke');
  if (a.modality === 'keystroke') assert.equal(a.sessions.length, 15);
  const m = readInputFile(path.join(sapi, 'user1', 'session_2020_05_14_1min.csv'));
  assert.equal(m.modality, 'mouse');
  if (m.modality === 'mouse') assert.equal(m.session.timeUnit, 'ms');
});
