import type { EvalSummary, ModalitySummary } from './runner';

const pct = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '-' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | undefined, d = 3): string => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));

function grid(rows: string[][]): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ')).join('\n');
}

function detectorLabel(m: ModalitySummary, d: string): string {
  return d === m.cadence ? `${d} (Cadence)` : d;
}

/** The readable form of an evaluation: one table of error rates and one of trust figures per modality. */
export function formatSummary(s: EvalSummary): string {
  const out: string[] = [];
  for (const [name, unit, m] of [
    ['Keystrokes', 'keystrokes', s.keystroke],
    ['Mouse', 'actions', s.mouse],
  ] as const) {
    if (!m) continue;
    const detectors = [...m.baselines, m.cadence].filter((d) => d !== '');
    out.push(`${name}: ${m.subjects} subjects; per-subject EER, AUC and FNMR at 1% FMR averaged over subjects`);
    const rows: string[][] = [['window', 'detector', 'EER', 'AUC', 'FNMR@1%FMR', 'pooled EER', 'genuine', 'impostor']];
    for (const [size, byDet] of Object.entries(m.windows)) {
      for (const d of detectors) {
        const w = byDet[d];
        if (!w) continue;
        rows.push([`${size} ${unit}`, detectorLabel(m, d), pct(w.eer), num(w.auc), pct(w.fnmrAt1pctFmr), pct(w.pooled.eer), String(w.genuineSamples), String(w.impostorSamples)]);
      }
    }
    out.push(grid(rows), '');
    if (Object.keys(m.trust).length > 0) {
      out.push(`${name}, trust model (preset ${s.preset}): ${unit} until lock`);
      const t: string[][] = [['detector', 'ANIA', 'impostor streams missed', 'ANGA', 'genuine streams locked', 'streams g/i']];
      for (const d of detectors) {
        const x = m.trust[d];
        if (!x) continue;
        t.push([detectorLabel(m, d), num(x.ania, 1), pct(x.impostorStreamsMissed), num(x.anga, 1), pct(x.genuineStreamsLocked), `${x.genuineStreams}/${x.impostorStreams}`]);
      }
      out.push(grid(t));
      for (const [d, k] of Object.entries(m.trustSubjectsSkipped)) out.push(`${d}: ${k.subjects} subjects left out of the trust figures (no profile; e.g. ${k.example})`);
      out.push('');
    }
  }
  const sk = Object.entries(s.inputs.skipped);
  out.push(`${s.inputs.files} input files; ${sk.length === 0 ? 'nothing skipped' : `skipped: ${sk.map(([k, v]) => `${v} ${k}`).join('; ')}`}.`);
  out.push(`Windows slide by ${s.stride.keystrokes} keystrokes / ${s.stride.mouseActions} mouse action. ANIA/ANGA count a never-locked stream at its full length. ${s.seconds.toFixed(1)} s.`);
  return out.join('\n') + '\n';
}
