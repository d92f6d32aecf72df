import type { Detector } from './detector';
import type { KeystrokeWindow } from './keystroke-windows';
import { mergeKeystrokeWindows } from './keystroke-windows';

/*
 * PLACEHOLDER until the keystroke-detector work (issue 3) lands: a mean
 * absolute hold-time difference, so that code depending on this module's
 * exports can be written and run. It is not a real detector and no figure may
 * be reported from it.
 */
const placeholder: Detector<KeystrokeWindow> = {
  name: 'placeholder',
  fit(enrolment) {
    const m = mergeKeystrokeWindows(enrolment);
    const means: Record<string, number> = {};
    for (const [k, v] of Object.entries(m.holds)) means[k] = v.reduce((a, b) => a + b, 0) / v.length;
    return this.load(means);
  },
  load(json) {
    const means = json as Record<string, number>;
    return {
      distance(w) {
        let s = 0;
        let n = 0;
        for (const [k, v] of Object.entries(w.holds)) {
          const mu = means[k];
          if (mu === undefined) continue;
          for (const x of v) {
            s += Math.abs(x - mu);
            n++;
          }
        }
        return n > 0 ? s / n : 1e6;
      },
      toJSON: () => means,
    };
  },
};

/** Cadence's own keystroke detector: the one the agent uses. */
export const cadenceKeystroke: Detector<KeystrokeWindow> = placeholder;

/** Every keystroke detector, baselines first, for side-by-side evaluation. */
export const KEYSTROKE_DETECTORS: readonly Detector<KeystrokeWindow>[] = [placeholder];
