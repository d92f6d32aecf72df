import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeystrokeWindow } from '../../../src/model/keystroke-windows';
import { NO_SHARED_FEATURES, scaledManhattan, scaledManhattanDetector } from '../../../src/model/keystroke/scaled-manhattan';
import { aMeasure, gunettiPicardiA, gunettiPicardiR, maxDisorder, rMeasure } from '../../../src/model/keystroke/gunetti-picardi';
import { nearestMahalanobis, nearestNeighbourMahalanobis, shrunkCovariance } from '../../../src/model/keystroke/nearest-neighbour-mahalanobis';

function win(parts: { holds?: Record<string, number[]>; dd?: Record<string, number[]>; ud?: Record<string, number[]>; keystrokes?: number }): KeystrokeWindow {
  return { keystrokes: parts.keystrokes ?? 25, durationMs: 5000, holds: parts.holds ?? {}, dd: parts.dd ?? {}, ud: parts.ud ?? {} };
}

test('scaled Manhattan scores shared features by the enrolment mean absolute deviation, averaged over features', () => {
  const fit = scaledManhattanDetector(2).fit([
    win({ holds: { a: [90, 110], b: [80] }, dd: { x: [200, 240] } }),
    win({ holds: { a: [100] } }),
  ]);
  // a: mean 100, deviation (10+10+0)/3; x: mean 220, deviation 20; b seen once: no deviation, left out.
  const d = fit.distance(win({ holds: { a: [120], b: [500], c: [70] }, dd: { x: [260, 280] } }));
  assert.ok(Math.abs(d - (20 / (20 / 3) + 50 / 20) / 2) < 1e-12, `got ${d}`);
});

test('scaled Manhattan leaves out features seen fewer than 10 times in the enrolment', () => {
  const fit = scaledManhattan.fit([win({ holds: { a: [90, 110, 100, 100, 100, 100, 100, 100, 100, 100], b: [80, 90] } })]);
  // a: mean 100, deviation 20/10 = 2; b (2 occurrences) is ignored.
  assert.equal(fit.distance(win({ holds: { a: [104], b: [500] } })), 2);
});

test('scaled Manhattan puts a window sharing nothing with the profile far away, at a finite distance', () => {
  const fit = scaledManhattanDetector(2).fit([win({ holds: { a: [90, 110] } })]);
  assert.equal(fit.distance(win({ holds: { z: [100] } })), NO_SHARED_FEATURES);
});

test('R measure: same order is 0, reversed order is 1, one swap of four is 2/8', () => {
  const a = new Map([['ab', 100], ['bc', 200], ['cd', 300], ['de', 400]]);
  assert.equal(rMeasure(a, new Map([['ab', 110], ['bc', 220], ['cd', 330], ['de', 440]])), 0);
  assert.equal(rMeasure(a, new Map([['ab', 400], ['bc', 300], ['cd', 200], ['de', 100]])), 1);
  assert.equal(rMeasure(a, new Map([['ab', 200], ['bc', 100], ['cd', 300], ['de', 400], ['zz', 1]])), 2 / 8);
  assert.deepEqual([2, 3, 4, 5].map(maxDisorder), [2, 4, 8, 12]);
  assert.equal(rMeasure(a, new Map([['ab', 1]])), 1, 'fewer than two shared digraphs carry no order');
});

test('A measure counts shared digraphs whose durations differ by more than a factor t = 1.25', () => {
  const a = new Map([['ab', 100], ['bc', 200], ['cd', 300], ['de', 400]]);
  // ab 100/200 and bc 200/100 differ; cd and de are equal: A = 1 - 2/4.
  assert.equal(aMeasure(a, new Map([['ab', 200], ['bc', 100], ['cd', 300], ['de', 400]])), 0.5);
  assert.equal(aMeasure(new Map([['ab', 100]]), new Map([['ab', 125]])), 0, '1.25 exactly is similar');
  assert.equal(aMeasure(new Map([['ab', 100]]), new Map([['ab', 126]])), 1);
  assert.equal(aMeasure(a, new Map([['zz', 100]])), 1, 'nothing shared');
});

test('Gunetti-Picardi detectors average the measure over the reference samples cut from the enrolment', () => {
  // Two references of 2 keystrokes each: one in the test's order, one reversed.
  const enrol = [
    win({ keystrokes: 2, dd: { ab: [100], bc: [200], cd: [300] } }),
    win({ keystrokes: 2, dd: { ab: [300], bc: [200], cd: [100] } }),
  ];
  const test = win({ dd: { ab: [105, 115], bc: [210], cd: [310] } });
  assert.equal(gunettiPicardiR(2).fit(enrol).distance(test), (0 + 1) / 2);
  // Against reference 1 all three are similar (A 0); against reference 2 only bc (A 2/3).
  assert.ok(Math.abs(gunettiPicardiA(2).fit(enrol).distance(test) - (0 + 2 / 3) / 2) < 1e-12);
});

test('nearest-neighbour Mahalanobis: shrunk covariance and the nearest training vector, worked in 2-D', () => {
  const train = [
    [0, 0],
    [2, 2],
  ];
  // Deviations (-1,-1), (1,1): covariance [[2,2],[2,2]]; off-diagonal halved -> [[2,1],[1,2]].
  assert.deepEqual(shrunkCovariance(train, [1, 1], 0.5), [
    [2, 1],
    [1, 2],
  ]);
  const inv = [
    [2 / 3, -1 / 3],
    [-1 / 3, 2 / 3],
  ];
  // x = (1,0): to (0,0) d'S^-1 d = 2/3; to (2,2), d = (-1,-2): 2; nearest is 2/3.
  assert.ok(Math.abs(nearestMahalanobis([1, 0], train, inv) - 2 / 3) < 1e-12);
});

test('nearest-neighbour Mahalanobis puts an enrolment window at distance 0 and a slower typist further', () => {
  const mk = (scale: number, j: number): KeystrokeWindow =>
    win({ holds: { a: [scale * (80 + j)], b: [scale * (90 + 2 * j)] }, dd: { ab: [scale * (150 + 3 * j)] }, ud: { ab: [scale * (60 + j)] } });
  const enrol = [0, 5, 10, 15, 20].map((j) => mk(1, j));
  const fit = nearestNeighbourMahalanobis.fit(enrol);
  assert.ok(fit.distance(enrol[2]!) < 1e-9);
  assert.ok(fit.distance(mk(1.6, 10)) > fit.distance(mk(1.05, 10)));
});
