import { Matrix, pseudoInverse } from 'ml-matrix';
import type { Detector, FittedDetector } from '../detector';
import type { KeystrokeWindow } from '../keystroke-windows';
import { profileObject, requireEnrolment, sortedQuantile } from './features';

/**
 * Nearest-neighbour Mahalanobis (Killourhy & Maxion 2009): the profile is the
 * training vectors and the inverse of their covariance matrix S; a test vector
 * scores min over training vectors y of (x - y)' S^-1 (x - y).
 *
 * The method needs a fixed-length vector, which free text does not give. The
 * vector used here is, for one window:
 * - global, identity-free rhythm: the 25th/50th/75th percentiles of hold
 *   times and of down-down flights (both in log ms, where they are roughly
 *   symmetric), of up-down flights (ms: they go negative under rollover), and
 *   the share of digraphs typed with rollover (up-down < 0);
 * - owner-specific: the mean hold of the owner's TOP_KEYS most frequent keys
 *   and the mean down-down of the owner's TOP_DIGRAPHS most frequent digraphs
 *   in the enrolment (ids are opaque, so "frequent" is the only way to pick
 *   features that will recur), in log ms.
 * A component a window lacks (the key was not typed) is imputed with the
 * enrolment mean of that component: no evidence either way.
 * The training vectors are the enrolment windows as given (25 keystrokes in
 * the agent). With ~15 of them for 16 dimensions the sample covariance is
 * singular, so it is shrunk halfway toward its diagonal (a standard remedy;
 * Killourhy & Maxion had 200 repetitions of one password and did not need it),
 * and the pseudo-inverse guards any dimension with no variance at all.
 */
export const NEAREST_NEIGHBOUR_MAHALANOBIS = 'nearest-neighbour-mahalanobis';
const TOP_KEYS = 3;
const TOP_DIGRAPHS = 3;
const SHRINKAGE = 0.5;
const QUANTILES = [0.25, 0.5, 0.75] as const;

interface Profile {
  detector: typeof NEAREST_NEIGHBOUR_MAHALANOBIS;
  keys: string[];
  digraphs: string[];
  /** Enrolment means of each component, used to impute what a window lacks. */
  means: number[];
  /** Training vectors (imputed). */
  vectors: number[][];
}

const DIMS = 3 * QUANTILES.length + 1 + TOP_KEYS + TOP_DIGRAPHS;

function logMs(x: number): number {
  return Math.log(Math.max(x, 1));
}

/** The raw vector of a window; NaN marks a component the window lacks. */
export function mahalanobisVector(w: KeystrokeWindow, keys: readonly string[], digraphs: readonly string[]): number[] {
  const holds: number[] = [];
  const dd: number[] = [];
  const ud: number[] = [];
  for (const id of Object.keys(w.holds)) for (const x of w.holds[id]!) holds.push(logMs(x));
  for (const id of Object.keys(w.dd)) for (const x of w.dd[id]!) dd.push(logMs(x));
  for (const id of Object.keys(w.ud)) for (const x of w.ud[id]!) ud.push(x);
  const v: number[] = [];
  for (const xs of [holds, dd, ud]) {
    xs.sort((a, b) => a - b);
    for (const q of QUANTILES) v.push(xs.length > 0 ? sortedQuantile(xs, q) : NaN);
  }
  v.push(ud.length > 0 ? ud.filter((x) => x < 0).length / ud.length : NaN);
  const meanLog = (xs: readonly number[] | undefined): number => (xs && xs.length > 0 ? xs.reduce((s, x) => s + logMs(x), 0) / xs.length : NaN);
  for (const k of keys) v.push(meanLog(w.holds[k]));
  for (const d of digraphs) v.push(meanLog(w.dd[d]));
  while (v.length < DIMS) v.push(NaN); // owner typed fewer distinct keys than TOP_KEYS
  return v;
}

function impute(v: number[], means: readonly number[]): number[] {
  return v.map((x, i) => (Number.isNaN(x) ? means[i]! : x));
}

function topIds(counts: Map<string, number>, n: number): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([id]) => id);
}

/**
 * Sample covariance of `vectors` around `means`, off-diagonal entries shrunk
 * by `shrinkage` (0 = sample covariance, 1 = its diagonal only).
 */
export function shrunkCovariance(vectors: readonly (readonly number[])[], means: readonly number[], shrinkage: number): number[][] {
  const dims = means.length;
  const n = vectors.length;
  const cov: number[][] = Array.from({ length: dims }, () => new Array<number>(dims).fill(0));
  for (let i = 0; i < dims; i++) {
    for (let j = i; j < dims; j++) {
      let s = 0;
      for (const v of vectors) s += (v[i]! - means[i]!) * (v[j]! - means[j]!);
      const c = n > 1 ? s / (n - 1) : 0;
      const shrunk = i === j ? c : (1 - shrinkage) * c;
      cov[i]![j] = shrunk;
      cov[j]![i] = shrunk;
    }
  }
  return cov;
}

/** min over training vectors y of (x - y)' inv (x - y). */
export function nearestMahalanobis(x: readonly number[], vectors: readonly (readonly number[])[], inv: readonly (readonly number[])[]): number {
  const dims = x.length;
  const d = new Array<number>(dims);
  let best = Number.POSITIVE_INFINITY;
  for (const y of vectors) {
    for (let i = 0; i < dims; i++) d[i] = x[i]! - y[i]!;
    let s = 0;
    for (let i = 0; i < dims; i++) {
      const row = inv[i]!;
      let t = 0;
      for (let j = 0; j < dims; j++) t += row[j]! * d[j]!;
      s += d[i]! * t;
    }
    if (s < best) best = s;
  }
  return best;
}

function fitted(p: Profile): FittedDetector<KeystrokeWindow> {
  const inv = pseudoInverse(new Matrix(shrunkCovariance(p.vectors, p.means, SHRINKAGE))).to2DArray();
  return {
    distance: (w) => nearestMahalanobis(impute(mahalanobisVector(w, p.keys, p.digraphs), p.means), p.vectors, inv),
    toJSON: () => p,
  };
}

export const nearestNeighbourMahalanobis: Detector<KeystrokeWindow> = {
  name: NEAREST_NEIGHBOUR_MAHALANOBIS,
  fit(enrolment) {
    requireEnrolment(NEAREST_NEIGHBOUR_MAHALANOBIS, enrolment);
    const keyCounts = new Map<string, number>();
    const digraphCounts = new Map<string, number>();
    for (const w of enrolment) {
      for (const id of Object.keys(w.holds)) keyCounts.set(id, (keyCounts.get(id) ?? 0) + w.holds[id]!.length);
      for (const id of Object.keys(w.dd)) digraphCounts.set(id, (digraphCounts.get(id) ?? 0) + w.dd[id]!.length);
    }
    const keys = topIds(keyCounts, TOP_KEYS);
    const digraphs = topIds(digraphCounts, TOP_DIGRAPHS);
    const raw = enrolment.map((w) => mahalanobisVector(w, keys, digraphs));
    const means: number[] = [];
    for (let i = 0; i < DIMS; i++) {
      const present = raw.map((v) => v[i]!).filter((x) => !Number.isNaN(x));
      means.push(present.length > 0 ? present.reduce((a, b) => a + b, 0) / present.length : 0);
    }
    return fitted({ detector: NEAREST_NEIGHBOUR_MAHALANOBIS, keys, digraphs, means, vectors: raw.map((v) => impute(v, means)) });
  },
  load(json) {
    const o = profileObject(NEAREST_NEIGHBOUR_MAHALANOBIS, json);
    const vec = (v: unknown): boolean => Array.isArray(v) && v.length === DIMS && v.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (!vec(o['means'])) throw new TypeError(`${NEAREST_NEIGHBOUR_MAHALANOBIS}: saved "means" must be ${DIMS} finite numbers`);
    const vs = o['vectors'];
    if (!Array.isArray(vs) || vs.length === 0 || !vs.every(vec)) throw new TypeError(`${NEAREST_NEIGHBOUR_MAHALANOBIS}: saved "vectors" must be a non-empty list of ${DIMS}-number vectors`);
    if (!Array.isArray(o['keys']) || !Array.isArray(o['digraphs'])) throw new TypeError(`${NEAREST_NEIGHBOUR_MAHALANOBIS}: saved profile needs "keys" and "digraphs" lists`);
    return fitted(o as unknown as Profile);
  },
};
