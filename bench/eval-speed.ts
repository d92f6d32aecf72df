import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runEval } from '../src/main/eval/runner';

/*
 * `npm run bench -- eval-speed`: wall-clock time of the full Aalto protocol
 * (1,000 subjects, 50 impostors each) through `cadence eval`'s runner on two
 * worker threads; the goal is under 10 minutes. Protocol generation is timed
 * apart. Skips with a line when the shared datasets are absent.
 */
const GOAL_S = 600;

async function main(): Promise<void> {
  const protocols = path.join(__dirname, 'protocols');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-bench-aalto-'));
  try {
    const t0 = Date.now();
    const gen = spawnSync(process.execPath, [path.join(protocols, 'make-aalto.js'), out], { encoding: 'utf8' });
    if (gen.status === 2 && /not found/.test(gen.stderr)) {
      process.stdout.write(`## Evaluation speed\n\nskipped: ${gen.stderr.trim()}\n`);
      return;
    }
    if (gen.status !== 0) throw new Error(`make-aalto failed: ${gen.stderr}`);
    const genS = (Date.now() - t0) / 1000;
    const t1 = Date.now();
    const { summary } = await runEval(gen.stdout.trim(), { preset: 'balanced', detectors: null, workers: 2 });
    const evalS = (Date.now() - t1) / 1000;
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    process.stdout.write(
      `## Evaluation speed\n\n| step | time | goal |\n|---|---|---|\n` +
        `| make-aalto (1,000 people) | ${genS.toFixed(1)} s | |\n` +
        `| full Aalto protocol, 2 workers (${summary.keystroke?.subjects ?? 0} subjects) | ${evalS.toFixed(1)} s | < ${GOAL_S} s ${evalS < GOAL_S ? 'met' : 'NOT met'} |\n\n` +
        `${os.availableParallelism()} cores available, ${cpu}; Node ${process.version}.\n`,
    );
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`eval-speed: ${err.message}\n`);
  process.exit(1);
});
