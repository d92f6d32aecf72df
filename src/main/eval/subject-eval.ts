import type { Detector } from '../../model/detector';
import { KEYSTROKE_DETECTORS, cadenceKeystroke } from '../../model/keystroke-detectors';
import type { KeystrokeWindow } from '../../model/keystroke-windows';
import { mergeKeystrokeWindows } from '../../model/keystroke-windows';
import { MOUSE_DETECTORS, cadenceMouse } from '../../model/mouse-detectors';
import type { MouseActionFeatures } from '../../model/mouse-features';
import { TrustSession, fitKeystrokeProfile, fitMouseProfile } from '../../model/profile';
import type { SensitivityPreset } from '../../model/profile';
import type { StreamOutcome } from '../../model/metrics';
import { FIRST_ACTIVITY_STEPS, FIRST_ACTIVITY_WEIGHT, type TrustUpdate } from '../../model/trust';
import { CAPTURE_WINDOW, fileFeatures } from './features';
import type { FileFeatures } from './features';
import type { SubjectFiles } from './manifest';
import { InputFileError } from './readers/input-error';


/**
 * Every test stream is a new sitting: its first FIRST_ACTIVITY_STEPS scored
 * trust steps carry FIRST_ACTIVITY_WEIGHT, exactly as the engine weighs the
 * first activity after an idle period or a restart.
 */
function firstActivityWeights(): ((u: TrustUpdate) => TrustUpdate) & { next(): number } {
  let scored = 0;
  const pass = (u: TrustUpdate): TrustUpdate => {
    if (u.scored) scored++;
    return u;
  };
  return Object.assign(pass, { next: () => (scored < FIRST_ACTIVITY_STEPS ? FIRST_ACTIVITY_WEIGHT : 1) });
}

export type Modality = 'keystroke' | 'mouse';

/** Window sizes scored: keystrokes, and mouse actions. */
export const KEYSTROKE_SIZES = [25, 50, 100, 200] as const;
export const MOUSE_SIZES = [1, 5, 10, 20] as const;
/**
 * Windows slide by one capture unit: 25 keystrokes (one capture window, the
 * step at which the agent re-scores) and one mouse action. The owner's and
 * the impostors' streams are cut the same way.
 */
export const KEYSTROKE_STRIDE = CAPTURE_WINDOW;
export const MOUSE_STRIDE = 1;

export interface EvalOptions {
  readonly preset: SensitivityPreset;
  /** Detector names to run (null: all). */
  readonly detectors: readonly string[] | null;
  /** Record trust traces for this subject (the report shows some). */
  readonly trace: boolean;
}

export interface TracePoint {
  readonly n: number;
  readonly trust: number;
}

export interface StreamResult extends StreamOutcome {
  readonly role: 'genuine' | 'impostor';
  readonly trace?: readonly TracePoint[];
}

export interface DetectorResult {
  readonly detector: string;
  readonly cadence: boolean;
  /** Window size -> scores. */
  readonly scores: Record<number, { genuine: Float64Array; impostor: Float64Array }>;
  /** Empty when no profile could be fitted. */
  readonly streams: readonly StreamResult[];
  /** Why no trust profile was fitted for this subject (e.g. enrolment too short), if none was. */
  readonly trustSkipped?: string;
}

export interface SubjectResult {
  readonly subject: string;
  readonly modalities: Partial<Record<Modality, readonly DetectorResult[]>>;
}

export function selectDetectors<W>(all: readonly Detector<W>[], names: readonly string[] | null): Detector<W>[] {
  return names === null ? [...all] : all.filter((d) => names.includes(d.name));
}

export function detectorNames(): Record<Modality, string[]> {
  return { keystroke: KEYSTROKE_DETECTORS.map((d) => d.name), mouse: MOUSE_DETECTORS.map((d) => d.name) };
}

/** Loads a file's features once per process. */
export class FeatureCache {
  private readonly cache = new Map<string, FileFeatures>();
  /** Files loaded since the last call of takeNew (their skip counts go to the report once). */
  private fresh: FileFeatures[] = [];

  get(file: string): FileFeatures {
    let f = this.cache.get(file);
    if (!f) {
      f = fileFeatures(file);
      this.cache.set(file, f);
      this.fresh.push(f);
    }
    return f;
  }

  takeNew(): FileFeatures[] {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }
}

type Test<W> = { role: 'genuine' | 'impostor'; stream: readonly W[] };

function keystrokeSamples(blocks: readonly KeystrokeWindow[], size: number): KeystrokeWindow[] {
  const k = size / CAPTURE_WINDOW;
  const step = KEYSTROKE_STRIDE / CAPTURE_WINDOW;
  const out: KeystrokeWindow[] = [];
  for (let i = 0; i + k <= blocks.length; i += step) out.push(k === 1 ? blocks[i]! : mergeKeystrokeWindows(blocks.slice(i, i + k)));
  return out;
}

function mouseSamples(actions: readonly MouseActionFeatures[], size: number): (readonly MouseActionFeatures[])[] {
  const out: (readonly MouseActionFeatures[])[] = [];
  for (let i = 0; i + size <= actions.length; i += MOUSE_STRIDE) out.push(actions.slice(i, i + size));
  return out;
}

/** Each test stream cut into the windows of one size, computed once per subject and shared by every detector. */
type Samples<S> = { role: 'genuine' | 'impostor'; windows: S[] }[];

function samplesOf<W, S>(tests: readonly Test<W>[], cut: (stream: readonly W[]) => S[]): Samples<S> {
  return tests.map((t) => ({ role: t.role, windows: cut(t.stream) }));
}

function scoreAll<S>(fitted: { distance(s: S): number }, samples: Samples<S>, detector: string): { genuine: Float64Array; impostor: Float64Array } {
  const g: number[] = [];
  const im: number[] = [];
  for (const t of samples) {
    for (const s of t.windows) {
      const d = fitted.distance(s);
      if (Number.isNaN(d)) throw new Error(`detector ${detector} returned NaN`);
      (t.role === 'genuine' ? g : im).push(d);
    }
  }
  return { genuine: Float64Array.from(g), impostor: Float64Array.from(im) };
}

/**
 * Fits a trust profile, or says why it cannot be: the profile module refuses
 * too little enrolment data with a RangeError. Such a subject still counts
 * for the detector error rates; its trust streams are left out and counted.
 */
function fitOrReason<P>(fit: () => P): P | string {
  try {
    return fit();
  } catch (err) {
    if (err instanceof RangeError) return err.message;
    throw err;
  }
}

/** Feeds one stream into a fresh trust session until it locks. */
function runStream(role: 'genuine' | 'impostor', units: readonly number[], step: (i: number) => { trust: number; locked: boolean }, trace: boolean): StreamResult {
  let n = 0;
  const points: TracePoint[] = [];
  let lockedAfter: number | null = null;
  for (let i = 0; i < units.length; i++) {
    const u = step(i);
    n += units[i]!;
    if (trace) points.push({ n, trust: u.trust });
    if (u.locked) {
      lockedAfter = n;
      break;
    }
  }
  const length = units.reduce((a, b) => a + b, 0);
  return trace ? { role, length, lockedAfter, trace: points } : { role, length, lockedAfter };
}

function testsOf(files: SubjectFiles, modality: Modality, cache: FeatureCache): Test<unknown>[] {
  const tests: Test<unknown>[] = [];
  for (const role of ['genuine', 'impostor'] as const) {
    for (const file of files[role]) {
      const f = cache.get(file);
      if (f.modality !== modality) continue;
      for (const stream of f.streams) tests.push({ role, stream });
    }
  }
  return tests;
}

/**
 * Evaluates one subject: per modality present in its files, each detector is
 * fitted on the enrolment and scores every genuine and impostor test stream
 * at every window size; then each test stream runs through a fresh trust
 * session built on that detector's profile.
 */
export function evaluateSubject(files: SubjectFiles, options: EvalOptions, cache: FeatureCache): SubjectResult {
  const enrol = files.enroll.map((f) => cache.get(f));
  const tests = [...files.genuine, ...files.impostor].map((f) => cache.get(f));
  const modalities: Partial<Record<Modality, DetectorResult[]>> = {};
  for (const t of tests) {
    if (!enrol.some((e) => e.modality === t.modality)) {
      throw new InputFileError(t.file, null, `is a ${t.modality} file but subject ${files.subject} has no ${t.modality} enroll file`);
    }
  }
  const ks = enrol.filter((e) => e.modality === 'keystroke').flatMap((e) => e.streams as (readonly KeystrokeWindow[])[]).flat();
  if (ks.length > 0 && tests.some((t) => t.modality === 'keystroke')) {
    const list = testsOf(files, 'keystroke', cache) as Test<KeystrokeWindow>[];
    const samples = KEYSTROKE_SIZES.map((size) => [size, samplesOf(list, (s) => keystrokeSamples(s, size))] as const);
    modalities.keystroke = selectDetectors(KEYSTROKE_DETECTORS, options.detectors).map((d) => {
      const fitted = d.fit(ks);
      const scores: DetectorResult['scores'] = {};
      for (const [size, sm] of samples) scores[size] = scoreAll(fitted, sm, d.name);
      const cadence = d === cadenceKeystroke;
      const profile = fitOrReason(() => fitKeystrokeProfile(ks, d));
      if (typeof profile === 'string') return { detector: d.name, cadence, scores, streams: [], trustSkipped: profile };
      let traced = 0;
      const streams = list.map((t) => {
        const session = new TrustSession({ keystroke: profile }, options.preset);
        const trace = options.trace && cadence && (t.role === 'genuine' || traced++ < 3);
        const weight = firstActivityWeights();
        return runStream(t.role, t.stream.map((w) => w.keystrokes), (i) => weight(session.addKeystrokeWindow(t.stream[i]!, weight.next())), trace);
      });
      return { detector: d.name, cadence, scores, streams };
    });
  } else if (enrol.some((e) => e.modality === 'keystroke') && tests.some((t) => t.modality === 'keystroke')) {
    throw new InputFileError(files.enroll.join(', '), null, `subject ${files.subject}: no complete 25-keystroke window to enrol from`);
  }
  const ma = enrol.filter((e) => e.modality === 'mouse').flatMap((e) => e.streams as (readonly MouseActionFeatures[])[]).flat();
  if (ma.length > 0 && tests.some((t) => t.modality === 'mouse')) {
    const list = testsOf(files, 'mouse', cache) as Test<MouseActionFeatures>[];
    const samples = MOUSE_SIZES.map((size) => [size, samplesOf(list, (s) => mouseSamples(s, size))] as const);
    modalities.mouse = selectDetectors(MOUSE_DETECTORS, options.detectors).map((d) => {
      const fitted = d.fit([ma]);
      const scores: DetectorResult['scores'] = {};
      for (const [size, sm] of samples) scores[size] = scoreAll(fitted, sm, d.name);
      const cadence = d === cadenceMouse;
      const profile = fitOrReason(() => fitMouseProfile(ma, d));
      if (typeof profile === 'string') return { detector: d.name, cadence, scores, streams: [], trustSkipped: profile };
      let traced = 0;
      const streams = list.map((t) => {
        const session = new TrustSession({ mouse: profile }, options.preset);
        const trace = options.trace && cadence && (t.role === 'genuine' || traced++ < 3);
        // Mouse steps are not weighted as a first activity (FIRST_ACTIVITY_WEIGHT says why), as in the engine.
        return runStream(t.role, t.stream.map(() => 1), (i) => session.addMouseActions([t.stream[i]!]), trace);
      });
      return { detector: d.name, cadence, scores, streams };
    });
  } else if (enrol.some((e) => e.modality === 'mouse') && tests.some((t) => t.modality === 'mouse')) {
    throw new InputFileError(files.enroll.join(', '), null, `subject ${files.subject}: no mouse action to enrol from`);
  }
  return { subject: files.subject, modalities };
}
