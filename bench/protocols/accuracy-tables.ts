import fs from 'node:fs';
import type { EvalSummary, ModalitySummary } from '../../src/main/eval/runner';

/*
 * Turns the JSON of `cadence eval --json` into the markdown tables of
 * docs/benchmarks.md, so the document holds exactly what one run printed.
 *
 *   node dist/bench/protocols/accuracy-tables.js /tmp/aalto.json
 */
const pct = (x: number): string => (Number.isNaN(x) ? '-' : `${(x * 100).toFixed(1)}%`);

function tables(m: ModalitySummary, unit: string, preset: string): string {
  const dets = [...m.baselines, m.cadence];
  const sizes = Object.keys(m.windows);
  const label = (d: string): string => (d === m.cadence ? `**${d} (Cadence)**` : d);
  let out = `Per-subject figures averaged over ${m.subjects} subjects (pooled EER: one threshold for all subjects):\n\n`;
  out += '| window | detector | EER | AUC | FNMR @ 1% FMR | pooled EER |\n|---|---|---:|---:|---:|---:|\n';
  for (const size of sizes) {
    for (const d of dets) {
      const w = m.windows[size]![d];
      if (w) out += `| ${size} ${unit} | ${label(d)} | ${pct(w.eer)} | ${w.auc.toFixed(3)} | ${pct(w.fnmrAt1pctFmr)} | ${pct(w.pooled.eer)} |\n`;
    }
  }
  if (Object.keys(m.trust).length > 0) {
    out += `\nTrust model, preset ${preset} (${unit} until lock; a stream never locked counts its full length):\n\n| detector | ANIA | impostor streams missed | ANIA, caught streams only | ANGA | genuine streams locked |\n|---|---:|---:|---:|---:|---:|\n`;
    for (const d of dets) {
      const t = m.trust[d];
      if (t) out += `| ${label(d)} | ${t.ania.toFixed(1)} | ${pct(t.impostorStreamsMissed)} | ${t.aniaCaughtOnly.toFixed(1)} | ${t.anga.toFixed(1)} | ${pct(t.genuineStreamsLocked)} |\n`;
    }
    const any = Object.values(m.trust)[0]!;
    out += `\n${any.genuineStreams} genuine and ${any.impostorStreams} impostor streams per detector.\n`;
    for (const [d, k] of Object.entries(m.trustSubjectsSkipped ?? {})) out += `${d}: ${k.subjects} subjects left out of the trust figures (${k.example}).\n`;
  }
  return out;
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: accuracy-tables.js EVAL.json\n');
  process.exit(2);
}
const s = JSON.parse(fs.readFileSync(file, 'utf8')) as EvalSummary;
let out = '';
if (s.keystroke) out += tables(s.keystroke, 'keystrokes', s.preset);
if (s.mouse) out += tables(s.mouse, 'actions', s.preset);
const sk = Object.entries(s.inputs.skipped).map(([k, v]) => `${v} ${k}`).join('; ');
out += `\n${s.inputs.files} input files; skipped: ${sk || 'nothing'}. Evaluation ${s.seconds.toFixed(0)} s.\n`;
process.stdout.write(out);
