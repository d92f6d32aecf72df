/**
 * The engine: Cadence's decision core. It takes the capture process's feature
 * windows, keeps the state machine (not-enrolled, enrolling, learning,
 * protected, challenge, locked, paused), runs the trust model, starts
 * challenges, calls the OS lock, adapts the profile, and writes every decision
 * to the audit log. It talks to the rest of the agent only through ports.ts.
 *
 * Restart rules (a kill -9 must never be a way out):
 * - Killed in `challenge`: on restart the engine goes straight to `locked` and
 *   calls the OS lock. Killing the agent is exactly what someone failing a
 *   challenge would try; the owner pays one password unlock.
 * - Killed in `locked`: if the OS lock was never confirmed it is called again;
 *   otherwise the engine waits for notifyUnlocked().
 * - Killed in `protected`: resumes protected; the first windows weigh more
 *   (as after an idle period), and extra scrutiny continues if it was running.
 * - Killed anywhere else: resumes there.
 * - A stored state that fails validation is audited; the engine then resumes
 *   protected (with scrutiny) if a profile loads, learning if enrolment data
 *   exists, else not-enrolled (consent is asked again).
 *
 * Wiring (the headless agent):
 *   const engine = new Engine({ store, locker, clock, model: new CadenceModel(), policy });
 *   capture 'keystroke-window' -> engine.addKeystrokeWindow(msg.window)
 *   capture 'mouse-actions'    -> engine.addMouseActions(msg.actions)
 *   capture 'activity'         -> engine.noteActivity(msg.counts)
 *   capture outage / recovery  -> engine.captureOutage(plainWords) / engine.captureRestored()
 *   OS session unlocked        -> engine.notifyUnlocked()
 *   challenge window closed    -> engine.dismissChallenge()
 *   engine.on(e => ...)        -> show the challenge window on {type:'challenge'}, tray on {type:'state'}
 *   createAgentApi(engine)     -> the preload / test bridge
 *   quit                       -> await engine.settled(); engine.dispose()
 * Capture should run with windowSize 10 so inhuman input is challenged within
 * 20 keystrokes; the engine merges windows to 25 for trust steps.
 */
import type {
  AgentState,
  ChallengeOutcome,
  ChallengeView,
  EnrolmentStep,
  EnrolmentView,
  PolicyView,
  ProfileQuality,
  Result,
  StatusView,
  TrustPoint,
} from '../api/agent-api';
import { mergeKeystrokeWindows, type KeystrokeWindow } from '../../model/keystroke-windows';
import { FIRST_ACTIVITY_STEPS, FIRST_ACTIVITY_WEIGHT } from '../../model/trust';
import type { MouseActionFeatures } from '../../model/mouse-features';
import { challengePhrase, cryptoRandom, phraseMatches, type Random } from './challenge-phrase';
import { ENROLMENT_SENTENCES, MOUSE_TARGET_ACTIONS, TYPING_TARGET_KEYSTROKES } from './enrolment-sentences';
import { inhumanRegularity } from './inhuman';
import { ENROLMENT_STEPS, initialState, parsePersistedState, type PersistedState } from './persisted-state';
import type {
  ActivityCounts,
  AuditEvent,
  AuditKind,
  Clock,
  EngineStore,
  EnginePolicy,
  EnrolmentAssessment,
  Locker,
  LockResult,
  PolicySource,
  ProfileFactory,
  TimerHandle,
  TrustSessionPort,
  TrustStep,
} from './ports';

/** Numbers that shape decisions; defaults are the product's, tests may override. */
export interface EngineTuning {
  /** Keystrokes merged before one trust step (the model's window size). */
  trustWindowKeystrokes: number;
  /** Keystrokes looked at together for inhuman regularity (small windows are merged up to this). */
  inhumanKeystrokes: number;
  /** Weight of the first typing steps after an idle period or a restart (mouse steps are not weighted). */
  idleWeight: number;
  /** How many steps that weight lasts. */
  idleWeightedSteps: number;
  /** Extra scrutiny after an OS unlock: how long, and the weight of every step during it. */
  scrutinyMinutes: number;
  scrutinyWeight: number;
  /** Adaptation gate: a window qualifies only at or above this trust and accepted on its own... */
  adaptMinTrust: number;
  /** ...and only once this many later steps were also accepted at high trust (an impostor's first windows never make it). */
  adaptConfirmSteps: number;
  /** Windows per adaptation batch, and the least time between batches: the bounded rate. */
  adaptBatchWindows: number;
  adaptMinIntervalMs: number;
  /** Largest share a batch may move any profile statistic (passed to the model). */
  adaptRate: number;
  /** Re-assess enrolment quality after this much new data (assessment fits held-back data: not free). */
  assessEveryKeystrokes: number;
  assessEveryMouseActions: number;
  /** Least captured keystrokes typed during a challenge attempt to judge its rhythm. */
  challengeMinKeystrokes: number;
  /** While the OS lock keeps failing, retry this often. */
  lockRetryMs: number;
}

export const DEFAULT_TUNING: EngineTuning = {
  trustWindowKeystrokes: 25,
  inhumanKeystrokes: 10,
  idleWeight: FIRST_ACTIVITY_WEIGHT,
  idleWeightedSteps: FIRST_ACTIVITY_STEPS,
  scrutinyMinutes: 10,
  scrutinyWeight: 1.5,
  adaptMinTrust: 90,
  adaptConfirmSteps: 4,
  adaptBatchWindows: 8,
  adaptMinIntervalMs: 30 * 60_000,
  adaptRate: 0.05,
  assessEveryKeystrokes: 250,
  assessEveryMouseActions: 20,
  challengeMinKeystrokes: 10,
  lockRetryMs: 60_000,
};

export interface EngineOptions<P> {
  store: EngineStore;
  locker: Locker;
  clock: Clock;
  model: ProfileFactory<P>;
  policy: PolicySource;
  /** Challenge phrase source; defaults to crypto randomness. */
  random?: Random;
  tuning?: Partial<EngineTuning>;
}

export type EngineEvent =
  | { type: 'state'; from: AgentState; to: AgentState; reason: string }
  | { type: 'trust'; point: TrustPoint }
  | { type: 'challenge'; challenge: ChallengeView }
  | { type: 'lock'; result: LockResult }
  | { type: 'enrolment'; view: EnrolmentView };

export interface EngineStatus extends StatusView {
  /** The last OS lock failure in plain words, or null. */
  lockProblem: string | null;
  /** Epoch ms until which extra scrutiny runs, or null. */
  scrutinyUntil: number | null;
  /** What adaptation has done so far (counts only). */
  adaptation: PersistedState['adaptation'];
}

type Channel = 'keystroke' | 'mouse';

interface PendingSample {
  channel: Channel;
  window?: KeystrokeWindow;
  actions?: readonly MouseActionFeatures[];
  confirmations: number;
}

const err = (code: string, message: string): { ok: false; code: string; message: string } => ({ ok: false, code, message });

const STATE_WORDS: Record<AgentState, string> = {
  'not-enrolled': 'not enrolled',
  enrolling: 'enrolling',
  learning: 'learning',
  protected: 'protected',
  challenge: 'challenge',
  locked: 'locked',
  paused: 'paused',
};

export class Engine<P> {
  private readonly store: EngineStore;
  private readonly locker: Locker;
  private readonly clock: Clock;
  private readonly model: ProfileFactory<P>;
  private readonly random: Random;
  private readonly tuning: EngineTuning;
  private policy: EnginePolicy;

  private s: PersistedState;
  private profile: P | null = null;
  private session: TrustSessionPort | null = null;
  private assessment: EnrolmentAssessment | null = null;
  private sinceAssess = { keystrokes: 0, mouseActions: 0 };

  private keyBuffer: KeystrokeWindow[] = [];
  private recentKeys: KeystrokeWindow[] = [];
  private lastActivityAt: number | null = null;
  private idleStepsLeft: number;
  private recentSteps: { channel: Channel; accepted: boolean }[] = [];
  private pending: PendingSample[] = [];
  private ready: PendingSample[] = [];
  private challengeWindows: KeystrokeWindow[] = [];
  private lastCounts: ActivityCounts | null = null;
  private captureProblem: string | null = null;
  private lockProblem: string | null = null;

  private challengeTimer: TimerHandle | null = null;
  private lockRetryTimer: TimerHandle | null = null;
  private scrutinyTimer: TimerHandle | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly unsubscribePolicy: () => void;
  private disposed = false;

  constructor(options: EngineOptions<P>) {
    this.store = options.store;
    this.locker = options.locker;
    this.clock = options.clock;
    this.model = options.model;
    this.random = options.random ?? cryptoRandom;
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.policy = options.policy.current();
    // A restart is treated like the end of an idle period: whoever types next may not be the owner.
    this.idleStepsLeft = this.tuning.idleWeightedSteps;
    this.s = this.resume();
    this.unsubscribePolicy = options.policy.onChange((p) => this.applyPolicy(p));
  }

  // ------------------------------------------------------------ lifecycle

  /** Resolves when every OS lock call in flight has finished and been audited. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Stops timers and the policy subscription; the state stays persisted. */
  dispose(): void {
    this.disposed = true;
    this.challengeTimer?.cancel();
    this.lockRetryTimer?.cancel();
    this.scrutinyTimer?.cancel();
    this.unsubscribePolicy();
    this.listeners.clear();
  }

  /** Returns an unsubscribe function. A listener that throws does not stop the engine. */
  on(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get state(): AgentState {
    return this.s.state;
  }

  // ------------------------------------------------------------ capture inputs

  /**
   * A keystroke feature window from the capture process, of any size. Trust
   * steps use merged windows of `trustWindowKeystrokes`; the inhuman check runs
   * on every arrival over the last `inhumanKeystrokes`, so the capture process
   * should send windows of 10 keystrokes or fewer for a challenge within 20.
   */
  addKeystrokeWindow(w: KeystrokeWindow): void {
    if (this.disposed || !this.policy.channels.keystroke || w.keystrokes <= 0) return;
    this.noteIdle();
    switch (this.s.state) {
      case 'enrolling':
      case 'learning': {
        // Scripted input is no sample of the owner: keep it out of the profile.
        if (inhumanRegularity(w).inhuman) return;
        this.store.addEnrolmentKeystrokeWindow(w);
        this.s.collected.keystrokes += w.keystrokes;
        this.sinceAssess.keystrokes += w.keystrokes;
        this.afterEnrolmentData();
        return;
      }
      case 'challenge': {
        this.challengeWindows.push(w);
        const v = inhumanRegularity(mergeKeystrokeWindows(this.challengeWindows));
        if (v.inhuman) this.lockNow('lock', `Locked during the challenge: ${v.reason}`);
        return;
      }
      case 'protected': {
        const v = this.inhumanCheck(w);
        if (v) {
          this.startChallenge(v, { cause: 'inhuman-regularity' });
          return;
        }
        this.keyBuffer.push(w);
        const n = this.keyBuffer.reduce((a, b) => a + b.keystrokes, 0);
        if (n < this.tuning.trustWindowKeystrokes || !this.session) return;
        const merged = this.keyBuffer.length === 1 ? this.keyBuffer[0]! : mergeKeystrokeWindows(this.keyBuffer);
        this.keyBuffer = [];
        const step = this.session.addKeystrokeWindow(merged, this.stepWeight('keystroke'));
        this.afterStep('keystroke', step, { channel: 'keystroke', window: merged, confirmations: 0 });
        return;
      }
      default:
        return; // not-enrolled (no consent yet), paused, locked: nothing is kept
    }
  }

  /** A batch of mouse-action feature vectors from the capture process. */
  addMouseActions(actions: readonly MouseActionFeatures[]): void {
    if (this.disposed || !this.policy.channels.mouse || actions.length === 0) return;
    this.noteIdle();
    switch (this.s.state) {
      case 'enrolling':
      case 'learning':
        this.store.addEnrolmentMouseActions(actions);
        this.s.collected.mouseActions += actions.length;
        this.sinceAssess.mouseActions += actions.length;
        this.afterEnrolmentData();
        return;
      case 'protected': {
        if (!this.session) return;
        const step = this.session.addMouseActions(actions, this.stepWeight('mouse'));
        this.afterStep('mouse', step, { channel: 'mouse', actions, confirmations: 0 });
        return;
      }
      default:
        return; // the challenge is judged on typing; other states keep nothing
    }
  }

  /** Cumulative activity counts from the capture child; drive the wizard's live progress. */
  noteActivity(counts: ActivityCounts): void {
    if (this.disposed) return;
    // Counts are since the capture child started (the engine starts with it, so from zero); they restart at zero with a new child.
    const last = this.lastCounts ?? { keystrokes: 0, mouseActions: 0 };
    const dk = counts.keystrokes >= last.keystrokes ? counts.keystrokes - last.keystrokes : counts.keystrokes;
    const dm = counts.mouseActions >= last.mouseActions ? counts.mouseActions - last.mouseActions : counts.mouseActions;
    this.lastCounts = { ...counts };
    if (this.s.state !== 'enrolling' || (dk === 0 && dm === 0)) return;
    const e = this.s.enrolment;
    let changed = false;
    if (e.step === 'typing' && dk > 0 && this.policy.channels.keystroke) {
      e.typingCaptured += dk;
      changed = true;
    }
    if (e.step === 'mouse' && dm > 0 && this.policy.channels.mouse) {
      e.mouseCaptured += dm;
      changed = true;
    }
    if (changed) {
      this.commit([]);
      this.emit({ type: 'enrolment', view: this.enrolment() });
    }
  }

  /** Capture stopped (display gone, Wayland, crash): `problem` in plain words with what to do. */
  captureOutage(problem: string): void {
    if (this.disposed || this.captureProblem === problem) return;
    this.captureProblem = problem;
    this.keyBuffer = [];
    this.recentKeys = [];
    this.commit([this.event('capture-outage', `Capture unavailable: ${problem}`)]);
  }

  captureRestored(): void {
    if (this.disposed || this.captureProblem === null) return;
    this.captureProblem = null;
    this.commit([this.event('capture-outage', 'Capture is working again.')]);
  }

  // ------------------------------------------------------------ platform inputs

  /** The platform layer saw the OS session unlocked (by password) after a lock. */
  notifyUnlocked(): boolean {
    if (this.disposed || this.s.state !== 'locked') return false;
    const now = this.clock.now();
    this.lockRetryTimer?.cancel();
    this.lockRetryTimer = null;
    this.lockProblem = null;
    this.s.lock = null;
    this.s.scrutinyUntil = now + this.tuning.scrutinyMinutes * 60_000;
    if (!this.profile) {
      // Locked across a restart whose profile would not load: the password proved the owner; learn again.
      this.s.scrutinyUntil = 0;
      this.transition('learning', 'unlock', 'The session was unlocked with the OS password. The stored profile could not be used, so Cadence is learning again.');
      this.reassess();
      this.maybeProtect();
      return true;
    }
    this.transition(
      'protected',
      'unlock',
      `The session was unlocked with the OS password. Cadence watches more closely for the next ${this.tuning.scrutinyMinutes} minutes.`,
    );
    this.startSession();
    return true;
  }

  /** The challenge screen was closed or escaped: the OS lock takes over. */
  dismissChallenge(): boolean {
    if (this.disposed || this.s.state !== 'challenge') return false;
    this.lockNow('lock', 'Locked because the challenge was dismissed.');
    return true;
  }

  // ------------------------------------------------------------ user API

  status(): EngineStatus {
    const q = this.quality();
    return {
      state: this.s.state,
      trust: this.session ? Math.round(this.session.current() * 10) / 10 : null,
      captureAvailable: this.captureProblem === null,
      captureProblem: this.captureProblem,
      keystrokesCollected: this.s.collected.keystrokes,
      mouseActionsCollected: this.s.collected.mouseActions,
      quality: q,
      missing: this.missing(),
      since: this.s.since,
      lockProblem: this.lockProblem,
      scrutinyUntil: this.clock.now() < this.s.scrutinyUntil ? this.s.scrutinyUntil : null,
      adaptation: { ...this.s.adaptation },
    };
  }

  enrolment(): EnrolmentView {
    const e = this.s.enrolment;
    return {
      step: e.step,
      consentGiven: e.consentGiven,
      typing: { captured: e.typingCaptured, target: TYPING_TARGET_KEYSTROKES, sentences: [...ENROLMENT_SENTENCES] },
      mouse: { captured: e.mouseCaptured, target: MOUSE_TARGET_ACTIONS },
      quality: this.quality(),
    };
  }

  giveConsent(): Result<EnrolmentView> {
    // Idempotent: a wizard reopened halfway may ask again.
    if (this.s.enrolment.consentGiven) return { ok: true, value: this.enrolment() };
    if (this.s.state !== 'not-enrolled') return err('bad-state', `Consent cannot be given while ${STATE_WORDS[this.s.state]}.`);
    this.s.enrolment.consentGiven = true;
    if (ENROLMENT_STEPS.indexOf(this.s.enrolment.step) < ENROLMENT_STEPS.indexOf('consent')) this.s.enrolment.step = 'consent';
    this.transition('enrolling', 'state', 'The owner consented: Cadence records how they type and move the mouse, never what they type. Enrolment started.');
    return { ok: true, value: this.enrolment() };
  }

  setEnrolmentStep(step: EnrolmentStep): Result<EnrolmentView> {
    const to = ENROLMENT_STEPS.indexOf(step);
    if (to < 0) return err('bad-step', `Unknown enrolment step "${String(step)}"; expected one of ${ENROLMENT_STEPS.join(', ')}.`);
    const st = this.s.state;
    if (st !== 'not-enrolled' && st !== 'enrolling') return err('not-enrolling', `Enrolment is finished (state: ${STATE_WORDS[st]}).`);
    const e = this.s.enrolment;
    const from = ENROLMENT_STEPS.indexOf(e.step);
    if (to >= ENROLMENT_STEPS.indexOf('typing') && !e.consentGiven) {
      return err('consent-required', 'Give consent on the consent page before the typing and mouse tasks.');
    }
    if (to > from + 1) return err('step-order', `Cannot jump from "${e.step}" to "${step}"; finish "${ENROLMENT_STEPS[from + 1]}" first.`);
    if (to > from) {
      if (step === 'mouse' && this.policy.channels.keystroke && e.typingCaptured < TYPING_TARGET_KEYSTROKES) {
        return err('typing-incomplete', `Type ${TYPING_TARGET_KEYSTROKES - e.typingCaptured} more keystrokes of the sentences first.`);
      }
      if (step === 'result' && this.policy.channels.mouse && e.mouseCaptured < MOUSE_TARGET_ACTIONS) {
        return err('mouse-incomplete', `Do ${MOUSE_TARGET_ACTIONS - e.mouseCaptured} more mouse actions (clicks and drags) first.`);
      }
    }
    e.step = step;
    if (step === 'result') this.reassess();
    if (step === 'done') {
      this.transition('learning', 'state', 'Enrolment finished; Cadence keeps learning in the background until the profile is good enough.');
      this.sinceAssess = { keystrokes: 0, mouseActions: 0 };
      this.reassess();
      this.maybeProtect();
    } else {
      this.commit([]);
    }
    const view = this.enrolment();
    this.emit({ type: 'enrolment', view });
    return { ok: true, value: view };
  }

  challenge(): ChallengeView | null {
    const c = this.s.challenge;
    if (this.s.state !== 'challenge' || !c) return null;
    return { phrase: c.phrase, attemptsLeft: c.attemptsLeft, expiresAt: c.expiresAt };
  }

  /**
   * Judges one attempt: the words (compared in memory, never stored or
   * logged) and the rhythm of the keystroke windows captured since the
   * challenge or the last attempt began.
   */
  submitChallenge(typed: string): Result<ChallengeOutcome> {
    const c = this.s.challenge;
    if (this.s.state !== 'challenge' || !c) return err('no-challenge', 'There is no challenge to answer.');
    if (typeof typed !== 'string' || typed.length > 1000) return err('bad-input', 'The answer must be text of at most 1000 characters.');
    if (this.clock.now() >= c.expiresAt) {
      this.lockNow('lock', 'Locked because the challenge timed out.');
      return { ok: true, value: { passed: false, attemptsLeft: 0, next: 'locked', reason: 'The time ran out; the computer is locked.' } };
    }
    if (!this.policy.channels.keystroke || !this.profile) {
      this.lockNow('lock', 'Locked: the challenge needs typing rhythm and the keystroke channel is off by policy, so the OS password decides.');
      return { ok: true, value: { passed: false, attemptsLeft: 0, next: 'locked', reason: 'Typing rhythm cannot be checked; use your OS password.' } };
    }
    const wordsOk = phraseMatches(typed, c.phrase);
    const windows = this.challengeWindows;
    this.challengeWindows = [];
    const captured = windows.reduce((a, w) => a + w.keystrokes, 0);
    let rhythmOk = false;
    let rhythmWhy = '';
    if (captured < this.tuning.challengeMinKeystrokes) {
      rhythmWhy =
        captured === 0
          ? 'Cadence captured none of the typing, so the rhythm could not be checked; type the phrase on this computer’s keyboard'
          : `Cadence captured only ${captured} keystrokes of the typing, too few to check the rhythm; type the whole phrase`;
    } else {
      rhythmOk = this.model.acceptsChallengeRhythm(this.profile, windows, this.policy.sensitivity);
      if (!rhythmOk) rhythmWhy = 'the typing rhythm did not match the owner’s';
    }
    if (wordsOk && rhythmOk) {
      this.transition('protected', 'challenge-passed', 'Challenge passed: the words and the typing rhythm matched the owner.');
      this.startSession();
      return { ok: true, value: { passed: true, attemptsLeft: c.attemptsLeft, next: 'protected', reason: 'Welcome back.' } };
    }
    const why = [wordsOk ? '' : 'the words did not match the phrase', rhythmWhy].filter((x) => x !== '').join(', and ');
    c.attemptsLeft = Math.max(0, c.attemptsLeft - 1);
    const reason = `Challenge attempt failed: ${why}.`;
    if (c.attemptsLeft === 0) {
      this.commit([this.event('challenge-failed', reason, { attemptsLeft: 0, wordsMatched: wordsOk, rhythmMatched: rhythmOk })]);
      this.lockNow('lock', 'Locked after the last challenge attempt failed.');
      return { ok: true, value: { passed: false, attemptsLeft: 0, next: 'locked', reason: `${capital(why)}. The computer is locked.` } };
    }
    this.commit([this.event('challenge-failed', reason, { attemptsLeft: c.attemptsLeft, wordsMatched: wordsOk, rhythmMatched: rhythmOk })]);
    const left = `${c.attemptsLeft} attempt${c.attemptsLeft === 1 ? '' : 's'} left`;
    return { ok: true, value: { passed: false, attemptsLeft: c.attemptsLeft, next: 'retry', reason: `${capital(why)}. Try again: ${left}.` } };
  }

  setPaused(paused: boolean): Result<EngineStatus> {
    const st = this.s.state;
    if (paused) {
      if (!this.policy.allowPause) return err('pause-not-allowed', 'Your organisation’s policy does not allow pausing Cadence.');
      if (st === 'paused') return { ok: true, value: this.status() };
      if (st !== 'learning' && st !== 'protected') {
        return err('pause-not-now', `Cadence cannot be paused while ${STATE_WORDS[st]}${st === 'challenge' ? '; answer the challenge first' : ''}.`);
      }
      this.s.pausedFrom = st;
      this.dropSession();
      this.transition('paused', 'state', 'Paused by the user (policy allows pausing).');
      return { ok: true, value: this.status() };
    }
    if (st !== 'paused') return { ok: true, value: this.status() };
    this.resumeFromPause('Resumed by the user.');
    return { ok: true, value: this.status() };
  }

  policyView(): PolicyView {
    const p = this.policy;
    return {
      sensitivity: p.sensitivity,
      idleMinutes: p.idleMinutes,
      challengeAttempts: p.challengeAttempts,
      challengeTimeoutSeconds: p.challengeTimeoutSeconds,
      channels: { ...p.channels },
      adaptation: p.adaptation,
      allowPause: p.allowPause,
      allowQuit: p.allowQuit,
      retentionDays: p.retentionDays,
      source: p.source,
    };
  }

  trustHistory(sinceMs: number): TrustPoint[] {
    return this.store.trustSince(sinceMs);
  }

  decisions(limit: number): AuditEvent[] {
    return this.store.recentEvents(limit);
  }

  // ------------------------------------------------------------ policy

  private applyPolicy(p: EnginePolicy): void {
    if (this.disposed) return;
    const before = this.policy;
    const changes = policyChanges(before, p);
    this.policy = p;
    if (changes.length === 0) return;
    this.commit([this.event('policy', `Policy changed (${p.source}): ${changes.join('; ')}.`)]);
    if (!p.channels.keystroke) {
      this.keyBuffer = [];
      this.recentKeys = [];
    }
    if (this.s.state === 'paused' && !p.allowPause) this.resumeFromPause('Resumed because policy no longer allows pausing.');
    const modelChanged =
      before.sensitivity !== p.sensitivity || before.channels.keystroke !== p.channels.keystroke || before.channels.mouse !== p.channels.mouse;
    if (modelChanged && this.s.state === 'protected') this.startSession();
    if (modelChanged && (this.s.state === 'learning' || this.s.state === 'enrolling')) {
      this.reassess();
      this.maybeProtect();
    }
  }

  // ------------------------------------------------------------ internals: resume

  private resume(): PersistedState {
    const now = this.clock.now();
    const raw = this.store.loadState();
    if (raw === null || raw === undefined) {
      this.s = initialState(now);
      this.commit([{ t: now, kind: 'state', reason: 'Cadence started for the first time: not enrolled yet.', to: 'not-enrolled' }]);
      return this.s;
    }
    const parsed = parsePersistedState(raw);
    if (!parsed.ok) return this.recoverFromBadState(parsed.problem);
    this.s = parsed.state;
    const st = this.s.state;
    const needsProfile = st === 'protected' || st === 'challenge' || st === 'locked' || (st === 'paused' && this.s.pausedFrom === 'protected');
    // Challenge and locked come first: a damaged or deleted profile must not be a way out of them.
    if (needsProfile && !this.loadProfile() && st !== 'challenge' && st !== 'locked') {
      this.s.challenge = null;
      this.s.pausedFrom = null;
      this.transition('learning', 'state', 'The stored profile could not be used, so Cadence is learning again from the enrolment data.');
      this.reassess();
      this.maybeProtect();
      return this.s;
    }
    this.commit([this.event('state', `Agent restarted; resuming in ${STATE_WORDS[st]}.`, { restart: true })]);
    switch (st) {
      case 'challenge':
        this.lockNow('lock', 'The agent restarted during a challenge; a restart must not escape the challenge, so the OS lock takes over.');
        break;
      case 'locked':
        if (!this.s.lock?.confirmed) this.runLock('The agent restarted before the OS lock was confirmed; locking again.');
        break;
      case 'protected':
        this.startSession();
        break;
      case 'learning':
        this.reassess();
        this.maybeProtect();
        break;
      case 'enrolling':
        if (this.s.enrolment.step === 'result') this.reassess();
        break;
      default:
        break;
    }
    return this.s;
  }

  private recoverFromBadState(problem: string): PersistedState {
    const now = this.clock.now();
    this.s = initialState(now);
    const events: AuditEvent[] = [{ t: now, kind: 'state', reason: `Cadence could not read its saved state (${problem}).` }];
    if (this.loadProfile()) {
      this.s.enrolment = { step: 'done', consentGiven: true, typingCaptured: 0, mouseCaptured: 0 };
      this.s.state = 'protected';
      this.s.scrutinyUntil = now + this.tuning.scrutinyMinutes * 60_000;
      events.push({ t: now, kind: 'state', reason: 'Resuming protection with extra scrutiny from the stored profile.', to: 'protected' });
      this.commit(events);
      this.startSession();
      return this.s;
    }
    const data = this.store.loadEnrolment();
    if (data.keystrokeWindows.length > 0 || data.mouseActions.length > 0) {
      this.s.enrolment = { step: 'done', consentGiven: true, typingCaptured: 0, mouseCaptured: 0 };
      this.s.state = 'learning';
      this.s.collected = {
        keystrokes: data.keystrokeWindows.reduce((a, w) => a + w.keystrokes, 0),
        mouseActions: data.mouseActions.length,
      };
      events.push({ t: now, kind: 'state', reason: 'Learning again from the stored enrolment data.', to: 'learning' });
      this.commit(events);
      this.reassess();
      this.maybeProtect();
      return this.s;
    }
    events.push({ t: now, kind: 'state', reason: 'Starting over: not enrolled; consent will be asked again.', to: 'not-enrolled' });
    this.commit(events);
    return this.s;
  }

  private loadProfile(): boolean {
    const json = this.store.loadProfile();
    if (json === null || json === undefined) return false;
    try {
      this.profile = this.model.fromJSON(json);
      return true;
    } catch (e) {
      this.commit([this.event('state', `The stored profile is unusable: ${e instanceof Error ? e.message : String(e)}`)]);
      return false;
    }
  }

  // ------------------------------------------------------------ internals: learning

  private afterEnrolmentData(): void {
    // While enrolling the wizard shows quality on its result page (assessed there); learning re-assesses as data comes in.
    if (
      this.s.state === 'learning' &&
      (this.sinceAssess.keystrokes >= this.tuning.assessEveryKeystrokes || this.sinceAssess.mouseActions >= this.tuning.assessEveryMouseActions)
    ) {
      this.sinceAssess = { keystrokes: 0, mouseActions: 0 };
      this.reassess();
      this.maybeProtect();
    }
    // Counts are part of the state: commit so status after a restart is right.
    if (this.s.state === 'enrolling' || this.s.state === 'learning') this.commit([]);
  }

  private reassess(): void {
    const data = this.store.loadEnrolment();
    this.assessment = this.model.assess(data, this.policy.channels);
  }

  private maybeProtect(): void {
    if (this.s.state !== 'learning' || !this.assessment?.quality.ready) return;
    const data = this.store.loadEnrolment();
    const profile = this.model.fit(data, this.policy.channels);
    this.store.saveProfile(this.model.toJSON(profile));
    this.profile = profile;
    const q = this.assessment.quality;
    this.transition(
      'protected',
      'state',
      `The profile is good enough (${q.keystrokes} keystrokes, ${q.mouseActions} mouse actions, ${Math.round(q.digraphCoverage * 100)}% digraph coverage, stability ${q.stability.toFixed(2)}). Protection starts.`,
    );
    this.startSession();
  }

  private quality(): ProfileQuality | null {
    return this.assessment ? { ...this.assessment.quality } : null;
  }

  private missing(): string[] {
    switch (this.s.state) {
      case 'not-enrolled':
        return ['Open the Cadence window and give consent to start enrolment.'];
      case 'enrolling': {
        const out: string[] = [];
        const e = this.s.enrolment;
        if (this.policy.channels.keystroke && e.typingCaptured < TYPING_TARGET_KEYSTROKES) {
          out.push(`Typing task: ${TYPING_TARGET_KEYSTROKES - e.typingCaptured} more keystrokes.`);
        }
        if (this.policy.channels.mouse && e.mouseCaptured < MOUSE_TARGET_ACTIONS) {
          out.push(`Mouse task: ${MOUSE_TARGET_ACTIONS - e.mouseCaptured} more mouse actions.`);
        }
        out.push('Finish the enrolment wizard.');
        return out;
      }
      case 'learning':
        return this.assessment ? [...this.assessment.missing] : ['Keep using the computer normally; Cadence is still measuring the profile.'];
      default:
        return [];
    }
  }

  // ------------------------------------------------------------ internals: decisions

  private noteIdle(): void {
    const now = this.clock.now();
    if (this.lastActivityAt !== null && now - this.lastActivityAt >= this.policy.idleMinutes * 60_000) {
      this.idleStepsLeft = this.tuning.idleWeightedSteps;
    }
    this.lastActivityAt = now;
  }

  private inScrutiny(): boolean {
    return this.clock.now() < this.s.scrutinyUntil;
  }

  /** First-activity weight applies to typing steps only (see FIRST_ACTIVITY_WEIGHT); scrutiny to every step. */
  private stepWeight(channel: Channel): number {
    let w = 1;
    if (channel === 'keystroke' && this.idleStepsLeft > 0) w = Math.max(w, this.tuning.idleWeight);
    if (this.inScrutiny()) w = Math.max(w, this.tuning.scrutinyWeight);
    return w;
  }

  /** Returns the plain-words reason when the recent typing is inhuman. */
  private inhumanCheck(w: KeystrokeWindow): string | null {
    this.recentKeys.push(w);
    let n = 0;
    let from = this.recentKeys.length;
    while (from > 0 && n < this.tuning.inhumanKeystrokes) n += this.recentKeys[--from]!.keystrokes;
    this.recentKeys = this.recentKeys.slice(from);
    const v = inhumanRegularity(this.recentKeys.length === 1 ? this.recentKeys[0]! : mergeKeystrokeWindows(this.recentKeys));
    return v.inhuman ? v.reason : null;
  }

  private afterStep(channel: Channel, step: TrustStep, sample: PendingSample): void {
    if (step.scored === false) return;
    const now = this.clock.now();
    const point = { t: now, trust: Math.round(step.trust * 10) / 10 };
    this.store.appendTrust(point);
    this.emit({ type: 'trust', point });
    this.recentSteps.push({ channel, accepted: step.accepted });
    if (this.recentSteps.length > 8) this.recentSteps.shift();
    // No adaptation from any step of a new sitting's first typing; only typing steps use those up.
    const idleWeighted = this.idleStepsLeft > 0;
    if (channel === 'keystroke' && this.idleStepsLeft > 0) this.idleStepsLeft--;
    if (step.belowThreshold) {
      this.startChallenge(this.explainLowTrust(step.trust), { cause: 'low-trust', trust: point.trust, channel });
      return;
    }
    this.considerAdaptation(step, sample, idleWeighted);
  }

  private explainLowTrust(trust: number): string {
    const parts: string[] = [];
    for (const ch of ['keystroke', 'mouse'] as const) {
      const steps = this.recentSteps.filter((s) => s.channel === ch);
      if (steps.length === 0) continue;
      const off = steps.filter((s) => !s.accepted).length;
      const what = ch === 'keystroke' ? 'typing rhythm' : 'mouse movement';
      parts.push(off > 0 ? `${what} differed from the owner’s in ${off} of the last ${steps.length} checks` : `${what} matched`);
    }
    return `Trust fell to ${Math.round(trust)}: ${parts.join('; ')}.`;
  }

  /**
   * The adaptation gate. A window may teach the profile only if policy allows,
   * the engine is protected and not in extra scrutiny or just after idle, the
   * window was accepted on its own at high trust, and trust stayed high for
   * the next `adaptConfirmSteps` steps. A step that takes trust below
   * `adaptMinTrust` throws away every unconfirmed window, so the first windows
   * of an impostor (when trust is still high from the owner) never get
   * through; batches are applied at a bounded rate with a bounded step.
   */
  private considerAdaptation(step: TrustStep, sample: PendingSample, idleWeighted: boolean): void {
    const high = step.trust >= this.tuning.adaptMinTrust;
    if (!this.policy.adaptation || this.s.state !== 'protected' || this.inScrutiny() || idleWeighted || !high) {
      this.pending = [];
      return;
    }
    for (const p of this.pending) p.confirmations++;
    if (step.accepted) this.pending.push(sample);
    while (this.pending.length > 0 && this.pending[0]!.confirmations >= this.tuning.adaptConfirmSteps) this.ready.push(this.pending.shift()!);
    const cap = this.tuning.adaptBatchWindows * 2;
    if (this.ready.length > cap) this.ready.splice(0, this.ready.length - cap);
    const now = this.clock.now();
    const last = this.s.adaptation.lastAt;
    if (this.ready.length < this.tuning.adaptBatchWindows || (last !== null && now - last < this.tuning.adaptMinIntervalMs)) return;
    if (!this.profile) return;
    const batch = this.ready.splice(0, this.tuning.adaptBatchWindows);
    const keystrokeWindows = batch.flatMap((b) => (b.window ? [b.window] : []));
    const mouseActions = batch.flatMap((b) => (b.actions ? [...b.actions] : []));
    this.profile = this.model.adapt(this.profile, { keystrokeWindows, mouseActions }, this.tuning.adaptRate);
    this.store.saveProfile(this.model.toJSON(this.profile));
    this.s.adaptation = {
      batches: this.s.adaptation.batches + 1,
      keystrokes: this.s.adaptation.keystrokes + keystrokeWindows.reduce((a, w) => a + w.keystrokes, 0),
      mouseActions: this.s.adaptation.mouseActions + mouseActions.length,
      lastAt: now,
    };
    this.commit([]);
    // The running session keeps the old profile: trust carries on undisturbed and the adapted profile takes effect at the next session.
  }

  // ------------------------------------------------------------ internals: challenge and lock

  private startChallenge(reason: string, details: Record<string, string | number | boolean>): void {
    if (!this.policy.channels.keystroke || !this.profile) {
      this.lockNow('lock', `${reason} The challenge needs typing rhythm and the keystroke channel is off by policy, so the OS lock verifies instead.`);
      return;
    }
    const now = this.clock.now();
    const expiresAt = now + this.policy.challengeTimeoutSeconds * 1000;
    this.s.challenge = {
      phrase: challengePhrase(this.random),
      attemptsLeft: this.policy.challengeAttempts,
      startedAt: now,
      expiresAt,
      reason,
    };
    this.dropSession();
    this.challengeWindows = [];
    this.transition('challenge', 'challenge', `Challenge: ${reason}`, details);
    this.challengeTimer = this.clock.setTimer(expiresAt - now, () => {
      this.challengeTimer = null;
      if (this.s.state === 'challenge' && this.s.challenge?.startedAt === now) this.lockNow('lock', 'Locked because the challenge timed out.');
    });
    this.emit({ type: 'challenge', challenge: this.challenge()! });
  }

  private lockNow(kind: AuditKind, reason: string): void {
    this.challengeTimer?.cancel();
    this.challengeTimer = null;
    this.s.challenge = null;
    this.challengeWindows = [];
    this.dropSession();
    this.s.lock = { at: this.clock.now(), confirmed: false };
    this.transition('locked', kind, reason);
    this.runLock(null);
  }

  private runLock(note: string | null): void {
    if (note) this.commit([this.event('lock', note)]);
    const command = this.policy.lockCommand ?? undefined;
    const p = (async () => {
      let result: LockResult;
      try {
        result = await this.locker.lock(command);
      } catch (e) {
        result = { ok: false, tried: [], message: `the lock function threw: ${e instanceof Error ? e.message : String(e)}` };
      }
      if (this.disposed || this.s.state !== 'locked' || !this.s.lock) return;
      if (result.ok) {
        // An unconfirmed lock (the command ran but cannot report the screen state) is not retried: retrying cannot confirm it either.
        this.s.lock.confirmed = true;
        this.lockProblem = null;
        const unconfirmed = result.confirmed === false;
        this.commit([
          this.event(
            'lock',
            unconfirmed ? `The lock command ran (${result.method}) but cannot confirm the screen locked.` : `The OS session was locked (${result.method}).`,
            { method: result.method, confirmed: !unconfirmed },
          ),
        ]);
      } else {
        const tried = result.tried.length > 0 ? ` Tried: ${result.tried.map((a) => `${a.method} (${a.problem})`).join('; ')}.` : '';
        const problem = `The OS lock failed: ${result.message.replace(/\.$/, '')}.${tried} Ask IT to set a working lockCommand in the Cadence policy.`;
        if (problem !== this.lockProblem) this.commit([this.event('lock', problem, { failed: true })]);
        this.lockProblem = problem;
        this.lockRetryTimer?.cancel();
        this.lockRetryTimer = this.clock.setTimer(this.tuning.lockRetryMs, () => {
          this.lockRetryTimer = null;
          if (this.s.state === 'locked' && this.s.lock && !this.s.lock.confirmed) this.runLock(null);
        });
      }
      this.emit({ type: 'lock', result });
    })();
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  // ------------------------------------------------------------ internals: sessions and transitions

  private startSession(): void {
    if (!this.profile) return;
    const scrutiny = this.inScrutiny();
    try {
      this.session = this.model.startSession(this.profile, {
        sensitivity: this.policy.sensitivity,
        scrutiny,
        channels: { ...this.policy.channels },
      });
    } catch (e) {
      // E.g. policy now enables only a channel the profile was not enrolled on: learn it.
      this.session = null;
      this.profile = null;
      if (this.s.state === 'protected') {
        this.transition('learning', 'state', `Protection cannot run with this policy (${e instanceof Error ? e.message : String(e)}); Cadence is learning again.`);
        this.reassess();
        this.maybeProtect();
      }
      return;
    }
    this.scrutinyTimer?.cancel();
    this.scrutinyTimer = null;
    if (scrutiny) {
      // When scrutiny ends, go back to the policy's preset, but only from high trust: a doubtful session keeps the stricter one.
      this.scrutinyTimer = this.clock.setTimer(this.s.scrutinyUntil - this.clock.now(), () => {
        this.scrutinyTimer = null;
        if (this.s.state === 'protected' && this.session && this.session.current() >= this.tuning.adaptMinTrust) this.startSession();
      });
    }
    this.keyBuffer = [];
    this.recentKeys = [];
    this.recentSteps = [];
    this.pending = [];
  }

  private dropSession(): void {
    this.session = null;
    this.keyBuffer = [];
    this.pending = [];
    this.ready = [];
  }

  private resumeFromPause(reason: string): void {
    const to = this.s.pausedFrom ?? 'learning';
    this.s.pausedFrom = null;
    this.transition(to, 'state', reason);
    if (to === 'protected') {
      this.idleStepsLeft = this.tuning.idleWeightedSteps;
      this.startSession();
    } else {
      this.reassess();
      this.maybeProtect();
    }
  }

  private transition(to: AgentState, kind: AuditKind, reason: string, details?: Record<string, string | number | boolean>): void {
    const from = this.s.state;
    const now = this.clock.now();
    this.s.state = to;
    this.s.since = now;
    const e: AuditEvent = { t: now, kind, reason, from, to };
    if (details) e.details = details;
    this.commit([e]);
    this.emit({ type: 'state', from, to, reason });
  }

  private event(kind: AuditKind, reason: string, details?: Record<string, string | number | boolean>): AuditEvent {
    const e: AuditEvent = { t: this.clock.now(), kind, reason };
    if (details) e.details = details;
    return e;
  }

  private commit(events: readonly AuditEvent[]): void {
    this.store.commit(structuredClone(this.s), events);
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A broken listener (a closed window) must not stop a lock.
      }
    }
  }
}

function capital(s: string): string {
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** Plain-words list of what changed between two policies (values only; the policy holds no secrets). */
export function policyChanges(a: EnginePolicy, b: EnginePolicy): string[] {
  const out: string[] = [];
  const flat = (p: EnginePolicy): Record<string, unknown> => ({
    sensitivity: p.sensitivity,
    idleMinutes: p.idleMinutes,
    challengeAttempts: p.challengeAttempts,
    challengeTimeoutSeconds: p.challengeTimeoutSeconds,
    'channels.keystroke': p.channels.keystroke,
    'channels.mouse': p.channels.mouse,
    lockCommand: p.lockCommand,
    adaptation: p.adaptation,
    allowPause: p.allowPause,
    allowQuit: p.allowQuit,
    retentionDays: p.retentionDays,
  });
  const fa = flat(a);
  const fb = flat(b);
  for (const k of Object.keys(fb)) {
    if (fa[k] !== fb[k]) out.push(`${k} ${JSON.stringify(fa[k])} → ${JSON.stringify(fb[k])}`);
  }
  return out;
}
