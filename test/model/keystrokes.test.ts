import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pairEvents, KeystrokePairer, type Keystroke } from '../../src/model/keystrokes';
import { keystrokeWindow, mergeKeystrokeWindows } from '../../src/model/keystroke-windows';

test('rollover: the next key goes down before the last is up, emitted in press order', () => {
  const ks = pairEvents([
    { key: 'a', t: 0, down: true },
    { key: 'b', t: 50, down: true },
    { key: 'b', t: 120, down: false },
    { key: 'a', t: 130, down: false },
  ]);
  assert.deepEqual(ks, [
    { key: 'a', press: 0, release: 130 },
    { key: 'b', press: 50, release: 120 },
  ]);
});

test('auto-repeat presses of a held key are not new keystrokes', () => {
  const out: Keystroke[] = [];
  const p = new KeystrokePairer((k) => out.push(k));
  p.press('a', 0);
  p.press('a', 500);
  p.press('a', 533);
  p.release('a', 600);
  assert.deepEqual(out, [{ key: 'a', press: 0, release: 600 }]);
  assert.equal(p.counts.autoRepeats, 2);
});

test('a release that never comes is dropped and does not hold back later keys', () => {
  const out: Keystroke[] = [];
  const p = new KeystrokePairer((k) => out.push(k), 1000);
  p.press('x', 0);
  p.press('a', 100);
  p.release('a', 180);
  assert.equal(out.length, 0, 'x still pending, a waits behind it');
  p.press('b', 1200);
  assert.deepEqual(out, [{ key: 'a', press: 100, release: 180 }]);
  assert.equal(p.counts.lostReleases, 1);
  p.release('b', 1300);
  assert.equal(out.length, 2);
});

test('stray releases are counted and ignored', () => {
  const out: Keystroke[] = [];
  const p = new KeystrokePairer((k) => out.push(k));
  p.release('q', 10);
  assert.equal(p.counts.strayReleases, 1);
  assert.equal(out.length, 0);
});

test('a window holds sorted, order-free hold and flight lists', () => {
  const ks: Keystroke[] = [
    { key: 'a', press: 0, release: 90 },
    { key: 'b', press: 150, release: 230 },
    { key: 'a', press: 300, release: 370 },
    { key: 'b', press: 2000, release: 2100 }, // after a pause: no digraph
  ];
  const w = keystrokeWindow(ks);
  assert.equal(w.keystrokes, 4);
  assert.deepEqual(w.holds['a'], [70, 90]);
  assert.deepEqual(w.holds['b'], [80, 100]);
  assert.deepEqual(w.dd['a>b'], [150]);
  assert.deepEqual(w.ud['a>b'], [60]);
  assert.deepEqual(w.dd['b>a'], [150]);
  assert.equal(w.dd['a>b']?.length, 1);
  const m = mergeKeystrokeWindows([w, w]);
  assert.deepEqual(m.holds['a'], [70, 70, 90, 90]);
  assert.equal(m.keystrokes, 8);
});
