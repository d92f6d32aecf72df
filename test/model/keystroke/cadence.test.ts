import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeystrokeWindow } from '../../../src/model/keystroke-windows';
import { buildRobustProfile } from '../../../src/model/keystroke/robust-profile';
import { cadenceDetector, robustDistance } from '../../../src/model/keystroke/cadence';

function win(holds: Record<string, number[]>, dd: Record<string, number[]> = {}): KeystrokeWindow {
  return { keystrokes: 25, durationMs: 5000, holds, dd, ud: {} };
}

const e = Math.exp;

test('robust profile: log-time median and 1.4826 x MAD, shrunk toward the family spread', () => {
  // Key a: log holds 4.0, 4.2, 4.4 -> median 4.2, MAD 0.2. Key b: 5.0, 5.0, 5.6 -> median 5.0, MAD 0.
  // Pooled residuals |x - median| of the hold family: 0.2, 0, 0.2, 0, 0, 0.6 -> median 0.1.
  const p = buildRobustProfile([win({ a: [e(4.0), e(4.2)], b: [e(5.0), e(5.0)] }), win({ a: [e(4.4)], b: [e(5.6)] })], { prior: 1 });
  const family = 1.4826 * 0.1;
  const a = p.get('h:a')!;
  assert.ok(Math.abs(a.centre - 4.2) < 1e-12);
  assert.ok(Math.abs(a.spread - Math.sqrt((3 * (1.4826 * 0.2) ** 2 + family ** 2) / 4)) < 1e-12);
  const b = p.get('h:b')!;
  assert.ok(Math.abs(b.spread - Math.sqrt(family ** 2 / 4)) < 1e-12, 'a feature with no spread of its own borrows the family one');
  assert.equal(b.count, 3);
});

test('robust distance: clipped |z| per occurrence, weighted by family, largest share trimmed', () => {
  const stats = new Map<string, [number, number]>([
    ['h:a', [4.0, 0.5]],
    ['dd:ab', [5.0, 0.25]],
  ]);
  const o = { clip: 3, trim: 0, weights: { h: 1, dd: 2, ud: 1 } };
  // h:a at log 4.5 -> z 1; dd:ab at log 5.5 -> z 2 (weight 2); dd:ab at log 7 -> z 8, clipped to 3 (weight 2); h:zz unknown.
  const w = win({ a: [e(4.5)], zz: [100] }, { ab: [e(5.5), e(7)] });
  assert.ok(Math.abs(robustDistance(stats, w, o) - (1 + 2 * 2 + 2 * 3) / 5) < 1e-9);
  // Trimming a third drops the largest z (the clipped 3).
  assert.ok(Math.abs(robustDistance(stats, w, { ...o, trim: 1 / 3 }) - (1 + 2 * 2) / 3) < 1e-9);
  assert.equal(robustDistance(stats, win({ zz: [1] }), o), 3, 'nothing shared scores the clip');
});

test('robust distance: ties at the trimming cut are kept in window order', () => {
  const stats = new Map<string, [number, number]>([
    ['h:a', [4.0, 0.5]],
    ['dd:ab', [5.0, 0.25]],
  ]);
  const o = { clip: 3, trim: 1 / 3, weights: { h: 1, dd: 2, ud: 1 } };
  const w = win({ a: [e(4.5), e(9)] }, { ab: [e(9)] });
  // z: hold 1, hold 3 (clipped), flight 3 (clipped); keep 2: hold 1 and the first tie in window order (the hold).
  assert.ok(Math.abs(robustDistance(stats, w, o) - (1 + 3) / 2) < 1e-12);
});

test('cadence fits on one window without cross-validation and still ranks a far window further', () => {
  const fit = cadenceDetector().fit([win({ a: [100, 110, 90] }, { ab: [200, 210] })]);
  assert.ok(fit.distance(win({ a: [300] }, { ab: [600] })) > fit.distance(win({ a: [101] }, { ab: [205] })));
});

test('cadence refuses an empty enrolment with a clear error', () => {
  assert.throws(() => cadenceDetector().fit([]), /zero enrolment windows/);
});
