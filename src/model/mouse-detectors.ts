import type { Detector } from './detector';
import type { MouseActionFeatures } from './mouse-features';
import { cadenceMouseDetector } from './mouse/cadence-mouse';
import { knnMouseDetector } from './mouse/knn-detector';
import { rankShiftMouse } from './mouse/rank-shift';
import { scaledManhattanMouse } from './mouse/scaled-manhattan';

/**
 * Mouse detectors. `fit` takes enrolment windows and pools their actions; a
 * sample is a list of consecutive actions (1, 5, 10, 20 in the evaluation) and
 * its distance aggregates per-action evidence. Larger means less like the owner.
 */

/** Cadence's own mouse detector: the one the agent uses. */
export const cadenceMouse: Detector<readonly MouseActionFeatures[]> = cadenceMouseDetector;

/** Every mouse detector, baselines first, then Cadence's parts, then Cadence, for side-by-side evaluation. */
export const MOUSE_DETECTORS: readonly Detector<readonly MouseActionFeatures[]>[] = [
  scaledManhattanMouse,
  knnMouseDetector(),
  rankShiftMouse,
  cadenceMouse,
];
