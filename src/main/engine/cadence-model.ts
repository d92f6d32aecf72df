/**
 * The real model (src/model/profile.ts) behind the engine's ProfileFactory
 * port: what the headless agent passes to `new Engine({ model })`.
 *
 * src/model has no adaptation of its own, so it is done here the way template
 * update is usually done: the profile keeps its training windows, and a batch
 * of windows the engine accepted replaces at most `rate` of the oldest ones
 * before a refit (calibration included). An owner drifting slowly moves the
 * profile; one batch can never move more than that share of its data.
 */
import type { Sensitivity } from '../api/agent-api';
import { mergeKeystrokeWindows, type KeystrokeWindow } from '../../model/keystroke-windows';
import type { MouseActionFeatures } from '../../model/mouse-features';
import {
  fitKeystrokeProfile,
  fitMouseProfile,
  MIN_ENROLMENT_WINDOWS,
  MOUSE_WINDOW_ACTIONS,
  profileFromJSON,
  profileQuality,
  profileToJSON,
  TrustSession,
  type KeystrokeProfile,
  type MouseProfile,
} from '../../model/profile';
import { EVIDENCE_DECADES } from '../../model/calibration';
import { neutralEvidence, PRESETS, type SensitivityPreset, type TrustUpdate } from '../../model/trust';
import type { Channels, EnrolmentAssessment, EnrolmentData, ProfileFactory, SessionOptions, TrustSessionPort, TrustStep } from './ports';

export interface CadenceProfile {
  keystroke: KeystrokeProfile | null;
  mouse: MouseProfile | null;
  /** What the profiles were fitted from (feature windows; never keys in order). */
  training: EnrolmentData;
}

export interface CadenceModelOptions {
  /** Least keystrokes / mouse actions before protection (besides the model's own stability and coverage). */
  minKeystrokes: number;
  minMouseActions: number;
}

export const DEFAULT_CADENCE_MODEL_OPTIONS: CadenceModelOptions = { minKeystrokes: 400, minMouseActions: 40 };

/** Owner tail probability a challenge's typing must reach, per sensitivity. */
export const CHALLENGE_TAIL: Readonly<Record<Sensitivity, number>> = { relaxed: 0.01, balanced: 0.02, strict: 0.05 };

const FORMAT = 'cadence-engine-profile';
const VERSION = 1;

/** Extra scrutiny: one preset stricter (strict stays strict; the engine also weighs windows more). */
const STRICTER: Record<Sensitivity, SensitivityPreset> = { relaxed: 'balanced', balanced: 'strict', strict: 'strict' };

function keystrokeCount(ws: readonly KeystrokeWindow[]): number {
  return ws.reduce((a, w) => a + w.keystrokes, 0);
}

class CadenceSession implements TrustSessionPort {
  private readonly neutral: number;
  constructor(
    private readonly session: TrustSession,
    preset: SensitivityPreset,
  ) {
    this.neutral = neutralEvidence(PRESETS[preset]);
  }
  current(): number {
    return this.session.trust;
  }
  private step(u: TrustUpdate): TrustStep {
    // A window "accepted" is one that did not lower trust: evidence at or above the preset's neutral point.
    return { trust: u.trust, belowThreshold: u.locked, accepted: u.evidence >= this.neutral, scored: u.scored };
  }
  addKeystrokeWindow(w: KeystrokeWindow, weight: number): TrustStep {
    return this.step(this.session.addKeystrokeWindow(w, weight));
  }
  addMouseActions(a: readonly MouseActionFeatures[], weight: number): TrustStep {
    return this.step(this.session.addMouseActions(a, weight));
  }
}

export class CadenceModel implements ProfileFactory<CadenceProfile> {
  private readonly options: CadenceModelOptions;
  constructor(options: Partial<CadenceModelOptions> = {}) {
    this.options = { ...DEFAULT_CADENCE_MODEL_OPTIONS, ...options };
  }

  assess(data: EnrolmentData, channels: Channels): EnrolmentAssessment {
    const missing: string[] = [];
    const keystrokes = keystrokeCount(data.keystrokeWindows);
    const profiles: { keystroke?: KeystrokeProfile; mouse?: MouseProfile } = {};
    if (channels.keystroke) {
      if (keystrokes < this.options.minKeystrokes) missing.push(`Typing: ${this.options.minKeystrokes - keystrokes} more keystrokes.`);
      if (data.keystrokeWindows.length >= MIN_ENROLMENT_WINDOWS) {
        profiles.keystroke = fitKeystrokeProfile(data.keystrokeWindows);
        missing.push(...profiles.keystroke.quality.missing.map(sentence));
      } else if (keystrokes >= this.options.minKeystrokes) {
        missing.push(`Typing: ${MIN_ENROLMENT_WINDOWS - data.keystrokeWindows.length} more windows of typing.`);
      }
    }
    if (channels.mouse) {
      const n = data.mouseActions.length;
      if (n < this.options.minMouseActions) missing.push(`Mouse: ${this.options.minMouseActions - n} more mouse actions.`);
      if (n >= MIN_ENROLMENT_WINDOWS * MOUSE_WINDOW_ACTIONS) {
        profiles.mouse = fitMouseProfile(data.mouseActions);
        missing.push(...profiles.mouse.quality.missing.map(sentence));
      } else if (n >= this.options.minMouseActions) {
        missing.push(`Mouse: ${MIN_ENROLMENT_WINDOWS * MOUSE_WINDOW_ACTIONS - n} more mouse actions.`);
      }
    }
    const q = profileQuality(profiles);
    const enabled = (channels.keystroke ? 1 : 0) + (channels.mouse ? 1 : 0);
    const fitted = (profiles.keystroke ? 1 : 0) + (profiles.mouse ? 1 : 0);
    const ready = enabled > 0 && fitted === enabled && q.ready && missing.length === 0;
    if (enabled === 0) missing.push('Policy turns off both keystroke and mouse channels: nothing can be learned.');
    return {
      quality: { keystrokes, mouseActions: data.mouseActions.length, digraphCoverage: q.digraphCoverage, stability: q.stability, ready },
      missing,
    };
  }

  fit(data: EnrolmentData, channels: Channels): CadenceProfile {
    const training: EnrolmentData = {
      keystrokeWindows: channels.keystroke ? [...data.keystrokeWindows] : [],
      mouseActions: channels.mouse ? [...data.mouseActions] : [],
    };
    return this.fitFrom(training);
  }

  private fitFrom(training: EnrolmentData): CadenceProfile {
    return {
      keystroke: training.keystrokeWindows.length >= MIN_ENROLMENT_WINDOWS ? fitKeystrokeProfile(training.keystrokeWindows) : null,
      mouse: training.mouseActions.length >= MIN_ENROLMENT_WINDOWS * MOUSE_WINDOW_ACTIONS ? fitMouseProfile(training.mouseActions) : null,
      training,
    };
  }

  toJSON(p: CadenceProfile): unknown {
    return {
      format: FORMAT,
      version: VERSION,
      keystroke: p.keystroke ? profileToJSON(p.keystroke) : null,
      mouse: p.mouse ? profileToJSON(p.mouse) : null,
      training: p.training,
    };
  }

  fromJSON(json: unknown): CadenceProfile {
    const o = json as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null) throw new TypeError('stored engine profile is not an object');
    if (o.format !== FORMAT) throw new TypeError(`stored engine profile has format ${JSON.stringify(o.format)}, expected "${FORMAT}"`);
    if (o.version !== VERSION) throw new TypeError(`stored engine profile version ${String(o.version)} is not supported (this build reads ${VERSION})`);
    const t = o.training as EnrolmentData | undefined;
    if (!t || !Array.isArray(t.keystrokeWindows) || !Array.isArray(t.mouseActions)) throw new TypeError('stored engine profile has no "training" windows');
    const k = o.keystroke === null ? null : profileFromJSON(String(o.keystroke));
    const m = o.mouse === null ? null : profileFromJSON(String(o.mouse));
    if (k && k.modality !== 'keystroke') throw new TypeError('stored engine profile: "keystroke" holds a mouse profile');
    if (m && m.modality !== 'mouse') throw new TypeError('stored engine profile: "mouse" holds a keystroke profile');
    if (!k && !m) throw new TypeError('stored engine profile has neither a keystroke nor a mouse profile');
    return { keystroke: k as KeystrokeProfile | null, mouse: m as MouseProfile | null, training: t };
  }

  startSession(p: CadenceProfile, o: SessionOptions): TrustSessionPort {
    const preset: SensitivityPreset = o.scrutiny ? STRICTER[o.sensitivity] : o.sensitivity;
    const profiles: { keystroke?: KeystrokeProfile; mouse?: MouseProfile } = {};
    if (p.keystroke && o.channels.keystroke) profiles.keystroke = p.keystroke;
    if (p.mouse && o.channels.mouse) profiles.mouse = p.mouse;
    if (!profiles.keystroke && !profiles.mouse) {
      throw new RangeError('no profile for any channel the policy enables: enable a channel that was enrolled, or enrol again');
    }
    return new CadenceSession(new TrustSession(profiles, preset), preset);
  }

  /**
   * The challenge typing, merged (about one window), must be something the
   * owner produces at least CHALLENGE_TAIL of the time: the owner then fails
   * an attempt that rarely (about 2% on balanced), while an impostor's typing
   * sits far out in the owner's tail.
   */
  acceptsChallengeRhythm(p: CadenceProfile, windows: readonly KeystrokeWindow[], sensitivity: Sensitivity): boolean {
    if (!p.keystroke || windows.length === 0) return false;
    const merged = windows.length === 1 ? windows[0]! : mergeKeystrokeWindows(windows);
    return p.keystroke.evidence(merged) >= 1 + (2 * Math.log10(CHALLENGE_TAIL[sensitivity])) / EVIDENCE_DECADES;
  }

  adapt(p: CadenceProfile, accepted: EnrolmentData, rate: number): CadenceProfile {
    const r = Math.max(0, Math.min(1, rate));
    const replace = <T>(old: readonly T[], add: readonly T[]): T[] => {
      const k = Math.min(add.length, Math.ceil(old.length * r));
      if (k === 0) return [...old];
      return [...old.slice(k), ...add.slice(add.length - k)];
    };
    const training: EnrolmentData = {
      keystrokeWindows: p.keystroke ? replace(p.training.keystrokeWindows, accepted.keystrokeWindows) : p.training.keystrokeWindows,
      mouseActions: p.mouse ? replace(p.training.mouseActions, accepted.mouseActions) : p.training.mouseActions,
    };
    return this.fitFrom(training);
  }
}

function sentence(s: string): string {
  const t = s.trim();
  return t.length > 0 ? `${t[0]!.toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}` : t;
}
