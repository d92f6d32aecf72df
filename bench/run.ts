import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * `npm run bench`: runs every benchmark script in bench/ (each is a standalone
 * program that prints a markdown section) one after the other, so they do not
 * compete for the two cores, and prints their output in order. Pass names to
 * run only some: `npm run bench -- capture`. The real-time end-to-end pairs
 * (about 40 minutes) run only when named: `npm run bench -- e2e-pairs`.
 */
const ONLY_WHEN_NAMED = new Set(['e2e-pairs.js']);
const dir = __dirname;
const only = process.argv.slice(2);
const scripts = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.js') && f !== 'run.js')
  .filter((f) => (only.length === 0 ? !ONLY_WHEN_NAMED.has(f) : only.some((o) => f.includes(o))))
  .sort();

if (scripts.length === 0) {
  process.stderr.write(`bench: no benchmark matches ${only.join(', ')} in ${dir}\n`);
  process.exit(2);
}
let failed = 0;
for (const [i, s] of scripts.entries()) {
  process.stderr.write(`bench: [${i + 1}/${scripts.length}] ${s}\n`);
  const r = spawnSync(process.execPath, [path.join(dir, s)], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`bench: ${s} failed (exit ${r.status ?? r.signal})\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
