import { Calibration, crossValidatedDistances, DEFAULT_FOLDS, MIN_CALIBRATION_SAMPLES } from './calibration';
import type { Detector, FittedDetector } from './detector';
import { cadenceKeystroke, KEYSTROKE_DETECTORS } from './keystroke-detectors';
import type { KeystrokeWindow } from './keystroke-windows';
import { cadenceMouse, MOUSE_DETECTORS } from './mouse-detectors';
import type { MouseActionFeatures } from './mouse-features';
import { TrustLevel } from './trust';
import type { SensitivityPreset, TrustParameters, TrustUpdate } from './trust';

export type { SensitivityPreset, TrustUpdate } from './trust';

/**
 * An owner's profile for one modality: the fitted detector, its calibration
 * from the owner's own cross-validated windows, and a measured quality. What
 * the agent stores (profileToJSON) and what the trust session scores with.
 */

/** Mouse actions per scored window in the trust session (and per calibration window). */
export const MOUSE_WINDOW_ACTIONS = 5;
/**
 * Weight of one mouse window in the trust level, relative to one keystroke
 * window. Mouse calibration comes from one enrolment session, and the next
 * session drifts more than that session's own folds show: on SapiMouse the
 * owner's windows in a later session fell below the 5% tail 10% of the time
 * (below 1%: 3.3%), twice to three times what the calibration promises, while
 * keystroke windows on Aalto kept the promise (4-5.5%). Halving the weight of
 * each 5-action window brought the share of genuine mouse streams ever locked
 * (balanced) from 15-18% to 3-5%, at ANIA 24 -> 33 actions.
 */
export const MOUSE_WINDOW_WEIGHT = 0.5;
/** Fewest enrolment windows a profile is fitted from: enough for the cross-validated calibration. */
export const MIN_ENROLMENT_WINDOWS = MIN_CALIBRATION_SAMPLES * 2;
/**
 * Readiness. A held-back enrolment window is "accepted" when its tail
 * probability under the owner's calibration is at least ACCEPT_TAIL; the
 * profile is ready when held-back windows are accepted at about the rate the
 * calibration promises (1 - ACCEPT_TAIL), give or take sampling noise, i.e.
 * the owner's behaviour was stable across the enrolment and the profile has
 * seen enough of it to recognise the next part.
 */
export const ACCEPT_TAIL = 0.05;
export const READY_STABILITY = 0.85;
/** Keystrokes only: the share of the owner's digraphs (by frequency) in held-back windows that the rest covers. */
export const READY_DIGRAPH_COVERAGE = 0.6;

export const PROFILE_FORMAT = 'cadence-profile';
export const PROFILE_VERSION = 1;

/** The measured quality of one modality's profile. */
export interface ModalityQuality {
  /** Keystrokes or mouse actions enrolled. */
  readonly samples: number;
  readonly windows: number;
  /** Share of each enrolment half's windows accepted by a model of the other half (see splitHalfStability), 0..1. */
  readonly stability: number;
  /** Keystrokes: share of held-back digraph occurrences whose digraph the other folds contain; mouse: 1. */
  readonly coverage: number;
  readonly ready: boolean;
  /** Plain-words reasons it is not ready (empty when ready). */
  readonly missing: readonly string[];
}

interface ProfileBase<W> {
  readonly detector: string;
  /** Keystrokes per keystroke window, or actions per mouse window, the calibration is for. */
  readonly windowSize: number;
  readonly quality: ModalityQuality;
  /** Detector distance of a window: larger is less like the owner. */
  distance(w: W): number;
  /** Calibrated evidence of a window, -1..1. */
  evidence(w: W): number;
}

export interface KeystrokeProfile extends ProfileBase<KeystrokeWindow> {
  readonly modality: 'keystroke';
}

export interface MouseProfile extends ProfileBase<readonly MouseActionFeatures[]> {
  readonly modality: 'mouse';
}

/** Same shape as ProfileQuality in src/main/api/agent-api.ts (src/model cannot import from src/main). */
export interface ProfileQuality {
  keystrokes: number;
  mouseActions: number;
  digraphCoverage: number;
  stability: number;
  ready: boolean;
}

class Profile<W> implements ProfileBase<W> {
  constructor(
    readonly detector: string,
    readonly windowSize: number,
    readonly quality: ModalityQuality,
    readonly fitted: FittedDetector<W>,
    readonly calibration: Calibration,
  ) {}

  distance(w: W): number {
    return this.fitted.distance(w);
  }

  evidence(w: W): number {
    return this.calibration.evidence(this.fitted.distance(w));
  }
}

class KProfile extends Profile<KeystrokeWindow> implements KeystrokeProfile {
  readonly modality = 'keystroke' as const;
}
class MProfile extends Profile<readonly MouseActionFeatures[]> implements MouseProfile {
  readonly modality = 'mouse' as const;
}

/**
 * Self-score stability: does one half of the enrolment look like the other,
 * as much as each half looks like itself? Each half is scored by a model
 * fitted on the other half; the share of those windows accepted by the
 * calibration built from within-half cross-validation is the stability. An
 * owner whose behaviour held steady scores about 1 - ACCEPT_TAIL; one whose
 * typing changed during enrolment (tired, another keyboard, someone else
 * helping) scores low, even though every part of a pooled cross-validation
 * would look equally loose.
 */
function splitHalf<W>(detector: Detector<W>, windows: readonly W[]): { stability: number; across: number[] } {
  const mid = windows.length >> 1;
  const a = windows.slice(0, mid);
  const b = windows.slice(mid);
  const within = [...crossValidatedDistances(detector, a).distances, ...crossValidatedDistances(detector, b).distances];
  const cal = new Calibration(within);
  const fa = detector.fit(a);
  const fb = detector.fit(b);
  const across = [...b.map((w) => fa.distance(w)), ...a.map((w) => fb.distance(w))];
  return { stability: across.filter((d) => cal.tailProbability(d) >= ACCEPT_TAIL).length / across.length, across };
}

function digraphCoverage(windows: readonly KeystrokeWindow[], fold: readonly number[]): number {
  const folds = Math.max(...fold) + 1;
  let covered = 0;
  let total = 0;
  for (let f = 0; f < folds; f++) {
    const seen = new Set<string>();
    windows.forEach((w, i) => {
      if (fold[i] !== f) for (const id of Object.keys(w.dd)) seen.add(id);
    });
    windows.forEach((w, i) => {
      if (fold[i] !== f) return;
      for (const [id, v] of Object.entries(w.dd)) {
        total += v.length;
        if (seen.has(id)) covered += v.length;
      }
    });
  }
  return total > 0 ? covered / total : 0;
}

function fitProfile<W>(
  what: string,
  detector: Detector<W>,
  windows: readonly W[],
  samples: number,
  coverageOf: ((fold: number[]) => number) | null,
): { fitted: FittedDetector<W>; calibration: Calibration; quality: ModalityQuality } {
  if (windows.length < MIN_ENROLMENT_WINDOWS) {
    throw new RangeError(`${what} profile needs at least ${MIN_ENROLMENT_WINDOWS} enrolment windows, got ${windows.length}: collect more before fitting`);
  }
  const cv = crossValidatedDistances(detector, windows, DEFAULT_FOLDS);
  const half = splitHalf(detector, windows);
  const calibration = new Calibration(cv.distances);
  const fitted = detector.fit(windows);
  const stability = half.stability;
  const coverage = coverageOf ? coverageOf(cv.fold) : 1;
  const missing: string[] = [];
  if (stability < READY_STABILITY) {
    missing.push(`${what}: only ${Math.round(stability * 100)}% of held-back enrolment windows look like the rest (need ${READY_STABILITY * 100}%): keep using the computer normally so the profile sees more`);
  }
  if (coverageOf && coverage < READY_DIGRAPH_COVERAGE) {
    missing.push(`${what}: the profile knows ${Math.round(coverage * 100)}% of the letter pairs you type (need ${READY_DIGRAPH_COVERAGE * 100}%): keep typing normally`);
  }
  return { fitted, calibration, quality: { samples, windows: windows.length, stability, coverage, ready: missing.length === 0, missing } };
}

/** Fits a keystroke profile from the owner's enrolment windows (the same size as the live windows, e.g. 25 keystrokes). */
export function fitKeystrokeProfile(enrolment: readonly KeystrokeWindow[], detector: Detector<KeystrokeWindow> = cadenceKeystroke): KeystrokeProfile {
  const keystrokes = enrolment.reduce((s, w) => s + w.keystrokes, 0);
  const size = enrolment.length > 0 ? Math.round(keystrokes / enrolment.length) : 0;
  const r = fitProfile('keystroke', detector, enrolment, keystrokes, (fold) => digraphCoverage(enrolment, fold));
  return new KProfile(detector.name, size, r.quality, r.fitted, r.calibration);
}

/** Cuts actions into consecutive windows of `size` (a short tail is dropped). */
export function mouseWindows(actions: readonly MouseActionFeatures[], size = MOUSE_WINDOW_ACTIONS): MouseActionFeatures[][] {
  const out: MouseActionFeatures[][] = [];
  for (let i = 0; i + size <= actions.length; i += size) out.push(actions.slice(i, i + size));
  return out;
}

/** Fits a mouse profile from the owner's enrolment actions in time order. */
export function fitMouseProfile(enrolment: readonly MouseActionFeatures[], detector: Detector<readonly MouseActionFeatures[]> = cadenceMouse): MouseProfile {
  const windows = mouseWindows(enrolment);
  const r = fitProfile('mouse', detector, windows, enrolment.length, null);
  return new MProfile(detector.name, MOUSE_WINDOW_ACTIONS, r.quality, r.fitted, r.calibration);
}

/** What the agent shows: both modalities together. */
export function profileQuality(p: { keystroke?: KeystrokeProfile; mouse?: MouseProfile }): ProfileQuality {
  const parts = [p.keystroke?.quality, p.mouse?.quality].filter((q): q is ModalityQuality => q !== undefined);
  return {
    keystrokes: p.keystroke?.quality.samples ?? 0,
    mouseActions: p.mouse?.quality.samples ?? 0,
    digraphCoverage: p.keystroke?.quality.coverage ?? 0,
    stability: parts.length > 0 ? Math.min(...parts.map((q) => q.stability)) : 0,
    ready: parts.length > 0 && parts.every((q) => q.ready),
  };
}

// ---- persistence ----------------------------------------------------------

interface ProfileJSON {
  format: typeof PROFILE_FORMAT;
  version: number;
  modality: 'keystroke' | 'mouse';
  detector: string;
  windowSize: number;
  quality: ModalityQuality;
  calibration: unknown;
  model: unknown;
}

/** Versioned JSON text of a profile, for the store. */
export function profileToJSON(profile: KeystrokeProfile | MouseProfile): string {
  if (!(profile instanceof Profile)) throw new TypeError('profileToJSON: not a profile made by fitKeystrokeProfile/fitMouseProfile/profileFromJSON');
  const p = profile as Profile<unknown> & { modality: 'keystroke' | 'mouse' };
  const json: ProfileJSON = {
    format: PROFILE_FORMAT,
    version: PROFILE_VERSION,
    modality: p.modality,
    detector: p.detector,
    windowSize: p.windowSize,
    quality: p.quality,
    calibration: p.calibration.toJSON(),
    model: p.fitted.toJSON(),
  };
  return JSON.stringify(json);
}

export interface ProfileDetectors {
  keystroke?: readonly Detector<KeystrokeWindow>[];
  mouse?: readonly Detector<readonly MouseActionFeatures[]>[];
}

function fail(why: string): never {
  throw new TypeError(`stored profile is invalid: ${why}`);
}

function checkQuality(q: unknown): ModalityQuality {
  if (typeof q !== 'object' || q === null) fail('"quality" is not an object');
  const o = q as Record<string, unknown>;
  for (const k of ['samples', 'windows', 'stability', 'coverage'] as const) {
    if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) fail(`"quality.${k}" is not a number`);
  }
  if (typeof o.ready !== 'boolean') fail('"quality.ready" is not a boolean');
  if (!Array.isArray(o.missing) || !o.missing.every((m) => typeof m === 'string')) fail('"quality.missing" is not a list of strings');
  return o as unknown as ModalityQuality;
}

/**
 * Rebuilds a profile from profileToJSON's text. `detectors` are looked up by
 * the stored detector name (default: every known detector). Anything wrong
 * gives a TypeError that names the field at fault.
 */
export function profileFromJSON(text: string, detectors: ProfileDetectors = {}): KeystrokeProfile | MouseProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(`not JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('not a JSON object');
  const o = raw as Record<string, unknown>;
  if (o.format !== PROFILE_FORMAT) fail(`"format" is ${JSON.stringify(o.format)}, expected "${PROFILE_FORMAT}"`);
  if (typeof o.version !== 'number') fail('"version" is missing');
  if (o.version > PROFILE_VERSION) fail(`version ${o.version} is newer than this build reads (${PROFILE_VERSION}): update Cadence`);
  if (o.version !== PROFILE_VERSION) fail(`version ${o.version} is not supported (this build reads ${PROFILE_VERSION}): enrol again`);
  if (o.modality !== 'keystroke' && o.modality !== 'mouse') fail(`"modality" is ${JSON.stringify(o.modality)}, expected "keystroke" or "mouse"`);
  if (typeof o.detector !== 'string') fail('"detector" is not a string');
  if (typeof o.windowSize !== 'number' || !(o.windowSize > 0)) fail('"windowSize" is not a positive number');
  const quality = checkQuality(o.quality);
  let calibration: Calibration;
  try {
    calibration = Calibration.fromJSON(o.calibration);
  } catch (e) {
    fail(`"calibration": ${(e as Error).message}`);
  }
  const load = <W>(list: readonly Detector<W>[]): FittedDetector<W> => {
    const d = list.find((x) => x.name === o.detector);
    if (!d) fail(`no ${String(o.modality)} detector named "${String(o.detector)}" in this build (known: ${list.map((x) => x.name).join(', ')})`);
    try {
      return d.load(o.model);
    } catch (e) {
      fail(`"model" for detector "${d.name}": ${(e as Error).message}`);
    }
  };
  if (o.modality === 'keystroke') {
    const list = detectors.keystroke ?? [cadenceKeystroke, ...KEYSTROKE_DETECTORS];
    return new KProfile(o.detector, o.windowSize, quality, load(list), calibration);
  }
  const list = detectors.mouse ?? [cadenceMouse, ...MOUSE_DETECTORS];
  return new MProfile(o.detector, o.windowSize, quality, load(list), calibration);
}

// ---- live decisions -------------------------------------------------------

/**
 * The trust session the engine feeds: keystroke windows and mouse actions as
 * they arrive, fused into one trust level. Mouse actions are buffered into
 * windows of the profile's window size, the unit the calibration was built
 * for; a partial keystroke window (flushed on idle) counts in proportion to
 * its size, since its distance is noisier than a full window's.
 */
export class TrustSession {
  private readonly level: TrustLevel;
  private readonly mouseBuffer: MouseActionFeatures[] = [];

  constructor(
    private readonly profiles: { keystroke?: KeystrokeProfile; mouse?: MouseProfile },
    preset: SensitivityPreset | TrustParameters = 'balanced',
  ) {
    if (!profiles.keystroke && !profiles.mouse) throw new RangeError('TrustSession needs a keystroke or a mouse profile');
    this.level = new TrustLevel(preset);
  }

  get trust(): number {
    return this.level.trust;
  }

  get locked(): boolean {
    return this.level.locked;
  }

  get parameters(): TrustParameters {
    return this.level.params;
  }

  /** One capture window; `weight` > 1 for the first activity after an idle period. Ignored (unscored) without a keystroke profile. */
  addKeystrokeWindow(w: KeystrokeWindow, weight = 1): TrustUpdate {
    const p = this.profiles.keystroke;
    if (!p || w.keystrokes === 0) return this.level.current();
    const share = Math.min(1, w.keystrokes / p.windowSize);
    return this.level.update(p.evidence(w), weight * share);
  }

  /** Mouse actions as they arrive; scored per full window. `weight` applies to windows completed by this call. */
  addMouseActions(a: readonly MouseActionFeatures[], weight = 1): TrustUpdate {
    const p = this.profiles.mouse;
    if (!p) return this.level.current();
    this.mouseBuffer.push(...a);
    let last = this.level.current();
    while (this.mouseBuffer.length >= p.windowSize) {
      const w = this.mouseBuffer.splice(0, p.windowSize);
      last = this.level.update(p.evidence(w), weight * MOUSE_WINDOW_WEIGHT);
    }
    return last;
  }

  /** Drops buffered mouse actions (after an idle gap: they are not one window). */
  resetMouseBuffer(): void {
    this.mouseBuffer.length = 0;
  }

  /** After a successful OS unlock or challenge. */
  unlock(trust?: number): void {
    this.level.unlock(trust);
  }
}
