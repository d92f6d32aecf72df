import type { MouseAction, MousePoint } from '../../../src/model/mouse-actions';
import { mouseActionFeatures } from '../../../src/model/mouse-features';
import type { MouseActionFeatures } from '../../../src/model/mouse-features';
import { mulberry32 } from '../../../src/model/seeded-random';

/**
 * Synthetic mouse users for tests and benchmarks (no dataset file may be a
 * fixture). A user is a set of motor habits: Fitts-like movement time
 * (a + b·log2(1 + D/16)), how far the path bows away from the straight line,
 * how much the hand trembles, how long a click is held, and the share of
 * clicks, drags and plain moves. Paths follow a minimum-jerk speed profile
 * sampled every 8 ms with ±2 ms jitter, then go through the project's own
 * feature code.
 */
export interface MouseHabits {
  /** Fitts intercept and slope, ms. */
  readonly fittsA: number;
  readonly fittsB: number;
  /** Peak sideways bow of the path as a share of its length. */
  readonly bow: number;
  /** Tremor amplitude, px. */
  readonly tremor: number;
  /** Mean click hold, ms. */
  readonly holdMs: number;
  /** Shares of point-click and drag-drop actions (the rest are moves). */
  readonly clickShare: number;
  readonly dragShare: number;
}

export const TYPICAL_HABITS: MouseHabits = { fittsA: 150, fittsB: 120, bow: 0.08, tremor: 0.6, holdMs: 95, clickShare: 0.6, dragShare: 0.1 };
export const DIFFERENT_HABITS: MouseHabits = { fittsA: 260, fittsB: 210, bow: 0.2, tremor: 1.8, holdMs: 150, clickShare: 0.6, dragShare: 0.1 };

/** mulberry32: small, seeded, good enough for test data. */
export const seededRandom = mulberry32;

function gaussian(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

/** One action of a user with these habits. */
export function syntheticAction(h: MouseHabits, rnd: () => number): MouseAction {
  const r = rnd();
  const type = r < h.clickShare ? 'PC' : r < h.clickShare + h.dragShare ? 'DD' : 'MM';
  const dist = 40 + rnd() * 600;
  const angle = rnd() * 2 * Math.PI;
  const x0 = 200 + rnd() * 800;
  const y0 = 200 + rnd() * 500;
  const duration = Math.max(60, (h.fittsA + h.fittsB * Math.log2(1 + dist / 16)) * Math.exp(0.15 * gaussian(rnd)));
  const bow = h.bow * dist * (1 + 0.3 * gaussian(rnd)) * (rnd() < 0.5 ? -1 : 1);
  const points: MousePoint[] = [];
  let t = 1000 * rnd();
  const t0 = t;
  while (t - t0 <= duration) {
    const s = Math.min(1, (t - t0) / duration);
    const f = 10 * s ** 3 - 15 * s ** 4 + 6 * s ** 5; // minimum-jerk progress
    const side = bow * Math.sin(Math.PI * f);
    points.push({
      t: Math.round(t),
      x: Math.round(x0 + Math.cos(angle) * dist * f - Math.sin(angle) * side + h.tremor * gaussian(rnd)),
      y: Math.round(y0 + Math.sin(angle) * dist * f + Math.cos(angle) * side + h.tremor * gaussian(rnd)),
    });
    t += 8 + (rnd() * 4 - 2);
  }
  if (type === 'MM') return { type, points };
  const holdMs = Math.max(20, h.holdMs * Math.exp(0.25 * gaussian(rnd)));
  const last = points[points.length - 1]!;
  points.push({ t: Math.round(last.t + holdMs), x: last.x, y: last.y });
  return { type, points, holdMs };
}

/** `n` feature vectors of a user with these habits. */
export function syntheticUser(h: MouseHabits, n: number, seed: number): MouseActionFeatures[] {
  const rnd = seededRandom(seed);
  const out: MouseActionFeatures[] = [];
  for (let i = 0; i < n; i++) out.push(mouseActionFeatures(syntheticAction(h, rnd)));
  return out;
}

/** Consecutive windows of `size` actions. */
export function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i + size <= xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
