import type { Detector } from '../detector';
import type { MouseActionType } from '../mouse-actions';
import { MOUSE_FEATURE_NAMES } from '../mouse-features';
import type { MouseActionFeatures } from '../mouse-features';
import { actionGroups, parseMouseDetectorJSON } from './windows';

/**
 * Baseline: scaled Manhattan distance (Killourhy & Maxion 2009) applied to
 * mouse action vectors, per action type. Per feature, the distance from the
 * owner's mean divided by the owner's mean absolute deviation, averaged over
 * features; a window's distance is the mean over its actions. Raw features,
 * no log transform, no neighbours: the simple comparison point.
 */

interface TypeStats {
  readonly mean: readonly number[];
  /** Mean absolute deviation per feature; 0 = constant for the owner, ignored. */
  readonly mad: readonly number[];
}

interface ScaledManhattanJSON {
  readonly kind: 'scaled-manhattan-mouse';
  readonly models: Partial<Record<MouseActionType | 'ALL', TypeStats>>;
}

function stats(vectors: readonly (readonly number[])[]): TypeStats {
  const d = MOUSE_FEATURE_NAMES.length;
  const mean = new Array<number>(d).fill(0);
  const mad = new Array<number>(d).fill(0);
  for (const v of vectors) for (let j = 0; j < d; j++) mean[j]! += v[j]! / vectors.length;
  for (const v of vectors) for (let j = 0; j < d; j++) mad[j]! += Math.abs(v[j]! - mean[j]!) / vectors.length;
  return { mean, mad };
}

/** Scaled Manhattan distance of one action vector from a type's statistics. */
export function scaledManhattanAction(values: readonly number[], s: TypeStats): number {
  let sum = 0;
  let n = 0;
  for (let j = 0; j < s.mean.length; j++) {
    const m = s.mad[j]!;
    if (!(m > 0)) continue;
    const x = values[j]!;
    sum += Number.isFinite(x) ? Math.abs(x - s.mean[j]!) / m : 0;
    n++;
  }
  return n > 0 ? sum / n : 0;
}

export const scaledManhattanMouse: Detector<readonly MouseActionFeatures[]> = {
  name: 'scaled-manhattan',
  fit(enrolment) {
    const g = actionGroups(enrolment.flat(), this.name);
    const models: Partial<Record<MouseActionType | 'ALL', TypeStats>> = { ALL: stats(g.ALL) };
    // Two actions give a deviation; fewer fall back to all actions together.
    for (const t of ['MM', 'PC', 'DD'] as const) if (g[t].length >= 2) models[t] = stats(g[t]);
    return this.load({ kind: 'scaled-manhattan-mouse', models } satisfies ScaledManhattanJSON);
  },
  load(raw) {
    const json = parseMouseDetectorJSON(raw, 'scaled-manhattan-mouse', 'scaled-manhattan') as unknown as ScaledManhattanJSON;
    const all = json.models.ALL;
    if (!all) throw new Error("scaled-manhattan: stored profile has no 'ALL' model");
    return {
      distance(sample) {
        if (sample.length === 0) throw new RangeError('scaled-manhattan: cannot score an empty list of mouse actions');
        let s = 0;
        for (const a of sample) s += scaledManhattanAction(a.values, json.models[a.type] ?? all);
        return s / sample.length;
      },
      toJSON: () => json,
    };
  },
};
