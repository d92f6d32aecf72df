import path from 'node:path';
import { runPair, eligiblePeople, type PairResult } from '../test/e2e/driver';
import { datasetDir, missingDatasetReason } from '../test/support/datasets';
import { xtestUnavailableReason } from '../test/support/replay';
import { mulberry32 } from '../src/model/seeded-random';

/**
 * Issue 4's end-to-end measure: `node dist/bench/e2e-pairs.js [pairs=10] [seed=2026]`.
 * Each pair: the real agent enrols an owner from their recorded typing
 * (replayed through XTest in real time), an impostor takes over, and
 * separately the owner types on. People are drawn with a fixed seed from the
 * Aalto participants with enough data (eligiblePeople). Real time: about four
 * minutes a pair. Prints a markdown table.
 */
const pairs = Number(process.argv[2] ?? 10);
const seed = Number(process.argv[3] ?? 2026);
const aalto = datasetDir('aalto-136m-subset');
if (!aalto) {
  process.stderr.write(`e2e-pairs: ${missingDatasetReason('aalto-136m-subset')}\n`);
  process.exit(0);
}
const noX = xtestUnavailableReason();
if (noX) {
  process.stderr.write(`e2e-pairs: ${noX}\n`);
  process.exit(1);
}

const rng = mulberry32;

async function main(): Promise<void> {
  const people = eligiblePeople(path.join(aalto!, 'keystroke-samples'));
  const r = rng(seed);
  // Fisher-Yates with the seeded PRNG: the same pairs on every machine.
  const shuffled = [...people];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const results: PairResult[] = [];
  const failures: { owner: string; impostor: string; reason: string }[] = [];
  for (let i = 0; i < pairs; i++) {
    const owner = shuffled[2 * i]!;
    const impostor = shuffled[2 * i + 1]!;
    process.stderr.write(`e2e-pairs: [${i + 1}/${pairs}] owner ${path.basename(owner)}, impostor ${path.basename(impostor)}\n`);
    try {
      results.push(await runPair(owner, impostor, (l) => process.stderr.write(`  ${l}\n`)));
    } catch (err) {
      // Kept in the table: a pair that could not run is a result, not something to leave out.
      process.stderr.write(`  failed: ${(err as Error).message}\n`);
      failures.push({ owner: path.basename(owner).replace(/_keystrokes\.txt$/, ''), impostor: path.basename(impostor).replace(/_keystrokes\.txt$/, ''), reason: (err as Error).message.replace(/\|/g, '/') });
    }
  }
  const lines = [
    `| owner | impostor | enrolment (sentences / keystrokes) | impostor challenged after (keystrokes) | impostor locked | owner keystrokes after enrolment | owner challenges (passed) | owner locks |`,
    `|---|---|---:|---:|---|---:|---:|---:|`,
    ...results.map(
      (p) =>
        `| ${p.owner} | ${p.impostor} | ${p.enrolSentences} / ${p.enrolKeystrokes} | ${p.impostorCaughtAfter ?? 'never'} | ${p.impostorLocked ? 'yes' : 'no'} | ${p.ownerKeystrokes} | ${p.ownerChallenges} (${p.ownerChallengesPassed}) | ${p.ownerLocks} |`,
    ),
    ...failures.map((f) => `| ${f.owner} | ${f.impostor} | did not finish: ${f.reason} | | | | | |`),
  ];
  const caught = results.filter((p) => p.impostorCaughtAfter !== null && p.impostorCaughtAfter <= 150).length;
  const falseLocks = results.reduce((n, p) => n + p.ownerLocks, 0);
  lines.push('', `${results.length} of ${pairs} pairs ran to the end (seed ${seed}); impostor caught within 150 keystrokes in ${caught}; owner false locks ${falseLocks}; owner challenges ${results.reduce((n, p) => n + p.ownerChallenges, 0)}.`);
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  process.stderr.write(`e2e-pairs: ${(err as Error).message}\n`);
  process.exit(1);
});
