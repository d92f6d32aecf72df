import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeKeystrokeWindows, type KeystrokeWindow } from '../../../src/model/keystroke-windows';
import { cadenceKeystroke, KEYSTROKE_DETECTORS } from '../../../src/model/keystroke-detectors';
import { eer } from '../../../src/model/metrics';
import { syntheticTypist, typistWindows } from './synthetic-typist';

const owner = syntheticTypist(1);
const enrolment = typistWindows(owner, 600, 25, 11);
const merge = (ws: KeystrokeWindow[], k: number): KeystrokeWindow[] => {
  const out: KeystrokeWindow[] = [];
  for (let i = 0; i + k <= ws.length; i += k) out.push(mergeKeystrokeWindows(ws.slice(i, i + k)));
  return out;
};
const genuine = merge(typistWindows(owner, 1000, 25, 12), 4);
const impostors = [2, 3, 4, 5].flatMap((s) => merge(typistWindows(syntheticTypist(s), 400, 25, 100 + s), 4));

test('every keystroke detector has a unique name, baselines first and Cadence last', () => {
  const names = KEYSTROKE_DETECTORS.map((d) => d.name);
  assert.equal(new Set(names).size, names.length);
  assert.deepEqual(names, ['scaled-manhattan', 'gunetti-picardi-r', 'gunetti-picardi-a', 'nearest-neighbour-mahalanobis', 'cadence']);
  assert.equal(KEYSTROKE_DETECTORS.at(-1), cadenceKeystroke);
});

for (const d of KEYSTROKE_DETECTORS) {
  test(`${d.name}: tells the owner's 100-keystroke windows from other synthetic typists better than chance`, () => {
    const fit = d.fit(enrolment);
    const rate = eer(genuine.map((w) => fit.distance(w)), impostors.map((w) => fit.distance(w)));
    assert.ok(rate < 0.3, `EER ${rate}`);
  });

  test(`${d.name}: a profile saved as JSON and loaded back gives the same distances`, () => {
    const fit = d.fit(enrolment);
    const loaded = d.load(JSON.parse(JSON.stringify(fit.toJSON())));
    for (const w of [...genuine.slice(0, 3), ...impostors.slice(0, 3)]) assert.equal(loaded.distance(w), fit.distance(w));
  });

  test(`${d.name}: refuses a profile saved by another detector, naming itself`, () => {
    assert.throws(() => d.load({ detector: 'someone-else' }), new RegExp(d.name));
    assert.throws(() => d.load(null), new RegExp(d.name));
  });

  test(`${d.name}: scores windows of any size, including an empty one, with a finite number`, () => {
    const fit = d.fit(enrolment);
    const empty: KeystrokeWindow = { keystrokes: 0, durationMs: 0, holds: {}, dd: {}, ud: {} };
    for (const w of [empty, enrolment[0]!, genuine[0]!, mergeKeystrokeWindows(genuine)]) assert.ok(Number.isFinite(fit.distance(w)));
  });
}
