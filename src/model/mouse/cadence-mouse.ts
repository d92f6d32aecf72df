import type { Detector } from '../detector';
import type { MouseActionFeatures } from '../mouse-features';
import { knnMouseDetector } from './knn-detector';
import { rankShiftMouse } from './rank-shift';
import { parseMouseDetectorJSON } from './windows';

/**
 * Cadence's mouse detector: the sum of two owner-standardised z values,
 * - the rank-shift test (has the window's typical action moved away from the
 *   owner's?), which dominates on windows of 10 or more actions, and
 * - the k-NN test (is each action unlike any the owner made?), as
 *   (mean owner-CDF - 1/2)·√(12n), which helps most on short windows.
 * Both are about 0 for the owner whatever the window size, so adding them needs
 * no weight fitted to anyone. On SapiMouse odd users the sum gained over the
 * rank-shift test alone at 1/5/10/20 actions (AUC 0.754/0.901/0.940/0.957 vs
 * 0.738/0.893/0.934/0.956).
 */
const knn = knnMouseDetector();

export const cadenceMouseDetector: Detector<readonly MouseActionFeatures[]> = {
  name: 'cadence',
  fit(enrolment) {
    return this.load({ kind: 'cadence-mouse', rankShift: rankShiftMouse.fit(enrolment).toJSON(), knn: knn.fit(enrolment).toJSON() });
  },
  load(raw) {
    const o = parseMouseDetectorJSON(raw, 'cadence-mouse', 'cadence');
    const rs = rankShiftMouse.load(o.rankShift);
    const nn = knn.load(o.knn);
    return {
      distance(sample) {
        if (sample.length === 0) throw new RangeError('cadence: cannot score an empty list of mouse actions');
        return rs.distance(sample) + (nn.distance(sample) - 0.5) * Math.sqrt(12 * sample.length);
      },
      toJSON: () => o,
    };
  },
};
