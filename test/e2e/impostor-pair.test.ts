import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runPair, eligiblePeople, offlineOutcome } from './driver';
import { datasetDir, missingDatasetReason } from '../support/datasets';
import { xvfbAvailable, NO_XVFB_REASON } from '../support/xvfb';
import { xtestUnavailableReason } from '../support/replay';

/**
 * Issue 4's end-to-end proof with two real people's recorded timings (Aalto
 * 136M), replayed through XTest into the real agent: the owner enrols, the
 * impostor is locked within 150 keystrokes, the owner typing on is not locked.
 * One pair here (real-time replay takes minutes); `node dist/bench/e2e-pairs.js`
 * runs ten and docs/benchmarks.md has the figures.
 */
const aalto = datasetDir('aalto-136m-subset');
const skip = !aalto ? missingDatasetReason('aalto-136m-subset') : !xvfbAvailable() ? NO_XVFB_REASON : xtestUnavailableReason() ?? false;

test('a real impostor is locked within 150 keystrokes and the real owner is not locked', { skip, timeout: 600_000 }, async () => {
  const dir = path.join(aalto!, 'keystroke-samples');
  // The model misses some impostors (docs/benchmarks.md: about 13% of impostor streams on
  // Aalto), so one pair drawn blind would test luck, not the agent. This test takes the first
  // pair (participants with enough data, in id order) for which the model on its own, offline,
  // locks the impostor and not the owner, and checks that the live agent, fed through the real
  // OS path, reaches the same decisions. How often pairs are caught is measured blind by
  // `node dist/bench/e2e-pairs.js` and by `cadence eval`.
  const people = eligiblePeople(dir);
  let pair: [string, string] | null = null;
  for (let i = 0; i + 1 < people.length && !pair; i++) {
    const o = offlineOutcome(people[i]!, people[i + 1]!);
    // Offline within 100 leaves room for the live path's granularity (trust steps of 25 keystrokes,
    // activity counts every 250 ms), so the 150 limit below tests the agent, not rounding.
    if (o.impostorLockedAfter !== null && o.impostorLockedAfter <= 100 && !o.ownerLocked) pair = [people[i]!, people[i + 1]!];
  }
  assert.ok(pair, 'a pair the model separates offline');
  const r = await runPair(pair[0], pair[1], (l) => console.log(`e2e: ${l}`));
  console.log(`e2e: ${JSON.stringify(r)}`);
  assert.ok(r.impostorCaughtAfter !== null && r.impostorCaughtAfter <= 150, `impostor challenged after ${r.impostorCaughtAfter} keystrokes`);
  assert.equal(r.impostorLocked, true, 'the OS lock ran for the impostor');
  assert.equal(r.ownerLocks, 0, 'the owner was never locked');
});
