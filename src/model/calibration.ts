import type { Detector } from './detector';

/**
 * Calibration: what a detector's distance means for this owner.
 *
 * Distances of different detectors, and of different people under one
 * detector, are on unrelated scales. The only honest yardstick the agent has
 * is the owner's own data, so the enrolment windows are cross-validated
 * (fit on k-1 contiguous folds, score the held-out fold) and the held-out
 * distances define the owner's distance distribution. A new distance is then
 * judged by its tail probability under that distribution: how often the owner
 * produced a window at least this far out. Beyond the largest held-out
 * distance the tail is extrapolated exponentially from the upper half (mean
 * excess over the median), so "a bit beyond anything seen" and "ten times
 * further" are told apart.
 *
 * Evidence is a linear function of log10 of that tail probability:
 * +1 when the owner produces such distances all the time (p = 1), 0 at
 * p = 10^(-EVIDENCE_DECADES/2), -1 at p = 10^-EVIDENCE_DECADES ("far outside
 * anything the owner produced"). So evidence is in units of the owner's own
 * false-alarm rate, the same for every person and detector.
 */

/** Tail probability that maps to evidence -1. */
export const EVIDENCE_DECADES = 3;
/** Contiguous folds for the cross-validated distances. */
export const DEFAULT_FOLDS = 5;
/** Fewest held-out distances a calibration is built from. */
export const MIN_CALIBRATION_SAMPLES = 5;

export const CALIBRATION_VERSION = 1;

export interface CalibrationJSON {
  readonly version: number;
  /** The owner's held-out distances, sorted ascending. */
  readonly distances: readonly number[];
}

export class Calibration {
  private readonly d: readonly number[];
  /** Median and mean excess over it: the exponential tail beyond the data. */
  private readonly tailFrom: number;
  private readonly tailScale: number;

  constructor(distances: readonly number[]) {
    if (distances.length < MIN_CALIBRATION_SAMPLES) {
      throw new RangeError(`calibration needs at least ${MIN_CALIBRATION_SAMPLES} held-out distances, got ${distances.length}`);
    }
    if (!distances.every(Number.isFinite)) throw new RangeError('calibration distances must all be finite numbers');
    this.d = [...distances].sort((a, b) => a - b);
    const n = this.d.length;
    const med = this.d[n >> 1]!;
    let excess = 0;
    let m = 0;
    for (const x of this.d) {
      if (x > med) {
        excess += x - med;
        m++;
      }
    }
    this.tailFrom = med;
    // All distances equal: fall back to a scale that still orders what lies beyond.
    this.tailScale = m > 0 && excess > 0 ? excess / m : Math.max(Math.abs(med) * 0.1, 1e-9);
  }

  get samples(): number {
    return this.d.length;
  }

  /**
   * Estimated probability that one of the owner's windows lies at least this
   * far out. Up to the median: the empirical share (plus half a window so it
   * never reaches 0 from data alone). Beyond the median: the exponential tail,
   * which is smoother than a handful of upper order statistics and keeps
   * falling past the largest distance seen.
   */
  tailProbability(distance: number): number {
    const n = this.d.length;
    // Number of owner distances >= x.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.d[mid]! < distance) lo = mid + 1;
      else hi = mid;
    }
    if (distance <= this.tailFrom) return Math.min(1, (n - lo + 0.5) / (n + 1));
    const atMedian = (n - (n >> 1) + 0.5) / (n + 1);
    return atMedian * Math.exp(-(distance - this.tailFrom) / this.tailScale);
  }

  /** Evidence in [-1, 1]: +1 clearly the owner, -1 far outside anything the owner produced. */
  evidence(distance: number): number {
    if (Number.isNaN(distance)) return -1;
    const p = this.tailProbability(distance);
    const e = 1 + (2 * Math.log10(Math.max(p, 1e-300))) / EVIDENCE_DECADES;
    return Math.max(-1, Math.min(1, e));
  }

  toJSON(): CalibrationJSON {
    return { version: CALIBRATION_VERSION, distances: this.d };
  }

  static fromJSON(json: unknown): Calibration {
    if (typeof json !== 'object' || json === null) throw new TypeError('calibration: not an object');
    const o = json as Record<string, unknown>;
    if (o.version !== CALIBRATION_VERSION) {
      throw new TypeError(`calibration: unsupported version ${JSON.stringify(o.version)} (this build reads version ${CALIBRATION_VERSION})`);
    }
    if (!Array.isArray(o.distances) || !o.distances.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new TypeError('calibration: "distances" must be an array of finite numbers');
    }
    return new Calibration(o.distances as number[]);
  }
}

/** The probability at which evidence is `e` (inverse of the mapping above). */
export function tailProbabilityAtEvidence(e: number): number {
  return 10 ** (((e - 1) * EVIDENCE_DECADES) / 2);
}

export interface CrossValidation {
  /** Held-out distance of every enrolment window, in the windows' order. */
  readonly distances: number[];
  /** Index of the fold each window was held out in. */
  readonly fold: number[];
}

/**
 * Fits on k-1 contiguous folds and scores the held-out fold, for each fold.
 * Contiguous (not shuffled) because the owner's behaviour drifts within a
 * session, and a live window always comes after the enrolment it is judged by:
 * shuffled folds would make the owner look more consistent than they are.
 */
export function crossValidatedDistances<W>(detector: Detector<W>, windows: readonly W[], folds = DEFAULT_FOLDS): CrossValidation {
  const k = Math.min(folds, windows.length);
  if (k < 2) throw new RangeError(`cross-validation needs at least 2 enrolment windows, got ${windows.length}`);
  const fold = windows.map((_, i) => Math.floor((i * k) / windows.length));
  const distances = new Array<number>(windows.length);
  for (let f = 0; f < k; f++) {
    const train = windows.filter((_, i) => fold[i] !== f);
    const fitted = detector.fit(train);
    windows.forEach((w, i) => {
      if (fold[i] === f) distances[i] = fitted.distance(w);
    });
  }
  return { distances, fold };
}

/** Calibration of a detector for an owner, from their enrolment windows alone. */
export function calibrate<W>(detector: Detector<W>, windows: readonly W[], folds = DEFAULT_FOLDS): Calibration {
  return new Calibration(crossValidatedDistances(detector, windows, folds).distances);
}
