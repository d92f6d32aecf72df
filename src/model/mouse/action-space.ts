import { MOUSE_FEATURE_NAMES } from '../mouse-features';
import type { MouseFeatureName } from '../mouse-features';

/**
 * Robust per-feature scaling of mouse action vectors, fitted on the owner's
 * enrolment actions of one action type.
 *
 * Kinematic magnitudes (durations, lengths, speeds, accelerations) are heavy
 * tailed and multiplicative: a 2x slower movement is as different at 100 ms as
 * at 1 s. They are therefore compared in log space, `sign(x)·log1p(|x|/s)`
 * with `s` the owner's median magnitude, so no unit or screen-size constant is
 * needed. Bounded ratios and direction cosines are already on a common scale
 * and stay linear. Each transformed feature is then centred on the owner's
 * median and divided by the owner's MAD (falling back to the standard
 * deviation), so that no single feature dominates a distance.
 */

/** Features that are ratios or unit-vector components: compared linearly. */
const LINEAR_FEATURES: ReadonlySet<MouseFeatureName> = new Set<MouseFeatureName>([
  'straightness',
  'directionSin',
  'directionCos',
  'timeToMaxSpeed',
  'initialAccelTime',
  'pauseShare',
]);

const LINEAR = MOUSE_FEATURE_NAMES.map((n) => LINEAR_FEATURES.has(n));

/** MAD to standard deviation under normality. */
const MAD_TO_SD = 1.4826;

export interface ActionSpaceJSON {
  /** Per feature: log magnitude scale (0 = linear feature). */
  readonly logScale: readonly number[];
  readonly centre: readonly number[];
  /** Per feature: spread; 0 means the feature was constant for the owner and is ignored. */
  readonly spread: readonly number[];
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const h = n >> 1;
  return n % 2 === 1 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
}

function sortedCopy(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

function meanAbs(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += Math.abs(x);
  return xs.length > 0 ? s / xs.length : 0;
}

export class ActionSpace {
  private constructor(
    private readonly logScale: readonly number[],
    private readonly centre: readonly number[],
    private readonly spread: readonly number[],
    /** Indices of features with a non-zero spread. */
    readonly used: readonly number[],
  ) {}

  static fit(vectors: readonly (readonly number[])[]): ActionSpace {
    if (vectors.length === 0) throw new RangeError('cannot scale mouse actions: no enrolment actions');
    const d = MOUSE_FEATURE_NAMES.length;
    const logScale: number[] = [];
    const centre: number[] = [];
    const spread: number[] = [];
    for (let j = 0; j < d; j++) {
      const col = vectors.map((v) => v[j]!);
      let s = 0;
      if (!LINEAR[j]) {
        s = median(sortedCopy(col.map(Math.abs)));
        if (s === 0) s = meanAbs(col);
        // A feature that is always zero for this action type carries nothing.
        if (s === 0) s = 1;
      }
      logScale.push(s);
      const z = sortedCopy(col.map((x) => transform(x, s)));
      const c = median(z);
      let sp = MAD_TO_SD * median(sortedCopy(z.map((x) => Math.abs(x - c))));
      if (!(sp > 1e-9)) {
        let v = 0;
        for (const x of z) v += (x - c) * (x - c);
        sp = Math.sqrt(v / z.length);
      }
      centre.push(c);
      spread.push(sp > 1e-9 ? sp : 0);
    }
    return ActionSpace.fromJSON({ logScale, centre, spread });
  }

  static fromJSON(json: ActionSpaceJSON): ActionSpace {
    const used: number[] = [];
    json.spread.forEach((s, j) => {
      if (s > 0) used.push(j);
    });
    return new ActionSpace(json.logScale, json.centre, json.spread, used);
  }

  /** The action's standardised coordinates over the used features. */
  project(values: readonly number[]): Float64Array {
    const out = new Float64Array(this.used.length);
    for (let i = 0; i < this.used.length; i++) {
      const j = this.used[i]!;
      const x = values[j]!;
      // Non-finite input (a corrupted vector) is treated as the owner's centre
      // rather than poisoning the whole window with NaN.
      const z = Number.isFinite(x) ? (transform(x, this.logScale[j]!) - this.centre[j]!) / this.spread[j]! : 0;
      out[i] = z;
    }
    return out;
  }

  toJSON(): ActionSpaceJSON {
    return { logScale: [...this.logScale], centre: [...this.centre], spread: [...this.spread] };
  }
}

function transform(x: number, logScale: number): number {
  if (logScale === 0) return x;
  return Math.sign(x) * Math.log1p(Math.abs(x) / logScale);
}
