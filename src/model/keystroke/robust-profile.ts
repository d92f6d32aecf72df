import type { KeystrokeWindow } from '../keystroke-windows';
import { FEATURE_FAMILIES, forEachFeature, sortedMedian, type FeatureFamily } from './features';

/**
 * A robust per-feature timing profile in log time, the core of Cadence's own
 * keystroke detector.
 *
 * Why log time: hold and flight times are right-skewed and their spread grows
 * with their size, so a difference of 20 ms means more on a 60 ms hold than on
 * a 400 ms flight; in log time spreads are comparable across features.
 * Up-down flights go negative under rollover, so they use asinh(x / 50 ms),
 * which is linear near zero and logarithmic beyond.
 *
 * Why median/MAD with shrinkage: an enrolment of a few hundred keystrokes sees
 * most digraphs once or twice, so a per-feature spread is noise. Each
 * feature's spread is shrunk toward the owner's own typical spread for that
 * family (pooled MAD of every occurrence around its feature's median), with
 * the weight of `prior` pseudo-observations; a feature seen once therefore
 * gets the owner's family spread, one seen fifty times its own.
 */
export interface RobustProfileOptions {
  /** Pseudo-observations of the family spread added to each feature's own. */
  readonly prior: number;
}

export interface FeatureStats {
  readonly centre: number;
  readonly spread: number;
  readonly count: number;
}

const MAD_TO_SD = 1.4826;
/** Floors for spreads in transformed units, so a perfectly regular feature cannot divide by zero. */
const MIN_SPREAD = 0.02;

export function transform(family: FeatureFamily, x: number): number {
  return family === 'ud' ? Math.asinh(x / 50) : Math.log(Math.max(x, 1));
}

export function buildRobustProfile(enrolment: readonly KeystrokeWindow[], opts: RobustProfileOptions): Map<string, FeatureStats> {
  const values = new Map<string, { family: FeatureFamily; xs: number[] }>();
  for (const w of enrolment) {
    forEachFeature(w, (f, vs, family) => {
      let e = values.get(f);
      if (!e) values.set(f, (e = { family, xs: [] }));
      for (const v of vs) e.xs.push(transform(family, v));
    });
  }
  const residuals: Record<FeatureFamily, number[]> = { h: [], dd: [], ud: [] };
  const own = new Map<string, { family: FeatureFamily; centre: number; mad: number; n: number }>();
  for (const [f, { family, xs }] of values) {
    xs.sort((a, b) => a - b);
    const centre = sortedMedian(xs);
    const dev = xs.map((x) => Math.abs(x - centre)).sort((a, b) => a - b);
    if (xs.length > 1) for (const d of dev) residuals[family].push(d);
    own.set(f, { family, centre, mad: MAD_TO_SD * sortedMedian(dev), n: xs.length });
  }
  const familySpread = {} as Record<FeatureFamily, number>;
  for (const fam of FEATURE_FAMILIES) {
    const r = residuals[fam].sort((a, b) => a - b);
    // Residuals around a median of few values underestimate spread; the
    // pooled MAD is a floor-level estimate, which shrinkage then tempers.
    familySpread[fam] = r.length > 0 ? Math.max(MAD_TO_SD * sortedMedian(r), MIN_SPREAD) : fam === 'ud' ? 1 : 0.3;
  }
  const out = new Map<string, FeatureStats>();
  for (const [f, s] of own) {
    const g = familySpread[s.family];
    const own2 = s.n > 1 ? s.mad * s.mad : 0;
    const n = s.n > 1 ? s.n : 0;
    const spread = Math.sqrt((n * own2 + opts.prior * g * g) / (n + opts.prior));
    out.set(f, { centre: s.centre, spread: Math.max(spread, MIN_SPREAD), count: s.n });
  }
  return out;
}
