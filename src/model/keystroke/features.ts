import type { KeystrokeWindow } from '../keystroke-windows';

/**
 * The three families of timing feature a keystroke window holds, and helpers
 * every keystroke detector shares to walk them. A feature id is the family
 * prefix plus the window's (opaque, possibly hashed) key or digraph id, so a
 * hold of key "a" and a flight of digraph "a" can never collide.
 */
export type FeatureFamily = 'h' | 'dd' | 'ud';
export const FEATURE_FAMILIES: readonly FeatureFamily[] = ['h', 'dd', 'ud'];

export function familyLists(w: KeystrokeWindow, family: FeatureFamily): Readonly<Record<string, readonly number[]>> {
  return family === 'h' ? w.holds : family === 'dd' ? w.dd : w.ud;
}

export function featureId(family: FeatureFamily, id: string): string {
  return `${family}:${id}`;
}

export function familyOf(feature: string): FeatureFamily {
  return feature.slice(0, feature.indexOf(':')) as FeatureFamily;
}

/** Calls `visit` once per feature of the window with all its values (sorted ascending). */
export function forEachFeature(
  w: KeystrokeWindow,
  visit: (feature: string, values: readonly number[], family: FeatureFamily) => void,
  families: readonly FeatureFamily[] = FEATURE_FAMILIES,
): void {
  for (const family of families) {
    const lists = familyLists(w, family);
    for (const id of Object.keys(lists)) visit(featureId(family, id), lists[id]!, family);
  }
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** Median of values already sorted ascending. */
export function sortedMedian(xs: ArrayLike<number>): number {
  const n = xs.length;
  const h = n >> 1;
  return n % 2 === 1 ? xs[h]! : (xs[h - 1]! + xs[h]!) / 2;
}

export function median(xs: readonly number[]): number {
  return sortedMedian(Float64Array.from(xs).sort());
}

/** Quantile (linear interpolation, type 7) of values sorted ascending. */
export function sortedQuantile(xs: ArrayLike<number>, q: number): number {
  const pos = (xs.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, xs.length - 1);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo);
}

/** Throws a clear error when a detector is asked to fit on nothing. */
export function requireEnrolment(name: string, enrolment: readonly KeystrokeWindow[]): void {
  if (enrolment.length === 0) throw new RangeError(`${name}: cannot fit a profile on zero enrolment windows`);
  let keystrokes = 0;
  for (const w of enrolment) keystrokes += w.keystrokes;
  if (keystrokes < 2) throw new RangeError(`${name}: enrolment holds ${keystrokes} keystrokes; at least 2 are needed`);
}

/** Checks that a loaded profile is an object with the expected detector name. */
export function profileObject(name: string, json: unknown): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TypeError(`${name}: a saved profile must be a JSON object, got ${json === null ? 'null' : typeof json}`);
  }
  const o = json as Record<string, unknown>;
  if (o['detector'] !== name) throw new TypeError(`${name}: the saved profile belongs to detector "${String(o['detector'])}"`);
  return o;
}

/**
 * Merges consecutive enrolment windows into reference samples of at least
 * `keystrokes` keystrokes each (a short remainder joins the last sample), for
 * the detectors that compare a test window with whole typing samples.
 */
export function chunkWindows(enrolment: readonly KeystrokeWindow[], keystrokes: number): KeystrokeWindow[][] {
  const out: KeystrokeWindow[][] = [];
  let cur: KeystrokeWindow[] = [];
  let n = 0;
  for (const w of enrolment) {
    cur.push(w);
    n += w.keystrokes;
    if (n >= keystrokes) {
      out.push(cur);
      cur = [];
      n = 0;
    }
  }
  if (cur.length > 0) {
    if (out.length > 0 && n < keystrokes / 2) out[out.length - 1]!.push(...cur);
    else out.push(cur);
  }
  return out;
}
