import type { Detector, FittedDetector } from '../detector';
import type { KeystrokeWindow } from '../keystroke-windows';
import { mergeKeystrokeWindows } from '../keystroke-windows';
import { chunkWindows, profileObject, requireEnrolment } from './features';

/**
 * Gunetti & Picardi (2005, "Keystroke analysis of free text", ACM TISSEC)
 * R and A measures on digraphs.
 *
 * A typing sample is reduced to the duration of each digraph (first press to
 * second press, i.e. down-down; the mean when it occurs more than once).
 * Between two samples only the digraphs they share count:
 * - R (relative): sort the shared digraphs by duration in each sample; R is the
 *   sum over digraphs of the distance between their two positions, divided by
 *   the largest possible disorder of that many elements (n^2/2 for even n,
 *   (n^2-1)/2 for odd n), so 0 = same order, 1 = reversed.
 * - A (absolute): two durations d1 <= d2 are similar when d2/d1 <= t
 *   (t = 1.25 in the paper); A = 1 - similar/shared.
 * The distance of a sample X from user U is the mean of its distance to each
 * of U's samples (the paper's md(U, X)). The paper's users' samples were
 * texts of ~800 characters; here the owner's enrolment windows are merged into
 * reference samples of `referenceKeystrokes` keystrokes. The paper's
 * classification rule compares with other users' profiles; one-class
 * verification (no one else's data) keeps the mean distance itself.
 * With fewer than two shared digraphs (R) or none (A) the measure is at its
 * maximum, 1: nothing in common is no evidence of the owner.
 */
export const GUNETTI_PICARDI_R = 'gunetti-picardi-r';
export const GUNETTI_PICARDI_A = 'gunetti-picardi-a';
export const GP_SIMILARITY_T = 1.25;
const DEFAULT_REFERENCE_KEYSTROKES = 100;

/** digraph id -> mean down-down duration, ms. */
export type DigraphDurations = Map<string, number>;

export function digraphDurations(w: KeystrokeWindow): DigraphDurations {
  const out: DigraphDurations = new Map();
  for (const id of Object.keys(w.dd)) {
    const xs = w.dd[id]!;
    let s = 0;
    for (const x of xs) s += x;
    out.set(id, s / xs.length);
  }
  return out;
}

/** Largest sum of position differences between two orderings of n elements. */
export function maxDisorder(n: number): number {
  return n % 2 === 0 ? (n * n) / 2 : (n * n - 1) / 2;
}

/** Gunetti & Picardi's R measure between two samples; 1 when they share fewer than two digraphs. */
export function rMeasure(a: DigraphDurations, b: DigraphDurations): number {
  const shared: string[] = [];
  for (const id of a.keys()) if (b.has(id)) shared.push(id);
  const n = shared.length;
  if (n < 2) return 1;
  // Ties are broken by id so the measure does not depend on map order.
  const byA = [...shared].sort((x, y) => a.get(x)! - a.get(y)! || (x < y ? -1 : x > y ? 1 : 0));
  const byB = [...shared].sort((x, y) => b.get(x)! - b.get(y)! || (x < y ? -1 : x > y ? 1 : 0));
  const posB = new Map<string, number>();
  byB.forEach((id, i) => posB.set(id, i));
  let disorder = 0;
  byA.forEach((id, i) => (disorder += Math.abs(i - posB.get(id)!)));
  return disorder / maxDisorder(n);
}

/** Gunetti & Picardi's A measure between two samples; 1 when they share no digraph. */
export function aMeasure(a: DigraphDurations, b: DigraphDurations, t = GP_SIMILARITY_T): number {
  let shared = 0;
  let similar = 0;
  for (const [id, da] of a) {
    const db = b.get(id);
    if (db === undefined) continue;
    shared++;
    const lo = Math.min(da, db);
    const hi = Math.max(da, db);
    if (lo > 0 && hi / lo <= t) similar++;
  }
  return shared === 0 ? 1 : 1 - similar / shared;
}

interface Profile {
  detector: string;
  /** Reference samples: [digraph id, mean down-down ms][] each. */
  references: [string, number][][];
}

function gunettiPicardi(name: string, measure: (a: DigraphDurations, b: DigraphDurations) => number, referenceKeystrokes: number): Detector<KeystrokeWindow> {
  const fitted = (p: Profile): FittedDetector<KeystrokeWindow> => {
    const refs = p.references.map((r) => new Map(r));
    return {
      distance(w) {
        const x = digraphDurations(w);
        let s = 0;
        for (const r of refs) s += measure(x, r);
        return s / refs.length;
      },
      toJSON: () => p,
    };
  };
  return {
    name,
    fit(enrolment) {
      requireEnrolment(name, enrolment);
      const references = chunkWindows(enrolment, referenceKeystrokes).map((c) => [...digraphDurations(mergeKeystrokeWindows(c))]);
      return fitted({ detector: name, references });
    },
    load(json) {
      const o = profileObject(name, json);
      const refs = o['references'];
      if (!Array.isArray(refs) || refs.length === 0) throw new TypeError(`${name}: saved profile needs a non-empty "references" array`);
      refs.forEach((r, i) => {
        if (!Array.isArray(r) || !r.every((e) => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'number')) {
          throw new TypeError(`${name}: saved reference ${i} must be a list of [digraph id, duration] pairs`);
        }
      });
      return fitted(o as unknown as Profile);
    },
  };
}

export function gunettiPicardiR(referenceKeystrokes = DEFAULT_REFERENCE_KEYSTROKES): Detector<KeystrokeWindow> {
  return gunettiPicardi(GUNETTI_PICARDI_R, rMeasure, referenceKeystrokes);
}

export function gunettiPicardiA(referenceKeystrokes = DEFAULT_REFERENCE_KEYSTROKES, t = GP_SIMILARITY_T): Detector<KeystrokeWindow> {
  return gunettiPicardi(GUNETTI_PICARDI_A, (a, b) => aMeasure(a, b, t), referenceKeystrokes);
}
