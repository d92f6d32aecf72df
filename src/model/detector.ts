/**
 * The one interface every detector implements, baselines and Cadence's own,
 * keystroke and mouse alike. A detector is one-class: it is fitted on the
 * owner's samples only and never sees an impostor.
 */
export interface Detector<W> {
  /** Short stable name used in reports and JSON output (e.g. "scaled-manhattan"). */
  readonly name: string;
  fit(enrolment: readonly W[]): FittedDetector<W>;
  /** Rebuilds a fitted detector from what its `toJSON` returned. */
  load(json: unknown): FittedDetector<W>;
}

export interface FittedDetector<W> {
  /** Distance from the owner's profile: larger means less like the owner. */
  distance(sample: W): number;
  /** Plain JSON (numbers, strings, arrays, objects) that `Detector.load` accepts. */
  toJSON(): unknown;
}
