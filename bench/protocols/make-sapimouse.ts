import fs from 'node:fs';
import path from 'node:path';
import { csvLine, parseArgs, requireDataset, sample, seededRandom } from './protocol-common';

/*
 * The SapiMouse protocol (issue 3): enrol each user on their 3-minute
 * session, test them on their 1-minute session; impostor tests are 50 other
 * users' 1-minute sessions, drawn with a fixed seed. The manifest points at
 * the dataset files directly. Users with more than one session of a length
 * (user35, user62, user85) use the earliest by file name, so every subject
 * contributes the same amount of data.
 *
 *   node dist/bench/protocols/make-sapimouse.js [OUT_DIR=/tmp/cadence-sapimouse] [--seed N] [--impostors 50]
 */
function main(): void {
  const args = parseArgs(process.argv.slice(2), '/tmp/cadence-sapimouse');
  const root = requireDataset('sapimouse');
  const users = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^user\d+$/.test(d.name))
    .map((d) => d.name)
    .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  const sessions = new Map<string, { enrol: string; test: string }>();
  const left: string[] = [];
  for (const u of users) {
    const files = fs.readdirSync(path.join(root, u)).sort();
    const enrol = files.find((f) => f.endsWith('_3min.csv'));
    const test = files.find((f) => f.endsWith('_1min.csv'));
    if (!enrol || !test) {
      left.push(u);
      continue;
    }
    sessions.set(u, { enrol: path.join(root, u, enrol), test: path.join(root, u, test) });
  }
  fs.mkdirSync(args.out, { recursive: true });
  const rel = (p: string): string => path.relative(args.out, p).split(path.sep).join('/');
  const rand = seededRandom(args.seed);
  const ids = [...sessions.keys()];
  let manifest = 'subject,role,path\n';
  for (const u of ids) {
    const s = sessions.get(u)!;
    manifest += csvLine([u, 'enroll', rel(s.enrol)]);
    manifest += csvLine([u, 'genuine', rel(s.test)]);
    for (const o of sample(ids.filter((x) => x !== u), args.impostors, rand)) manifest += csvLine([u, 'impostor', rel(sessions.get(o)!.test)]);
  }
  const out = path.join(args.out, 'sapimouse-manifest.csv');
  fs.writeFileSync(out, manifest);
  process.stderr.write(`make-sapimouse: ${ids.length} subjects, ${args.impostors} impostors each (seed ${args.seed})${left.length > 0 ? `; left out (missing a session): ${left.join(', ')}` : ''}\n`);
  process.stdout.write(out + '\n');
}

main();
