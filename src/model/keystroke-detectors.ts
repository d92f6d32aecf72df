import type { Detector } from './detector';
import type { KeystrokeWindow } from './keystroke-windows';
import { cadenceDetector } from './keystroke/cadence';
import { gunettiPicardiA, gunettiPicardiR } from './keystroke/gunetti-picardi';
import { nearestNeighbourMahalanobis } from './keystroke/nearest-neighbour-mahalanobis';
import { scaledManhattan } from './keystroke/scaled-manhattan';

/** Cadence's own keystroke detector: the one the agent uses. */
export const cadenceKeystroke: Detector<KeystrokeWindow> = cadenceDetector();

/**
 * Every keystroke detector, the published baselines first and Cadence's own
 * last, for side-by-side evaluation in one run. Names are unique.
 */
export const KEYSTROKE_DETECTORS: readonly Detector<KeystrokeWindow>[] = [
  scaledManhattan,
  gunettiPicardiR(),
  gunettiPicardiA(),
  nearestNeighbourMahalanobis,
  cadenceKeystroke,
];

/** The detector with this name (as in reports and saved profiles), or undefined. */
export function keystrokeDetector(name: string): Detector<KeystrokeWindow> | undefined {
  return KEYSTROKE_DETECTORS.find((d) => d.name === name);
}
