import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auc } from '../../../src/model/metrics';
import { MOUSE_FEATURE_NAMES } from '../../../src/model/mouse-features';
import type { MouseActionFeatures } from '../../../src/model/mouse-features';
import { cadenceMouse, MOUSE_DETECTORS } from '../../../src/model/mouse-detectors';
import { scaledManhattanMouse } from '../../../src/model/mouse/scaled-manhattan';
import { trimmedMean } from '../../../src/model/mouse/windows';
import { normalQuantile } from '../../../src/model/mouse/normal-quantile';
import { chunks, DIFFERENT_HABITS, syntheticUser, TYPICAL_HABITS } from './synthetic-mouse';

const ENROL = 300;
const TEST = 200;

function separation(detectorIndex: number, other: typeof TYPICAL_HABITS, size: number): number {
  const d = MOUSE_DETECTORS[detectorIndex]!;
  const fitted = d.fit([syntheticUser(TYPICAL_HABITS, ENROL, 1)]);
  const genuine = chunks(syntheticUser(TYPICAL_HABITS, TEST, 2), size).map((w) => fitted.distance(w));
  const impostor = chunks(syntheticUser(other, TEST, 3), size).map((w) => fitted.distance(w));
  return auc(genuine, impostor);
}

test('baselines come first and Cadence is listed among the mouse detectors', () => {
  assert.equal(MOUSE_DETECTORS[0]!.name, 'scaled-manhattan');
  assert.ok(MOUSE_DETECTORS.includes(cadenceMouse));
  assert.equal(new Set(MOUSE_DETECTORS.map((d) => d.name)).size, MOUSE_DETECTORS.length, 'names are unique');
});

for (const [i, d] of MOUSE_DETECTORS.entries()) {
  test(`${d.name}: a user with clearly different kinematics separates from the owner`, () => {
    const a = separation(i, DIFFERENT_HABITS, 10);
    assert.ok(a > 0.9, `AUC ${a.toFixed(3)} at 10 actions`);
  });

  test(`${d.name}: another sample of the owner's own habits does not separate (AUC about 0.5)`, () => {
    const a = separation(i, TYPICAL_HABITS, 5);
    assert.ok(a > 0.3 && a < 0.7, `AUC ${a.toFixed(3)} at 5 actions`);
  });

  test(`${d.name}: the JSON profile scores exactly like the fitted one`, () => {
    const fitted = d.fit([syntheticUser(TYPICAL_HABITS, 120, 4)]);
    const loaded = d.load(JSON.parse(JSON.stringify(fitted.toJSON())));
    for (const w of chunks(syntheticUser(DIFFERENT_HABITS, 40, 5), 5)) assert.equal(loaded.distance(w), fitted.distance(w));
  });

  test(`${d.name}: refuses an empty enrolment, an empty window and a stored profile of another kind`, () => {
    assert.throws(() => d.fit([]), /zero actions/);
    const fitted = d.fit([syntheticUser(TYPICAL_HABITS, 60, 6)]);
    assert.throws(() => fitted.distance([]), /empty list/);
    assert.throws(() => d.load({ kind: 'something-else' }), /kind/);
  });
}

test('the score improves with more actions per window (Cadence)', () => {
  const idx = MOUSE_DETECTORS.indexOf(cadenceMouse);
  const mild = { ...TYPICAL_HABITS, fittsB: 150, bow: 0.11 };
  assert.ok(separation(idx, mild, 20) > separation(idx, mild, 1));
});

function action(type: 'MM' | 'PC', v: Partial<Record<(typeof MOUSE_FEATURE_NAMES)[number], number>>): MouseActionFeatures {
  return { type, values: MOUSE_FEATURE_NAMES.map((n) => v[n] ?? 0) };
}

test('scaled Manhattan on a hand-worked example', () => {
  // PC enrolment: durationMs 100, 200, 300 -> mean 200, mean absolute deviation 200/3;
  // pathLength 10, 10, 40 -> mean 20, MAD (10+10+20)/3 = 40/3. Other features constant: ignored.
  const enrol = [
    action('PC', { durationMs: 100, pathLength: 10 }),
    action('PC', { durationMs: 200, pathLength: 10 }),
    action('PC', { durationMs: 300, pathLength: 40 }),
  ];
  const f = scaledManhattanMouse.fit([enrol]);
  // Test action: |400-200|/(200/3) = 3, |20-20|/(40/3) = 0 -> mean over 2 features 1.5.
  assert.ok(Math.abs(f.distance([action('PC', { durationMs: 400, pathLength: 20 })]) - 1.5) < 1e-12);
  // A window averages its actions: (1.5 + 0) / 2. The second action sits on the means.
  assert.ok(Math.abs(f.distance([action('PC', { durationMs: 400, pathLength: 20 }), action('PC', { durationMs: 200, pathLength: 20 })]) - 0.75) < 1e-12);
  // An MM action has no MM model (fewer than 2 enrolled) and is scored against all actions, which are the same 3 here.
  assert.ok(Math.abs(f.distance([action('MM', { durationMs: 400, pathLength: 20 })]) - 1.5) < 1e-12);
});

test('trimmed mean drops the same share at each end, and nothing from short windows', () => {
  assert.equal(trimmedMean([5], 0.1), 5);
  assert.equal(trimmedMean([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 0.1), 5.5);
  assert.equal(trimmedMean([3, 1, 2], 0), 2);
});

test('normal quantile matches known values', () => {
  assert.ok(Math.abs(normalQuantile(0.5)) < 1e-9);
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963985) < 1e-8);
  assert.ok(Math.abs(normalQuantile(0.001) + 3.090232306) < 1e-8);
  assert.throws(() => normalQuantile(1), /0 < p < 1/);
});
