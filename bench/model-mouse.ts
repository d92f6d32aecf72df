/**
 * Mouse model benchmark (`node dist/bench/model-mouse.js`, or
 * `npm run bench -- model-mouse`), on synthetic actions (no dataset needed):
 * - fit time of each mouse detector for enrolments of 200 / 1,000 / 5,000 actions;
 * - scoring time per 20-action window;
 * - fitMouseProfile time (5-fold calibration + split-half stability + final fit)
 *   and the profile's JSON size, which is what the agent stores.
 * Prints markdown. Times are medians of repeated runs on one core.
 */
import { performance } from 'node:perf_hooks';
import { MOUSE_DETECTORS } from '../src/model/mouse-detectors';
import { fitMouseProfile, profileToJSON, TrustSession } from '../src/model/profile';
import { chunks, DIFFERENT_HABITS, syntheticUser, TYPICAL_HABITS } from '../test/model/mouse/synthetic-mouse';

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

const SIZES = [200, 1000, 5000];
const test = chunks(syntheticUser(DIFFERENT_HABITS, 20 * 200, 99), 20);

const out: string[] = [];
out.push('## Mouse model (synthetic actions)', '');
out.push(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}`, '');
out.push('| detector | enrolment actions | fit (ms) | score one 20-action window (ms) |', '|---|---:|---:|---:|');
for (const d of MOUSE_DETECTORS) {
  for (const n of SIZES) {
    const enrol = syntheticUser(TYPICAL_HABITS, n, n);
    const fitMs = time(() => d.fit([enrol]), 3, 300);
    const fitted = d.fit([enrol]);
    let i = 0;
    const scoreMs = time(() => fitted.distance(test[i++ % test.length]!), 50, 300);
    out.push(`| ${d.name} | ${n} | ${fitMs.toFixed(1)} | ${scoreMs.toFixed(3)} |`);
  }
}
out.push('', '| enrolment actions | fitMouseProfile (ms) | profile JSON (KiB) | TrustSession.addMouseActions, 20 actions (ms) |', '|---:|---:|---:|---:|');
for (const n of SIZES) {
  const enrol = syntheticUser(TYPICAL_HABITS, n, n);
  const fitMs = time(() => fitMouseProfile(enrol), 1, 500);
  const p = fitMouseProfile(enrol);
  const kib = Buffer.byteLength(profileToJSON(p)) / 1024;
  let i = 0;
  const s = new TrustSession({ mouse: p });
  const addMs = time(() => s.addMouseActions(test[i++ % test.length]!), 50, 300);
  out.push(`| ${n} | ${fitMs.toFixed(0)} | ${kib.toFixed(1)} | ${addMs.toFixed(3)} |`);
}
process.stdout.write(out.join('\n') + '\n');
