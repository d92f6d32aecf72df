import fs from 'node:fs';
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import type { EvalPlots, EvalSummary, ModalitySummary } from './runner';
import type { Modality } from './subject-eval';

/*
 * The HTML report of `cadence eval`. Plots are vega-lite specs rendered to
 * SVG strings in Node (vega's headless View, renderer 'none'), then inlined:
 * the file loads nothing from anywhere. A plotting library rather than
 * hand-drawn SVG because axes with log scales and sensible ticks, legends,
 * facets and box plots are a solved problem, and hand-written versions of
 * them are where plots quietly lie (wrong tick placement, clipped points).
 */

/** DET axes are log-scaled; a rate of 0 is drawn at this floor (and said so on the axis). */
const LOG_FLOOR = 1e-3;

async function svg(spec: TopLevelSpec): Promise<string> {
  // Both packages are ES modules only; this file is CommonJS, hence import().
  const vl = await import('vega-lite');
  const vega = await import('vega');
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const unitOf = (m: Modality): string => (m === 'keystroke' ? 'keystrokes' : 'actions');

function detSpec(m: Modality, det: Record<string, Record<string, { fmr: number; fnmr: number }[]>>, s: ModalitySummary): TopLevelSpec {
  const values: { size: string; detector: string; fmr: number; fnmr: number }[] = [];
  for (const [size, byDet] of Object.entries(det)) {
    for (const [d, pts] of Object.entries(byDet)) {
      for (const p of pts) values.push({ size: `${size} ${unitOf(m)}`, detector: d === s.cadence ? `${d} (Cadence)` : d, fmr: Math.max(p.fmr, LOG_FLOOR), fnmr: Math.max(p.fnmr, LOG_FLOOR) });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${m === 'keystroke' ? 'Keystrokes' : 'Mouse'}: DET curves (scores pooled over subjects; lower left is better)`,
    data: { values },
    facet: { column: { field: 'size', type: 'ordinal', sort: Object.keys(det).map((k) => `${k} ${unitOf(m)}`), title: 'window' } },
    spec: {
      width: 200,
      height: 200,
      mark: { type: 'line', clip: true },
      encoding: {
        x: { field: 'fmr', type: 'quantitative', scale: { type: 'log', domain: [LOG_FLOOR, 1] }, title: `FMR (log; 0 drawn at ${LOG_FLOOR})` },
        y: { field: 'fnmr', type: 'quantitative', scale: { type: 'log', domain: [LOG_FLOOR, 1] }, title: 'FNMR (log)' },
        color: { field: 'detector', type: 'nominal' },
        order: { field: 'fmr', type: 'quantitative' },
      },
    },
  } as TopLevelSpec;
}

function eerSpec(m: Modality, byWindow: Record<string, Record<string, number[]>>, s: ModalitySummary): TopLevelSpec {
  const values: { size: string; detector: string; eer: number }[] = [];
  for (const [size, byDet] of Object.entries(byWindow)) {
    for (const [d, eers] of Object.entries(byDet)) for (const e of eers) values.push({ size: `${size} ${unitOf(m)}`, detector: d === s.cadence ? `${d} (Cadence)` : d, eer: e });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${m === 'keystroke' ? 'Keystrokes' : 'Mouse'}: per-subject EER (box: quartiles; whiskers: 1.5 IQR; dots: outliers)`,
    data: { values },
    facet: { column: { field: 'size', type: 'ordinal', sort: Object.keys(byWindow).map((k) => `${k} ${unitOf(m)}`), title: 'window' } },
    spec: {
      width: 200,
      height: 200,
      mark: { type: 'boxplot', extent: 1.5 },
      encoding: {
        x: { field: 'detector', type: 'nominal', title: null, axis: { labelAngle: -40 } },
        y: { field: 'eer', type: 'quantitative', title: 'EER', scale: { domain: [0, 1] }, axis: { format: '%' } },
        color: { field: 'detector', type: 'nominal', legend: null },
      },
    },
  } as TopLevelSpec;
}

function traceSpec(m: Modality, traces: EvalPlots['traces']): TopLevelSpec {
  const values: { stream: string; role: string; n: number; trust: number }[] = [];
  traces.forEach((t, i) => {
    const id = `${t.subject}/${t.role}/${i}`;
    values.push({ stream: id, role: t.role, n: 0, trust: 100 });
    for (const p of t.points) values.push({ stream: id, role: t.role, n: p.n, trust: p.trust });
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${m === 'keystroke' ? 'Keystrokes' : 'Mouse'}: trust over time, Cadence, first subjects' genuine and first impostor streams (a line ends at the lock)`,
    data: { values },
    width: 700,
    height: 280,
    mark: { type: 'line', point: { size: 12 } },
    encoding: {
      x: { field: 'n', type: 'quantitative', title: `${unitOf(m)} fed` },
      y: { field: 'trust', type: 'quantitative', scale: { domain: [0, 100] }, title: 'trust' },
      color: { field: 'role', type: 'nominal', scale: { domain: ['genuine', 'impostor'], range: ['#1b7837', '#c51b7d'] } },
      detail: { field: 'stream', type: 'nominal' },
    },
  } as TopLevelSpec;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (x: number): string => (Number.isNaN(x) ? '-' : `${(x * 100).toFixed(1)}%`);

function tables(m: Modality, s: ModalitySummary, preset: string): string {
  const dets = [...s.baselines, s.cadence];
  let h = `<table><tr><th>window</th><th>detector</th><th>EER</th><th>AUC</th><th>FNMR @ 1% FMR</th><th>pooled EER</th></tr>`;
  for (const [size, byDet] of Object.entries(s.windows)) {
    for (const d of dets) {
      const w = byDet[d];
      if (!w) continue;
      h += `<tr${d === s.cadence ? ' class="cadence"' : ''}><td>${size} ${unitOf(m)}</td><td>${esc(d)}</td><td>${pct(w.eer)}</td><td>${w.auc.toFixed(3)}</td><td>${pct(w.fnmrAt1pctFmr)}</td><td>${pct(w.pooled.eer)}</td></tr>`;
    }
  }
  h += '</table>';
  if (Object.keys(s.trust).length > 0) {
    h += `<p>Trust model, preset ${esc(preset)} (${unitOf(m)} until lock; a never-locked stream counts its full length)</p><table><tr><th>detector</th><th>ANIA</th><th>impostor streams missed</th><th>ANGA</th><th>genuine streams locked</th></tr>`;
    for (const d of dets) {
      const t = s.trust[d];
      if (!t) continue;
      h += `<tr${d === s.cadence ? ' class="cadence"' : ''}><td>${esc(d)}</td><td>${t.ania.toFixed(1)}</td><td>${pct(t.impostorStreamsMissed)}</td><td>${t.anga.toFixed(1)}</td><td>${pct(t.genuineStreamsLocked)}</td></tr>`;
    }
    h += '</table>';
    for (const [d, k] of Object.entries(s.trustSubjectsSkipped)) h += `<p>${esc(d)}: ${k.subjects} subjects left out of the trust figures (no profile; e.g. ${esc(k.example)}).</p>`;
  }
  return h;
}

/** Renders the report as one self-contained HTML string. */
export async function renderReport(summary: EvalSummary, plots: EvalPlots): Promise<string> {
  let body = '';
  for (const m of ['keystroke', 'mouse'] as const) {
    const s = summary[m];
    if (!s) continue;
    body += `<h2>${m === 'keystroke' ? 'Keystrokes' : 'Mouse'}: ${s.subjects} subjects</h2>`;
    body += tables(m, s, summary.preset);
    if (plots.det[m]) body += `<figure>${await svg(detSpec(m, plots.det[m]!, s))}</figure>`;
    if (plots.subjectEer[m]) body += `<figure>${await svg(eerSpec(m, plots.subjectEer[m]!, s))}</figure>`;
    const tr = plots.traces.filter((t) => t.modality === m);
    if (tr.length > 0) body += `<figure>${await svg(traceSpec(m, tr))}</figure>`;
  }
  const skipped = Object.entries(summary.inputs.skipped).map(([k, v]) => `${v} ${esc(k)}`).join('; ') || 'nothing';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cadence evaluation</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1300px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}td:nth-child(2),th:nth-child(2){text-align:left}tr.cadence{font-weight:bold;background:#eef6ee}figure{margin:1em 0}</style>
</head><body>
<h1>Cadence evaluation</h1>
<p>Manifest <code>${esc(summary.manifest)}</code>; EER, AUC and FNMR at 1% FMR per subject, averaged over subjects (pooled EER: one threshold for all); windows slide by ${summary.stride.keystrokes} keystrokes / ${summary.stride.mouseActions} mouse action; ${summary.inputs.files} input files, skipped: ${skipped}; ${summary.seconds.toFixed(1)} s.</p>
${body}
</body></html>
`;
}

export async function writeReport(file: string, summary: EvalSummary, plots: EvalPlots): Promise<void> {
  fs.writeFileSync(file, await renderReport(summary, plots));
}
