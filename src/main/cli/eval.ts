import fs from 'node:fs';
import path from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { runEval, defaultWorkers } from '../eval/runner';
import { formatSummary } from '../eval/table';
import { writeReport } from '../eval/report';
import { SENSITIVITY_PRESETS } from '../../model/trust';
import type { SensitivityPreset } from '../../model/profile';
import { detectorNames } from '../eval/subject-eval';

interface EvalFlags {
  json?: boolean;
  report?: string;
  preset: SensitivityPreset;
  detectors?: string;
  workers: string;
}

/** Progress on stderr: a bar on a terminal, otherwise a plain line every 10% or 30 s, whichever comes first. */
function progress(): { update(done: number, total: number): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ stream: process.stderr, format: 'cadence eval [{bar}] {value}/{total} subjects, {eta_formatted} left', etaBuffer: 20 }, Presets.shades_classic);
    let started = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(total, done);
          started = true;
        } else bar.update(done);
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastTenth = -1;
  const t0 = Date.now();
  let lastAt = t0;
  return {
    update(done, total) {
      const tenth = Math.floor((done / Math.max(1, total)) * 10);
      const now = Date.now();
      if ((tenth !== lastTenth && total >= 10) || now - lastAt >= 30_000 || done === total) {
        lastTenth = tenth;
        lastAt = now;
        process.stderr.write(`cadence eval: ${done}/${total} subjects (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
      }
    },
    stop() {},
  };
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('Measure the detectors and the trust model on recorded data listed in a manifest CSV (subject,role,path).')
    .argument('<manifest>', 'CSV with header subject,role,path; role is enroll, genuine or impostor; paths relative to the manifest')
    .option('--json', 'print one JSON object instead of tables')
    .option('--report <file.html>', 'also write a self-contained HTML report (DET curves, per-subject EER, trust traces)')
    .addOption(new Option('--preset <preset>', 'trust sensitivity preset').choices(SENSITIVITY_PRESETS as SensitivityPreset[]).default('balanced'))
    .option('--detectors <names>', 'comma-separated detector names to run (default: all)')
    .option('--workers <n>', 'worker threads', String(defaultWorkers()))
    .action(async (manifest: string, flags: EvalFlags) => {
      const workers = Number(flags.workers);
      if (!Number.isInteger(workers) || workers < 1) {
        process.stderr.write(`cadence eval: --workers must be a positive integer, got ${JSON.stringify(flags.workers)}\n`);
        process.exitCode = 2;
        return;
      }
      let detectors: string[] | null = null;
      if (flags.detectors !== undefined) {
        detectors = flags.detectors.split(',').map((d) => d.trim()).filter((d) => d !== '');
        const known = detectorNames();
        const all = [...known.keystroke, ...known.mouse];
        const unknown = detectors.filter((d) => !all.includes(d));
        if (unknown.length > 0 || detectors.length === 0) {
          process.stderr.write(`cadence eval: unknown detector ${unknown.join(', ') || '(none given)'}; keystroke detectors: ${known.keystroke.join(', ')}; mouse detectors: ${known.mouse.join(', ')}\n`);
          process.exitCode = 2;
          return;
        }
      }
      // A missing report folder should fail before a long run, not after it.
      if (flags.report !== undefined && !fs.existsSync(path.dirname(path.resolve(flags.report)))) {
        process.stderr.write(`cadence eval: the folder for --report ${flags.report} does not exist; create it or choose another path\n`);
        process.exitCode = 2;
        return;
      }
      const bar = progress();
      try {
        const { summary, plots } = await runEval(manifest, { preset: flags.preset, detectors, workers, onProgress: (d, t) => bar.update(d, t) });
        bar.stop();
        if (flags.report) {
          await writeReport(flags.report, summary, plots);
          process.stderr.write(`cadence eval: report written to ${path.resolve(flags.report)}\n`);
        }
        process.stdout.write(flags.json ? JSON.stringify(summary) + '\n' : formatSummary(summary));
      } catch (err) {
        // Input errors name file and line (from a worker they arrive as "subject S: file:line: ...").
        bar.stop();
        process.stderr.write(`cadence eval: ${(err as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}

