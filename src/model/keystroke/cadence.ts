import type { Detector, FittedDetector } from '../detector';
import type { KeystrokeWindow } from '../keystroke-windows';
import { mergeKeystrokeWindows } from '../keystroke-windows';
import { chunkWindows, forEachFeature, profileObject, requireEnrolment, type FeatureFamily } from './features';
import { aMeasure, digraphDurations, GP_SIMILARITY_T, type DigraphDurations } from './gunetti-picardi';
import { buildRobustProfile, transform, type FeatureStats } from './robust-profile';

/**
 * Cadence's own keystroke detector.
 *
 * Two views of a window, fused:
 * 1. a robust distance: every hold, down-down and up-down occurrence in the
 *    window whose feature the owner has typed is scored as a robust z-score
 *    against the owner's log-time median and shrunk spread (robust-profile.ts),
 *    clipped at `clip` (one wild pause is not evidence of an impostor), and the
 *    largest `trim` share dropped before averaging;
 * 2. Gunetti & Picardi's A measure against the owner's reference samples: the
 *    share of shared digraphs whose durations differ by more than 25%, which
 *    captures the owner's absolute speed per digraph with a coarse, noise-proof
 *    vote.
 * Each is z-normalised per owner with the mean and standard deviation of its
 * scores on the owner's own enrolment, obtained by cross-validation (fit on
 * all folds but one, score the held-out fold's windows), so the two are on a
 * comparable scale for this owner before they are added. Nothing here is
 * estimated from anyone but the owner.
 */
export const CADENCE = 'cadence';

export interface CadenceOptions {
  /** Pseudo-observations of the owner's family spread per feature. */
  readonly prior: number;
  /** Largest |z| one occurrence can contribute. */
  readonly clip: number;
  /** Share of the largest per-occurrence z-scores ignored. */
  readonly trim: number;
  /** Weights of hold, down-down and up-down occurrences. */
  readonly weights: Readonly<Record<FeatureFamily, number>>;
  /** Weight of the A measure in the fusion (the robust distance has weight 1). */
  readonly aWeight: number;
  /** Keystrokes per reference sample for the A measure. */
  readonly referenceKeystrokes: number;
  /** Folds of the enrolment for the per-owner normalisation. */
  readonly folds: number;
}

export const DEFAULT_CADENCE_OPTIONS: CadenceOptions = {
  prior: 3,
  clip: 3,
  trim: 0.1,
  weights: { h: 1.5, dd: 1, ud: 1 },
  aWeight: 0.3,
  referenceKeystrokes: 100,
  folds: 4,
};

interface Profile {
  detector: typeof CADENCE;
  options: CadenceOptions;
  /** feature id -> [centre, spread] in transformed units. */
  features: Record<string, [number, number]>;
  references: [string, number][][];
  /** [mean, sd] of each component on the owner's held-out enrolment. */
  norm: { robust: [number, number]; a: [number, number] };
}

/**
 * The robust distance of a window from a feature profile (feature id ->
 * [centre, spread] in transformed units): weighted mean of the clipped
 * per-occurrence |z| after dropping the largest `trim` share; `clip` when the
 * window shares no feature with the profile.
 */
export function robustDistance(
  stats: ReadonlyMap<string, readonly [number, number]>,
  w: KeystrokeWindow,
  o: Pick<CadenceOptions, 'clip' | 'trim' | 'weights'>,
): number {
  const zs: number[] = [];
  const ws: number[] = [];
  forEachFeature(w, (f, values, family) => {
    const s = stats.get(f);
    if (!s) return;
    const wt = o.weights[family];
    if (wt === 0) return;
    for (const v of values) {
      zs.push(Math.min(Math.abs(transform(family, v) - s[0]) / s[1], o.clip));
      ws.push(wt);
    }
  });
  if (zs.length === 0) return o.clip;
  const keep = Math.max(1, Math.ceil(zs.length * (1 - o.trim)));
  // The kept occurrences are the `keep` smallest z; ties at the cut are taken
  // in window order. A numeric typed-array sort finds the cut without the
  // cost of sorting indices through a comparator.
  const cut = Float64Array.from(zs).sort()[keep - 1]!;
  let below = 0;
  for (const z of zs) if (z < cut) below++;
  let tiesLeft = keep - below;
  let s = 0;
  let n = 0;
  for (let i = 0; i < zs.length; i++) {
    const z = zs[i]!;
    if (z > cut || (z === cut && tiesLeft-- <= 0)) continue;
    s += z * ws[i]!;
    n += ws[i]!;
  }
  return s / n;
}

function aDistance(refs: readonly DigraphDurations[], w: KeystrokeWindow): number {
  const x = digraphDurations(w);
  let s = 0;
  for (const r of refs) s += aMeasure(x, r, GP_SIMILARITY_T);
  return s / refs.length;
}

interface Parts {
  stats: Map<string, [number, number]>;
  refs: DigraphDurations[];
}

function parts(enrolment: readonly KeystrokeWindow[], o: CadenceOptions): Parts {
  const robust = buildRobustProfile(enrolment, { prior: o.prior });
  const stats = new Map<string, [number, number]>();
  for (const [f, s] of robust as Map<string, FeatureStats>) stats.set(f, [s.centre, s.spread]);
  const refs = chunkWindows(enrolment, o.referenceKeystrokes).map((c) => digraphDurations(mergeKeystrokeWindows(c)));
  return { stats, refs };
}

function meanSd(xs: readonly number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - m) * (b - m), 0) / Math.max(1, xs.length - 1);
  return [m, Math.max(Math.sqrt(v), 1e-3)];
}

/** Per-owner score statistics from cross-validation over contiguous folds of the enrolment. */
function crossValidate(enrolment: readonly KeystrokeWindow[], o: CadenceOptions): Profile['norm'] {
  const k = Math.min(o.folds, enrolment.length);
  const robust: number[] = [];
  const a: number[] = [];
  if (k >= 2) {
    for (let f = 0; f < k; f++) {
      const lo = Math.floor((f * enrolment.length) / k);
      const hi = Math.floor(((f + 1) * enrolment.length) / k);
      const train = [...enrolment.slice(0, lo), ...enrolment.slice(hi)];
      const p = parts(train, o);
      for (const w of enrolment.slice(lo, hi)) {
        robust.push(robustDistance(p.stats, w, o));
        a.push(aDistance(p.refs, w));
      }
    }
  }
  // A single window cannot be cross-validated: fall back to unit scaling.
  return robust.length >= 2 ? { robust: meanSd(robust), a: meanSd(a) } : { robust: [0, 1], a: [0, 1] };
}

function fitted(p: Profile): FittedDetector<KeystrokeWindow> {
  const stats = new Map(Object.entries(p.features));
  const refs = p.references.map((r) => new Map(r));
  const o = p.options;
  const [rm, rs] = p.norm.robust;
  const [am, as] = p.norm.a;
  return {
    distance(w) {
      const r = (robustDistance(stats, w, o) - rm) / rs;
      if (o.aWeight === 0) return r;
      return r + o.aWeight * ((aDistance(refs, w) - am) / as);
    },
    toJSON: () => p,
  };
}

export function cadenceDetector(options: Partial<CadenceOptions> = {}): Detector<KeystrokeWindow> {
  const o: CadenceOptions = { ...DEFAULT_CADENCE_OPTIONS, ...options };
  return {
    name: CADENCE,
    fit(enrolment) {
      requireEnrolment(CADENCE, enrolment);
      const { stats, refs } = parts(enrolment, o);
      return fitted({
        detector: CADENCE,
        options: o,
        features: Object.fromEntries(stats),
        references: refs.map((r) => [...r]),
        norm: crossValidate(enrolment, o),
      });
    },
    load(json) {
      const p = profileObject(CADENCE, json);
      for (const key of ['options', 'features', 'references', 'norm']) {
        if (typeof p[key] !== 'object' || p[key] === null) throw new TypeError(`${CADENCE}: saved profile has no "${key}"`);
      }
      return fitted(p as unknown as Profile);
    },
  };
}
