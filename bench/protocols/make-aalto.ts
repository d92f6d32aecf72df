import fs from 'node:fs';
import path from 'node:path';
import { readInputFile } from '../../src/main/eval/readers/input-file';
import type { Keystroke } from '../../src/model/keystrokes';
import { csvLine, parseArgs, requireDataset, sample, seededRandom } from './protocol-common';

/*
 * The Aalto 136M protocol (issue 3): per person, enrol on the first 8
 * sentences and test the owner on the other 7; impostor tests are other
 * people's last 7 sentences, 50 impostors per subject drawn with a fixed seed.
 *
 * The dataset holds one file per person with all 15 sentences, and a
 * manifest names files, so this writes per-person keystroke-log CSVs
 * (user,session,key,press_ms,release_ms; the sentences of one role as one
 * session) into the output folder, never into the repository: they are the
 * public dataset's own rows, re-sliced, under its non-commercial licence.
 *
 *   node dist/bench/protocols/make-aalto.js [OUT_DIR=/tmp/cadence-aalto] [--seed N] [--impostors 50]
 */
const ENROL_SENTENCES = 8;
const TEST_SENTENCES = 7;

function main(): void {
  const args = parseArgs(process.argv.slice(2), '/tmp/cadence-aalto');
  const dir = path.join(requireDataset('aalto-136m-subset'), 'keystroke-samples');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('_keystrokes.txt'));
  const data = path.join(args.out, 'aalto-keystrokes');
  fs.mkdirSync(data, { recursive: true });
  const people: string[] = [];
  const left: string[] = [];
  let skippedRows = 0;
  const write = (file: string, user: string, session: string, ks: readonly Keystroke[]): void => {
    let text = 'user,session,key,press_ms,release_ms\n';
    for (const k of ks) text += csvLine([user, session, k.key, k.press, k.release]);
    fs.writeFileSync(path.join(data, file), text);
  };
  for (const [i, f] of files.entries()) {
    const input = readInputFile(path.join(dir, f));
    if (input.modality !== 'keystroke') throw new Error(`${f}: not a keystroke file`);
    skippedRows += Object.values(input.skipped).reduce((a, b) => a + b, 0);
    const id = f.replace(/_keystrokes\.txt$/, '');
    // Sentences in the order they were typed.
    const sentences = [...input.sessions].filter((s) => s.keystrokes.length > 0).sort((a, b) => a.keystrokes[0]!.press - b.keystrokes[0]!.press);
    if (sentences.length < ENROL_SENTENCES + 1) {
      left.push(`${id} (${sentences.length} sentences)`);
      continue;
    }
    write(`${id}-enroll.csv`, id, 'enroll', sentences.slice(0, ENROL_SENTENCES).flatMap((s) => s.keystrokes));
    write(`${id}-genuine.csv`, id, 'genuine', sentences.slice(ENROL_SENTENCES, ENROL_SENTENCES + TEST_SENTENCES).flatMap((s) => s.keystrokes));
    write(`${id}-impostor.csv`, id, 'impostor', sentences.slice(-TEST_SENTENCES).flatMap((s) => s.keystrokes));
    people.push(id);
    if ((i + 1) % 200 === 0) process.stderr.write(`make-aalto: ${i + 1}/${files.length} people\n`);
  }
  const rand = seededRandom(args.seed);
  let manifest = 'subject,role,path\n';
  for (const id of people) {
    manifest += csvLine([id, 'enroll', `aalto-keystrokes/${id}-enroll.csv`]);
    manifest += csvLine([id, 'genuine', `aalto-keystrokes/${id}-genuine.csv`]);
    for (const o of sample(people.filter((p) => p !== id), args.impostors, rand)) manifest += csvLine([id, 'impostor', `aalto-keystrokes/${o}-impostor.csv`]);
  }
  const out = path.join(args.out, 'aalto-manifest.csv');
  fs.writeFileSync(out, manifest);
  process.stderr.write(
    `make-aalto: ${people.length} subjects, ${args.impostors} impostors each (seed ${args.seed}); ${skippedRows} dataset rows skipped (see cadence eval's skip counts for reasons)` +
      `${left.length > 0 ? `; left out (too few sentences): ${left.join(', ')}` : ''}\n`,
  );
  process.stdout.write(out + '\n');
}

main();
