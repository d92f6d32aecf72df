import fs from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../../src/model/seeded-random';

/** Shared by the protocol scripts: where the datasets are, a seeded sampler, CSV writing. */

export const DATASETS_DIR = process.env.CADENCE_DATASETS ?? path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'datasets');

export function requireDataset(name: string): string {
  const dir = path.join(DATASETS_DIR, name);
  if (!fs.existsSync(dir)) {
    process.stderr.write(`dataset ${name} not found under ${DATASETS_DIR}; set CADENCE_DATASETS to the shared datasets folder\n`);
    process.exit(2);
  }
  return dir;
}

/** mulberry32: a small, well-known seeded PRNG, so the protocol is the same on every run and machine. */
export const seededRandom = mulberry32;

/** `k` distinct items of `pool`, drawn with `rand` (partial Fisher-Yates on a copy). */
export function sample<T>(pool: readonly T[], k: number, rand: () => number): T[] {
  if (k > pool.length) throw new RangeError(`cannot draw ${k} from ${pool.length}`);
  const a = [...pool];
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (a.length - i));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, k);
}

export function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly (string | number)[]): string {
  return cells.map(csvCell).join(',') + '\n';
}

export interface ProtocolArgs {
  readonly out: string;
  readonly seed: number;
  readonly impostors: number;
}

/** `node make-x.js [OUT_DIR] [--seed N] [--impostors N]`. */
export function parseArgs(argv: readonly string[], defaultOut: string): ProtocolArgs {
  let out = defaultOut;
  let seed = 20181;
  let impostors = 50;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--seed') seed = Number(argv[++i]);
    else if (a === '--impostors') impostors = Number(argv[++i]);
    else if (a.startsWith('--')) {
      process.stderr.write(`unknown option ${a}; usage: [OUT_DIR] [--seed N] [--impostors N]\n`);
      process.exit(2);
    } else out = a;
  }
  if (!Number.isInteger(seed) || !Number.isInteger(impostors) || impostors < 1) {
    process.stderr.write('--seed and --impostors take integers (impostors >= 1)\n');
    process.exit(2);
  }
  return { out: path.resolve(out), seed, impostors };
}
