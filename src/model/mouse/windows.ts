import type { MouseActionType } from '../mouse-actions';
import { MOUSE_FEATURE_NAMES } from '../mouse-features';
import type { MouseActionFeatures } from '../mouse-features';

/** Shared plumbing of the mouse detectors: grouping by action type, window aggregation, stored-profile checks. */

export type ActionGroups = Record<MouseActionType | 'ALL', (readonly number[])[]>;

/** Splits enrolment actions by type (plus all together), checking each vector's shape. */
export function actionGroups(actions: readonly MouseActionFeatures[], detector: string): ActionGroups {
  if (actions.length === 0) throw new RangeError(`${detector}: cannot fit a mouse profile from zero actions`);
  const g: ActionGroups = { MM: [], PC: [], DD: [], ALL: [] };
  actions.forEach((a, i) => {
    if (a.values.length !== MOUSE_FEATURE_NAMES.length) {
      throw new RangeError(`${detector}: enrolment action ${i} has ${a.values.length} features, expected ${MOUSE_FEATURE_NAMES.length}`);
    }
    if (!a.values.every(Number.isFinite)) throw new RangeError(`${detector}: enrolment action ${i} has a non-finite feature value`);
    const list = g[a.type];
    if (!list) throw new RangeError(`${detector}: enrolment action ${i} has unknown type ${String(a.type)}`);
    list.push(a.values);
    g.ALL.push(a.values);
  });
  return g;
}

/**
 * Mean after dropping `trim` of the values at each end. With few values
 * nothing is dropped, so a 1-action window is scored by that action.
 */
export function trimmedMean(values: readonly number[], trim: number): number {
  const s = [...values].sort((a, b) => a - b);
  const cut = Math.floor(s.length * trim);
  let sum = 0;
  for (let i = cut; i < s.length - cut; i++) sum += s[i]!;
  return sum / (s.length - 2 * cut);
}

/** Checks the stored JSON names the expected detector kind; the detailed shape is the detector's own. */
export function parseMouseDetectorJSON(raw: unknown, kind: string, detector: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TypeError(`${detector}: stored profile is not an object`);
  }
  const o = raw as Record<string, unknown>;
  if (o.kind !== kind) throw new TypeError(`${detector}: stored profile is of kind ${JSON.stringify(o.kind)}, expected "${kind}"`);
  return o;
}
