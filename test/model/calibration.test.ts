import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibrate, Calibration, crossValidatedDistances, EVIDENCE_DECADES, tailProbabilityAtEvidence } from '../../src/model/calibration';
import type { Detector } from '../../src/model/detector';

const owner = [1.0, 1.1, 0.9, 1.2, 1.05, 0.95, 1.3, 0.85, 1.15, 1.0];

test('owner-like distances give positive evidence, far ones negative, the farthest -1', () => {
  const c = new Calibration(owner);
  assert.ok(c.evidence(0.5) > 0.9, 'closer than anything the owner produced');
  assert.ok(c.evidence(1.0) > 0.3, 'the owner median');
  assert.ok(c.evidence(1.6) < 0, 'beyond the largest owner distance');
  assert.equal(c.evidence(10), -1);
  assert.equal(c.evidence(Number.POSITIVE_INFINITY), -1);
  assert.equal(c.evidence(Number.NaN), -1);
});

test('evidence never rises as the distance grows', () => {
  const c = new Calibration(owner);
  let last = 1;
  for (let d = 0; d < 3; d += 0.01) {
    const e = c.evidence(d);
    assert.ok(e <= last + 1e-12, `evidence rose at ${d}`);
    assert.ok(e >= -1 && e <= 1);
    last = e;
  }
});

test('evidence is in units of the owner tail probability', () => {
  const c = new Calibration(owner);
  for (const d of [1.0, 1.2, 1.4, 1.8]) {
    const p = c.tailProbability(d);
    const e = c.evidence(d);
    if (e > -1 && e < 1) assert.ok(Math.abs(tailProbabilityAtEvidence(e) - p) < 1e-9);
  }
  assert.equal(tailProbabilityAtEvidence(-1), 10 ** -EVIDENCE_DECADES);
});

test('the scale of distances does not matter: the same owner in other units gives the same evidence', () => {
  const a = new Calibration(owner);
  const b = new Calibration(owner.map((x) => x * 1000));
  for (const d of [0.8, 1.0, 1.25, 1.5, 2]) assert.ok(Math.abs(a.evidence(d) - b.evidence(d * 1000)) < 1e-9);
});

test('calibration survives JSON and refuses a bad blob with a reason', () => {
  const c = new Calibration(owner);
  const back = Calibration.fromJSON(JSON.parse(JSON.stringify(c.toJSON())));
  for (const d of [0.9, 1.2, 2]) assert.equal(back.evidence(d), c.evidence(d));
  assert.throws(() => Calibration.fromJSON({ version: 99, distances: owner }), /unsupported version 99/);
  assert.throws(() => Calibration.fromJSON({ version: 1, distances: [1, 'x'] }), /finite numbers/);
  assert.throws(() => Calibration.fromJSON({ version: 1, distances: [1, 2] }), /at least 5/);
});

/** Remembers its training windows exactly: 0 for those, 1 for anything else. */
const memoriser: Detector<number> = {
  name: 'memoriser',
  fit(enrolment) {
    return this.load([...enrolment]);
  },
  load(json) {
    const seen = new Set(json as number[]);
    return { distance: (w) => (seen.has(w) ? 0 : 1), toJSON: () => [...seen] };
  },
};

test('cross-validation scores every window by a model that never saw it', () => {
  const windows = Array.from({ length: 12 }, (_, i) => i);
  const cv = crossValidatedDistances(memoriser, windows, 4);
  assert.deepEqual(cv.distances, new Array(12).fill(1));
  assert.deepEqual(cv.fold, [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3], 'contiguous folds, in time order');
  assert.throws(() => crossValidatedDistances(memoriser, [1], 4), /at least 2/);
});

test('calibrate builds the owner distribution from the held-out distances', () => {
  const c = calibrate(memoriser, Array.from({ length: 10 }, (_, i) => i), 5);
  assert.equal(c.samples, 10);
  assert.ok(c.evidence(1) > 0, 'held-out owner distance is owner-like');
});
