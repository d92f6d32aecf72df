import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auc, detCurve, eer, fnmrAtFmr, operatingPoints, perSubjectMean, trustMetrics } from '../../src/model/metrics';

const close = (a: number, b: number, eps = 1e-12): void => assert.ok(Math.abs(a - b) <= eps, `${a} is not ${b}`);

test('operating points run from accept-nothing to accept-everything, ties sharing one point', () => {
  assert.deepEqual(operatingPoints([1, 2], [2, 3]), [
    { threshold: -Infinity, fmr: 0, fnmr: 1 },
    { threshold: 1, fmr: 0, fnmr: 0.5 },
    { threshold: 2, fmr: 0.5, fnmr: 0 },
    { threshold: 3, fmr: 1, fnmr: 0 },
  ]);
});

test('EER is 0 when every genuine distance is below every impostor distance', () => {
  assert.equal(eer([1, 2, 3], [4, 5, 6]), 0);
});

test('EER is 1 when every impostor looks more like the owner than the owner does', () => {
  assert.equal(eer([4, 5], [1, 2]), 1);
});

test('EER at an operating point where FMR equals FNMR', () => {
  // t=2: FMR 1/2 (impostor 2 accepted), FNMR 1/2 (genuine 3 rejected).
  assert.equal(eer([1, 3], [2, 4]), 0.5);
});

test('EER is interpolated on the segment that crosses FMR = FNMR', () => {
  // Points (FMR, FNMR): t=1 (0, 1/2), t=2 (1/2, 0). Halfway: (1/4, 1/4).
  close(eer([1, 2], [2, 3]), 0.25);
  // t=2.5 (1/4, 1/3) then t=3 (1/4, 0): crossing at FMR = FNMR = 1/4.
  close(eer([1, 2, 3], [2.5, 4, 5, 6]), 0.25);
});

test('AUC counts ties as half', () => {
  // impostor 2: beats genuine 1, ties genuine 2 -> 1.5; impostor 3 beats both -> 2. 3.5 / 4.
  close(auc([1, 2], [2, 3]), 0.875);
  close(auc([1, 3], [2, 4]), 0.75);
  assert.equal(auc([1, 2, 3], [4, 5, 6]), 1);
  assert.equal(auc([4, 5], [1, 2]), 0);
  assert.equal(auc([1, 1, 1], [1, 1]), 0.5);
});

test('FNMR at a fixed FMR takes the best real operating point within it', () => {
  assert.equal(fnmrAtFmr([1, 3], [2, 4], 0.01), 0.5);
  assert.equal(fnmrAtFmr([1, 3], [2, 4], 0.5), 0);
  assert.equal(fnmrAtFmr([1, 2, 3], [4, 5, 6], 0.01), 0);
  // 100 impostors, one below both genuine scores: FMR 1/100 is still within 1%, so FNMR 0 is reachable.
  const imp = Array.from({ length: 100 }, (_, i) => (i === 0 ? 0 : 10 + i));
  assert.equal(fnmrAtFmr([5, 6], imp, 0.01), 0);
  // Two below: accepting any genuine sample costs FMR 2/100.
  const imp2 = imp.map((x, i) => (i === 1 ? 0.5 : x));
  assert.equal(fnmrAtFmr([5, 6], imp2, 0.01), 1);
});

test('metrics refuse empty or NaN scores instead of returning a number', () => {
  assert.throws(() => eer([], [1]), /at least one genuine/);
  assert.throws(() => auc([NaN], [1]), /NaN/);
});

test('per-subject mean averages each subject on its own threshold and counts subjects without scores', () => {
  // Each subject is judged on its own threshold.
  const m = perSubjectMean([
    { genuine: [1, 2], impostor: [3, 4] }, // EER 0, AUC 1
    { genuine: [1, 3], impostor: [2, 4] }, // EER 0.5, AUC 0.75
    { genuine: [], impostor: [1] },
  ]);
  close(m.eer, 0.25);
  close(m.auc, 0.875);
  close(m.fnmrAt1pctFmr, 0.25);
  assert.equal(m.subjects, 2);
  assert.equal(m.skipped, 1);
});

test('ANIA and ANGA count up to the lock, never-locked streams contribute their length and are reported apart', () => {
  const t = trustMetrics(
    [
      { length: 100, lockedAfter: null },
      { length: 200, lockedAfter: 50 },
    ],
    [
      { length: 300, lockedAfter: 75 },
      { length: 300, lockedAfter: 25 },
      { length: 300, lockedAfter: null },
    ],
  );
  close(t.anga, 75);
  close(t.genuineStreamsLocked, 0.5);
  close(t.ania, 400 / 3);
  close(t.impostorStreamsMissed, 1 / 3);
  close(t.aniaCaughtOnly, 50);
  assert.equal(t.genuineStreams, 2);
  assert.equal(t.impostorStreams, 3);
});

test('a lock after more keystrokes than the stream held is refused', () => {
  assert.throws(() => trustMetrics([{ length: 10, lockedAfter: 11 }], []), /out of range/);
});

test('DET curve is thinned but keeps both ends', () => {
  const g = Array.from({ length: 1000 }, (_, i) => i);
  const im = Array.from({ length: 1000 }, (_, i) => i + 500.5);
  const d = detCurve(g, im, 50);
  assert.ok(d.length <= 52);
  assert.deepEqual(d[0], { fmr: 0, fnmr: 1 });
  assert.deepEqual(d[d.length - 1], { fmr: 1, fnmr: 0 });
});
