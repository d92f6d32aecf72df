/**
 * Evaluation metrics: verification error rates of distance scores, and the
 * continuous-authentication figures of the trust model.
 *
 * Conventions, shared by every function here:
 * - Scores are distances from the owner's profile: larger means less like the
 *   owner (as {@link FittedDetector.distance}).
 * - At threshold t a sample is accepted when its distance is <= t.
 *   FMR(t) = share of impostor samples accepted; FNMR(t) = share of genuine
 *   samples rejected.
 * - The operating points are the thresholds -inf and every distinct score. The
 *   ROC / DET curve joins consecutive operating points with straight lines.
 */

export interface OperatingPoint {
  /** Threshold: accept when distance <= threshold. */
  readonly threshold: number;
  readonly fmr: number;
  readonly fnmr: number;
}

/** A list of distance scores: a plain array or a typed array (the evaluation moves scores between threads as Float64Array). */
export type Scores = ArrayLike<number>;

function checkScores(genuine: Scores, impostor: Scores, what: string): void {
  if (genuine.length === 0 || impostor.length === 0) {
    throw new RangeError(`${what} needs at least one genuine and one impostor score (got ${genuine.length} and ${impostor.length})`);
  }
  for (let i = 0; i < genuine.length; i++) if (Number.isNaN(genuine[i])) throw new RangeError(`${what}: a genuine score is NaN`);
  for (let i = 0; i < impostor.length; i++) if (Number.isNaN(impostor[i])) throw new RangeError(`${what}: an impostor score is NaN`);
}

function sorted(xs: Scores): Float64Array {
  return Float64Array.from(xs).sort();
}

/**
 * Every operating point, from "accept nothing" (threshold -inf: FMR 0, FNMR 1)
 * to "accept everything" (the largest score: FMR 1, FNMR 0), in order of
 * increasing threshold. Tied scores share one point.
 */
export function operatingPoints(genuine: Scores, impostor: Scores): OperatingPoint[] {
  checkScores(genuine, impostor, 'operatingPoints');
  const g = sorted(genuine);
  const im = sorted(impostor);
  const out: OperatingPoint[] = [{ threshold: Number.NEGATIVE_INFINITY, fmr: 0, fnmr: 1 }];
  let i = 0;
  let j = 0;
  while (i < g.length || j < im.length) {
    const t = Math.min(i < g.length ? g[i]! : Infinity, j < im.length ? im[j]! : Infinity);
    while (i < g.length && g[i]! <= t) i++;
    while (j < im.length && im[j]! <= t) j++;
    out.push({ threshold: t, fmr: j / im.length, fnmr: 1 - i / g.length });
  }
  return out;
}

/**
 * Equal error rate: where the curve joining consecutive operating points
 * crosses FMR = FNMR. Between two points the rates are interpolated linearly,
 * so the EER is exact for the piecewise-linear ROC rather than the nearest
 * operating point (which would bias it by up to one sample's share).
 * Perfect separation gives 0; a detector that ranks every impostor as more
 * owner-like than every genuine sample gives 1.
 */
export function eer(genuine: Scores, impostor: Scores): number {
  const pts = operatingPoints(genuine, impostor);
  for (let k = 1; k < pts.length; k++) {
    const a = pts[k - 1]!;
    const b = pts[k]!;
    const da = a.fnmr - a.fmr; // > 0 at the start (FNMR 1, FMR 0), < 0 at the end
    const db = b.fnmr - b.fmr;
    if (db === 0) return b.fmr;
    if (da > 0 && db < 0) {
      const s = da / (da - db);
      return a.fmr + s * (b.fmr - a.fmr);
    }
  }
  // Unreachable: the last point has FNMR 0 and FMR 1.
  throw new Error('eer: curve did not cross FMR = FNMR');
}

/**
 * Area under the ROC curve: the probability that a random impostor sample is
 * further from the profile than a random genuine one, ties counted half
 * (Mann-Whitney U / (n_g n_i)). 1 is perfect, 0.5 is chance.
 */
export function auc(genuine: Scores, impostor: Scores): number {
  checkScores(genuine, impostor, 'auc');
  const g = sorted(genuine);
  const im = sorted(impostor);
  // For each impostor score: genuine scores strictly below count 1, equal ones count 1/2.
  let u = 0;
  let below = 0;
  let upTo = 0;
  for (const s of im) {
    while (below < g.length && g[below]! < s) below++;
    if (upTo < below) upTo = below;
    while (upTo < g.length && g[upTo]! <= s) upTo++;
    u += below + (upTo - below) / 2;
  }
  return u / (g.length * im.length);
}

/**
 * FNMR at the operating point with the lowest FNMR whose FMR does not exceed
 * `maxFmr` (no interpolation: a real threshold must achieve it).
 */
export function fnmrAtFmr(genuine: Scores, impostor: Scores, maxFmr = 0.01): number {
  let best = 1;
  for (const p of operatingPoints(genuine, impostor)) if (p.fmr <= maxFmr + 1e-12 && p.fnmr < best) best = p.fnmr;
  return best;
}

export interface ScoreSet {
  readonly genuine: Scores;
  readonly impostor: Scores;
}

export interface VerificationMetrics {
  readonly eer: number;
  readonly auc: number;
  readonly fnmrAt1pctFmr: number;
}

export function verificationMetrics(s: ScoreSet): VerificationMetrics {
  return { eer: eer(s.genuine, s.impostor), auc: auc(s.genuine, s.impostor), fnmrAt1pctFmr: fnmrAtFmr(s.genuine, s.impostor, 0.01) };
}

/**
 * Each metric computed per subject (the subject's own threshold, as Killourhy
 * & Maxion 2009) and averaged over subjects. Subjects without both genuine and
 * impostor scores are left out and counted.
 */
export function perSubjectMean(subjects: readonly ScoreSet[]): VerificationMetrics & { subjects: number; skipped: number } {
  let n = 0;
  let e = 0;
  let a = 0;
  let f = 0;
  for (const s of subjects) {
    if (s.genuine.length === 0 || s.impostor.length === 0) continue;
    const m = verificationMetrics(s);
    e += m.eer;
    a += m.auc;
    f += m.fnmrAt1pctFmr;
    n++;
  }
  if (n === 0) return { eer: NaN, auc: NaN, fnmrAt1pctFmr: NaN, subjects: 0, skipped: subjects.length };
  return { eer: e / n, auc: a / n, fnmrAt1pctFmr: f / n, subjects: n, skipped: subjects.length - n };
}

/** Per-subject EER averaged over subjects. */
export function meanPerSubjectEer(subjects: readonly ScoreSet[]): number {
  return perSubjectMean(subjects).eer;
}

/**
 * One test stream fed to the trust model: how many keystrokes (or mouse
 * actions) it held, and after how many the session locked (counting the
 * window or action that caused the lock), or null if it never locked.
 */
export interface StreamOutcome {
  readonly length: number;
  readonly lockedAfter: number | null;
}

export interface TrustMetrics {
  /**
   * Average number of impostor keystrokes/actions before lock, over impostor
   * streams. A stream that never locked contributes its whole length: the true
   * figure is at least that, so ANIA is a lower bound when any stream escaped,
   * which is why `impostorStreamsMissed` must be read beside it.
   */
  readonly ania: number;
  /**
   * Average number of genuine keystrokes/actions before a (false) lock, over
   * genuine streams. A stream never locked contributes its whole length, so
   * ANGA is a lower bound set by the test length; read `genuineStreamsLocked`
   * beside it.
   */
  readonly anga: number;
  /** Share of genuine streams locked at least once. */
  readonly genuineStreamsLocked: number;
  /** Share of impostor streams never locked. */
  readonly impostorStreamsMissed: number;
  /** ANIA over the impostor streams that did lock only (NaN if none did). */
  readonly aniaCaughtOnly: number;
  readonly genuineStreams: number;
  readonly impostorStreams: number;
}

function untilLock(o: StreamOutcome): number {
  if (o.lockedAfter !== null && (o.lockedAfter < 0 || o.lockedAfter > o.length)) {
    throw new RangeError(`stream locked after ${o.lockedAfter} of ${o.length}: out of range`);
  }
  return o.lockedAfter ?? o.length;
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function trustMetrics(genuine: readonly StreamOutcome[], impostor: readonly StreamOutcome[]): TrustMetrics {
  const caught = impostor.filter((o) => o.lockedAfter !== null);
  return {
    ania: mean(impostor.map(untilLock)),
    anga: mean(genuine.map(untilLock)),
    genuineStreamsLocked: genuine.length === 0 ? NaN : genuine.filter((o) => o.lockedAfter !== null).length / genuine.length,
    impostorStreamsMissed: impostor.length === 0 ? NaN : (impostor.length - caught.length) / impostor.length,
    aniaCaughtOnly: mean(caught.map(untilLock)),
    genuineStreams: genuine.length,
    impostorStreams: impostor.length,
  };
}

/**
 * A DET curve thinned to at most `maxPoints` points (for plotting), keeping
 * the first and last and the EER neighbourhood shape.
 */
export function detCurve(genuine: Scores, impostor: Scores, maxPoints = 200): { fmr: number; fnmr: number }[] {
  const pts = operatingPoints(genuine, impostor);
  const step = Math.max(1, Math.ceil(pts.length / maxPoints));
  const out: { fmr: number; fnmr: number }[] = [];
  for (let k = 0; k < pts.length; k += step) out.push({ fmr: pts[k]!.fmr, fnmr: pts[k]!.fnmr });
  const last = pts[pts.length - 1]!;
  if (out[out.length - 1]!.fmr !== last.fmr || out[out.length - 1]!.fnmr !== last.fnmr) out.push({ fmr: last.fmr, fnmr: last.fnmr });
  return out;
}
