/**
 * Keystroke model benchmark (`node dist/bench/model-keystroke.js`, or
 * `npm run bench -- model-keystroke`), on synthetic typists (no dataset
 * needed), with the agent's HMAC feature ids so that profile sizes are those
 * the agent stores:
 * - fit time of each keystroke detector on 5,000 enrolment keystrokes (200
 *   windows of 25, as the capture process sends them);
 * - time to score one 100-keystroke window;
 * - the fitted profile's JSON size.
 * Prints markdown. Times are medians of repeated runs on one core.
 */
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { HmacFeatureKeyer } from '../src/main/capture/feature-keyer';
import { KEYSTROKE_DETECTORS } from '../src/model/keystroke-detectors';
import { fitKeystrokeProfile, profileToJSON } from '../src/model/profile';
import { keystrokeWindows, mergeKeystrokeWindows } from '../src/model/keystroke-windows';
import { syntheticTypist } from '../test/model/keystroke/synthetic-typist';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function time(fn: () => void, minRuns: number, minMs: number): number {
  const ts: number[] = [];
  const start = performance.now();
  while (ts.length < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

const ENROL_KEYSTROKES = 5000;
const FIT_BUDGET_MS = 1000;
const SCORE_BUDGET_MS = 1;
const PROFILE_BUDGET_BYTES = 1_000_000;

const keyer = new HmacFeatureKeyer(randomBytes(32));
const owner = syntheticTypist(1);
const enrolment = keystrokeWindows(owner.type(ENROL_KEYSTROKES, 7), 25, keyer);
// Test windows: 100 keystrokes, half the owner's, half someone else's.
const test = [
  ...keystrokeWindows(owner.type(2000, 8), 100, keyer),
  ...keystrokeWindows(syntheticTypist(2).type(2000, 9), 100, keyer),
];

const out: string[] = [];
out.push('## Keystroke model (synthetic typists, HMAC feature ids)', '');
out.push(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}; enrolment ${ENROL_KEYSTROKES} keystrokes in ${enrolment.length} windows of 25`, '');
out.push(
  `| detector | fit 5,000 keystrokes (ms, goal < ${FIT_BUDGET_MS}) | score one 100-keystroke window (ms, goal < ${SCORE_BUDGET_MS}) | profile JSON (kB, goal < ${PROFILE_BUDGET_BYTES / 1000}) |`,
  '|---|---:|---:|---:|',
);
let failed = false;
for (const d of KEYSTROKE_DETECTORS) {
  let fitted = d.fit(enrolment);
  const fitMs = time(() => (fitted = d.fit(enrolment)), 3, 500);
  let i = 0;
  let sink = 0;
  const perWindow = time(
    () => {
      for (let k = 0; k < test.length; k++) sink += fitted.distance(test[(i++ + k) % test.length]!);
    },
    5,
    300,
  ) / test.length;
  if (Number.isNaN(sink)) throw new Error(`${d.name} produced NaN`);
  const bytes = Buffer.byteLength(JSON.stringify(fitted.toJSON()));
  const ok = fitMs < FIT_BUDGET_MS && perWindow < SCORE_BUDGET_MS && bytes < PROFILE_BUDGET_BYTES;
  if (d.name === 'cadence' && !ok) failed = true;
  out.push(`| ${d.name} | ${fitMs.toFixed(1)} | ${perWindow.toFixed(3)} | ${(bytes / 1000).toFixed(1)} |`);
}
// Merging the capture process's 25-keystroke windows into a 100-keystroke one is part of scoring in the agent.
const quarter = enrolment.slice(0, 4);
const mergeMs = time(() => mergeKeystrokeWindows(quarter), 50, 200);
out.push('', `Merging four 25-keystroke windows into one of 100: ${mergeMs.toFixed(3)} ms.`);
// What the agent really fits: the Cadence detector plus the owner's own cross-validated
// calibration and the quality measure (several fits on held-out folds).
{
  const t0 = performance.now();
  const profile = fitKeystrokeProfile(enrolment);
  const profileMs = performance.now() - t0;
  const profileBytes = Buffer.byteLength(profileToJSON(profile));
  const ok = profileMs < FIT_BUDGET_MS && profileBytes < PROFILE_BUDGET_BYTES;
  if (!ok) failed = true;
  out.push(
    '',
    `Full keystroke profile as the agent fits it (fitKeystrokeProfile: detector, cross-validated calibration, quality) from ${ENROL_KEYSTROKES} keystrokes: ` +
      `${profileMs.toFixed(0)} ms (goal < 1000), stored profile JSON ${(profileBytes / 1000).toFixed(1)} kB (goal < 1000).`,
  );
}
if (failed) out.push('', '**cadence misses a speed or size goal.**');
process.stdout.write(out.join('\n') + '\n');
process.exit(failed ? 1 : 0);
