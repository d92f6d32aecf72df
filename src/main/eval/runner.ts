import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { perSubjectMean, trustMetrics, verificationMetrics, detCurve } from '../../model/metrics';
import type { ScoreSet, TrustMetrics, VerificationMetrics } from '../../model/metrics';
import { readManifest } from './manifest';
import type { Manifest } from './manifest';
import { fileSummary } from './runner-messages';
import type { FileSummary, FromWorker, ToWorker } from './runner-messages';
import { FeatureCache, KEYSTROKE_SIZES, KEYSTROKE_STRIDE, MOUSE_SIZES, MOUSE_STRIDE, evaluateSubject } from './subject-eval';
import type { EvalOptions, Modality, StreamResult, SubjectResult, TracePoint } from './subject-eval';

/** Subjects whose Cadence trust traces are kept for the report. */
const TRACED_SUBJECTS = 3;

export interface WindowMetrics extends VerificationMetrics {
  /** The same metrics with one threshold for all subjects (scores pooled). */
  readonly pooled: VerificationMetrics;
  readonly subjects: number;
  readonly genuineSamples: number;
  readonly impostorSamples: number;
}

export interface ModalitySummary {
  readonly subjects: number;
  /** The detector the agent uses; the others are baselines. */
  readonly cadence: string;
  readonly baselines: readonly string[];
  /** Window size -> detector -> metrics (per-subject means, Killourhy & Maxion). */
  readonly windows: Record<string, Record<string, WindowMetrics>>;
  /** Detector -> trust-model metrics, that detector's profile inside TrustSession. */
  readonly trust: Record<string, TrustMetrics>;
  /** Detector -> subjects left out of the trust figures because no profile could be fitted, with one example reason. */
  readonly trustSubjectsSkipped: Record<string, { readonly subjects: number; readonly example: string }>;
}

export interface EvalSummary {
  readonly manifest: string;
  readonly preset: string;
  readonly stride: { readonly keystrokes: number; readonly mouseActions: number };
  readonly keystroke?: ModalitySummary;
  readonly mouse?: ModalitySummary;
  readonly inputs: { readonly files: number; readonly skipped: Record<string, number> };
  readonly seconds: number;
}

/** What the HTML report draws beyond the summary. */
export interface EvalPlots {
  /** modality -> size -> detector -> pooled DET points. */
  readonly det: Partial<Record<Modality, Record<string, Record<string, { fmr: number; fnmr: number }[]>>>>;
  /** modality -> size -> detector -> per-subject EERs. */
  readonly subjectEer: Partial<Record<Modality, Record<string, Record<string, number[]>>>>;
  readonly traces: { modality: Modality; subject: string; role: 'genuine' | 'impostor'; points: readonly TracePoint[]; lockedAfter: number | null }[];
}

export interface RunOptions extends Omit<EvalOptions, 'trace'> {
  readonly workers: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length));
}

async function runInWorkers(manifest: Manifest, options: RunOptions, onResult: (index: number, r: SubjectResult, files: FileSummary[]) => void): Promise<void> {
  const total = manifest.subjects.length;
  const base: EvalOptions = { preset: options.preset, detectors: options.detectors, trace: false };
  if (options.workers <= 1) {
    const cache = new FeatureCache();
    for (const [i, s] of manifest.subjects.entries()) {
      const r = evaluateSubject(s, { ...base, trace: i < TRACED_SUBJECTS }, cache);
      onResult(i, r, cache.takeNew().map(fileSummary));
      // Let the progress bar and signals through between subjects.
      await new Promise((res) => setImmediate(res));
    }
    return;
  }
  let next = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      let failed = false;
      const feed = (w: Worker): boolean => {
        if (failed || next >= total) return false;
        const index = next++;
        const msg: ToWorker = { type: 'subject', index, files: manifest.subjects[index]!, trace: index < TRACED_SUBJECTS };
        w.postMessage(msg);
        return true;
      };
      const n = Math.min(options.workers, total);
      for (let k = 0; k < n; k++) {
        const w = new Worker(path.join(__dirname, 'worker.js'));
        workers.push(w);
        w.on('error', (err) => {
          failed = true;
          reject(err);
        });
        w.on('message', (msg: FromWorker) => {
          if (msg.type === 'error') {
            failed = true;
            reject(new Error(`subject ${manifest.subjects[msg.index]!.subject}: ${msg.message}`));
            return;
          }
          onResult(msg.index, msg.result, msg.files);
          if (!feed(w)) {
            running--;
            if (running === 0 && !failed) resolve();
          }
        });
        const init: ToWorker = { type: 'init', options: base };
        w.postMessage(init);
        if (feed(w)) running++;
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

interface Acc {
  cadence: string;
  detectors: string[];
  subjects: number;
  scores: Map<string, { perSubject: ScoreSet[]; g: Float64Array[]; im: Float64Array[] }>;
  streams: Map<string, StreamResult[]>;
  trustSkipped: Map<string, { subjects: number; example: string }>;
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Runs the whole evaluation described by a manifest. */
export async function runEval(manifestFile: string, options: RunOptions): Promise<{ summary: EvalSummary; plots: EvalPlots }> {
  const started = Date.now();
  const manifest = readManifest(manifestFile);
  const acc: Partial<Record<Modality, Acc>> = {};
  const files = new Map<string, FileSummary>();
  const traces: EvalPlots['traces'] = [];
  let done = 0;
  options.onProgress?.(0, manifest.subjects.length);
  await runInWorkers(manifest, options, (_index, r, newFiles) => {
    for (const f of newFiles) files.set(f.file, f);
    for (const [m, list] of Object.entries(r.modalities) as [Modality, SubjectResult['modalities'][Modality]][]) {
      if (!list) continue;
      const a = (acc[m] ??= { cadence: '', detectors: list.map((d) => d.detector), subjects: 0, scores: new Map(), streams: new Map(), trustSkipped: new Map() });
      a.subjects++;
      for (const d of list) {
        if (d.cadence) a.cadence = d.detector;
        for (const [size, s] of Object.entries(d.scores)) {
          const key = `${size}\u0000${d.detector}`;
          let e = a.scores.get(key);
          if (!e) a.scores.set(key, (e = { perSubject: [], g: [], im: [] }));
          e.perSubject.push({ genuine: s.genuine, impostor: s.impostor });
          e.g.push(s.genuine);
          e.im.push(s.impostor);
        }
        if (d.trustSkipped !== undefined) {
          const k = a.trustSkipped.get(d.detector) ?? { subjects: 0, example: `subject ${r.subject}: ${d.trustSkipped}` };
          k.subjects++;
          a.trustSkipped.set(d.detector, k);
        }
        const st = a.streams.get(d.detector) ?? [];
        for (const s of d.streams) {
          st.push({ role: s.role, length: s.length, lockedAfter: s.lockedAfter });
          if (s.trace) traces.push({ modality: m, subject: r.subject, role: s.role, points: s.trace, lockedAfter: s.lockedAfter });
        }
        a.streams.set(d.detector, st);
      }
    }
    options.onProgress?.(++done, manifest.subjects.length);
  });

  const plots: EvalPlots = { det: {}, subjectEer: {}, traces };
  const summarise = (m: Modality, sizes: readonly number[]): ModalitySummary | undefined => {
    const a = acc[m];
    if (!a) return undefined;
    const windows: ModalitySummary['windows'] = {};
    const det: Record<string, Record<string, { fmr: number; fnmr: number }[]>> = {};
    const subjectEer: Record<string, Record<string, number[]>> = {};
    for (const size of sizes) {
      windows[size] = {};
      det[size] = {};
      subjectEer[size] = {};
      for (const d of a.detectors) {
        const e = a.scores.get(`${size}\u0000${d}`);
        if (!e) continue;
        const g = concat(e.g);
        const im = concat(e.im);
        if (g.length === 0 || im.length === 0) continue;
        const mean = perSubjectMean(e.perSubject);
        windows[size]![d] = {
          eer: mean.eer,
          auc: mean.auc,
          fnmrAt1pctFmr: mean.fnmrAt1pctFmr,
          pooled: verificationMetrics({ genuine: g, impostor: im }),
          subjects: mean.subjects,
          genuineSamples: g.length,
          impostorSamples: im.length,
        };
        det[size]![d] = detCurve(g, im, 300);
        subjectEer[size]![d] = e.perSubject.filter((s) => s.genuine.length > 0 && s.impostor.length > 0).map((s) => verificationMetrics(s).eer);
      }
    }
    const trust: Record<string, TrustMetrics> = {};
    for (const [d, st] of a.streams) {
      if (st.length === 0) continue;
      trust[d] = trustMetrics(
        st.filter((s) => s.role === 'genuine'),
        st.filter((s) => s.role === 'impostor'),
      );
    }
    plots.det[m] = det;
    plots.subjectEer[m] = subjectEer;
    return { subjects: a.subjects, cadence: a.cadence, baselines: a.detectors.filter((d) => d !== a.cadence), windows, trust, trustSubjectsSkipped: Object.fromEntries(a.trustSkipped) };
  };
  const skipped: Record<string, number> = {};
  for (const f of files.values()) for (const [k, v] of Object.entries(f.skipped)) skipped[k] = (skipped[k] ?? 0) + v;
  const keystroke = summarise('keystroke', KEYSTROKE_SIZES);
  const mouse = summarise('mouse', MOUSE_SIZES);
  const summary: EvalSummary = {
    manifest: path.resolve(manifestFile),
    preset: options.preset,
    stride: { keystrokes: KEYSTROKE_STRIDE, mouseActions: MOUSE_STRIDE },
    ...(keystroke ? { keystroke } : {}),
    ...(mouse ? { mouse } : {}),
    inputs: { files: files.size, skipped },
    seconds: (Date.now() - started) / 1000,
  };
  return { summary, plots };
}
