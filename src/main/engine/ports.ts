/**
 * Ports: the only things the engine knows about the rest of the agent.
 *
 * The store, the OS lock, the policy loader and the model are written by other
 * people and change under us, so the engine depends on these small interfaces
 * instead of on their modules. The headless agent adapts the real parts to
 * them (a few lines each, see "Wiring" in engine.ts). Tests implement them
 * in memory (test/main/engine/support/memory-ports.ts).
 */
import type { AgentState, DecisionView, ProfileQuality, Sensitivity, TrustPoint } from '../api/agent-api';
import type { KeystrokeWindow } from '../../model/keystroke-windows';
import type { MouseActionFeatures } from '../../model/mouse-features';

// ---------------------------------------------------------------- clock

export interface TimerHandle {
  cancel(): void;
}

/** Wall-clock time and one-shot timers, injectable so tests control time. */
export interface Clock {
  /** Epoch ms. */
  now(): number;
  /** Calls `fn` once after `ms`; the engine cancels every timer it owns on dispose. */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

// ---------------------------------------------------------------- lock

export interface LockAttempt {
  readonly method: string;
  /** One line: why this method did not lock. */
  readonly problem: string;
}

/** Structurally the result of src/main/lock `lockSession`. */
export type LockResult =
  | { readonly ok: true; readonly method: string; /** False when the method ran but cannot tell whether the screen locked. */ readonly confirmed?: boolean }
  | { readonly ok: false; readonly tried: readonly LockAttempt[]; readonly message: string };

/**
 * The OS session lock. Must not throw; failures come back as data. The agent
 * wires it as `{ lock: (command) => lockSession(command ? { command } : {}) }`.
 */
export interface Locker {
  /** `command`: the policy's lock command as argv (run without a shell), or undefined for the platform's own lock. */
  lock(command?: readonly string[]): Promise<LockResult>;
}

// ---------------------------------------------------------------- policy

/** The part of the validated policy the engine reads (src/main/policy `EffectivePolicy` has this shape). */
export interface EnginePolicy {
  readonly sensitivity: Sensitivity;
  readonly idleMinutes: number;
  readonly challengeAttempts: number;
  readonly challengeTimeoutSeconds: number;
  readonly channels: { readonly keystroke: boolean; readonly mouse: boolean };
  /** Policy-set lock command as argv, or null for the platform's own lock. */
  readonly lockCommand: readonly string[] | null;
  readonly adaptation: boolean;
  readonly allowPause: boolean;
  readonly allowQuit: boolean;
  readonly retentionDays: number;
  /** Where it came from, e.g. "/etc/cadence/policy.json" or "defaults". */
  readonly source: string;
}

/**
 * The current valid policy, and news of a new one (the loader keeps the last
 * good policy on a bad file). src/main/policy `PolicyManager` satisfies it as is.
 */
export interface PolicySource {
  current(): EnginePolicy;
  /** Returns an unsubscribe function. */
  onChange(listener: (policy: EnginePolicy) => void): () => void;
}

// ---------------------------------------------------------------- model

/** The owner's enrolment data: feature windows only, never keys in order. */
export interface EnrolmentData {
  keystrokeWindows: readonly KeystrokeWindow[];
  mouseActions: readonly MouseActionFeatures[];
}

/** Which channels the policy lets the model use. */
export interface Channels {
  keystroke: boolean;
  mouse: boolean;
}

export interface EnrolmentAssessment {
  quality: ProfileQuality;
  /** What is still missing before protection can start, plain words, one item each; empty when ready. */
  missing: string[];
}

/** One window's effect on the trust level. */
export interface TrustStep {
  /** Trust after this window, 0..100. */
  trust: number;
  /** Trust fell below the sensitivity preset's threshold: challenge now. */
  belowThreshold: boolean;
  /** This window on its own looked like the owner (used to gate adaptation and to explain decisions). */
  accepted: boolean;
  /** False when the call only buffered input (too few mouse actions for a model window): no trust step happened. */
  scored?: boolean;
}

/**
 * A running trust level (src/model/profile.ts `TrustSession`). `weight` >= 1
 * makes a window count more (first activity after an idle period, extra
 * scrutiny after an unlock).
 */
export interface TrustSessionPort {
  /** Trust now, 0..100 (before any window: the model's starting trust). */
  current(): number;
  addKeystrokeWindow(window: KeystrokeWindow, weight: number): TrustStep;
  addMouseActions(actions: readonly MouseActionFeatures[], weight: number): TrustStep;
}

export interface SessionOptions {
  sensitivity: Sensitivity;
  /** Extra scrutiny after an OS unlock: the model uses a stricter preset. */
  scrutiny: boolean;
  channels: Channels;
}

/**
 * The model layer, seen from the engine. `P` is the model's fitted profile;
 * the engine never looks inside it.
 */
export interface ProfileFactory<P> {
  /** Is the enrolment good enough (counts, digraph coverage, self-score stability on held-back data)? */
  assess(data: EnrolmentData, channels: Channels): EnrolmentAssessment;
  /** Fits the profile; only called after `assess` said ready. */
  fit(data: EnrolmentData, channels: Channels): P;
  toJSON(profile: P): unknown;
  /** Throws with a message naming the problem when the stored profile is unusable. */
  fromJSON(json: unknown): P;
  startSession(profile: P, options: SessionOptions): TrustSessionPort;
  /** Do these windows, typed during a challenge, match the owner's rhythm? */
  acceptsChallengeRhythm(profile: P, windows: readonly KeystrokeWindow[], sensitivity: Sensitivity): boolean;
  /**
   * Moves the profile a bounded step towards windows the engine has accepted
   * for adaptation. `rate` in 0..1 is the largest share a batch may move any
   * statistic; the engine chooses which windows qualify.
   */
  adapt(profile: P, accepted: EnrolmentData, rate: number): P;
}

// ---------------------------------------------------------------- store

export type AuditKind = DecisionView['kind'];

/**
 * One audit entry. Plain words; never key data. `from`/`to` are set when the
 * entry records a state change (every state change has exactly one entry).
 */
export interface AuditEvent {
  /** Epoch ms. */
  t: number;
  kind: AuditKind;
  reason: string;
  from?: AgentState;
  to?: AgentState;
  /** Small scalar facts (trust, attempts left, lock method); never key data. */
  details?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Persistence (src/main/store). `commit` writes the engine state and its audit
 * entries in one transaction so a kill -9 never leaves a state without its
 * audit entry or the reverse. `loadState` returns what `commit` last wrote (the
 * engine validates it), or null on first run.
 */
export interface EngineStore {
  loadState(): unknown | null;
  commit(state: unknown, events: readonly AuditEvent[]): void;
  appendTrust(point: TrustPoint): void;
  trustSince(sinceMs: number): TrustPoint[];
  /** Newest first. */
  recentEvents(limit: number): AuditEvent[];
  addEnrolmentKeystrokeWindow(window: KeystrokeWindow): void;
  addEnrolmentMouseActions(actions: readonly MouseActionFeatures[]): void;
  loadEnrolment(): EnrolmentData;
  saveProfile(json: unknown): void;
  loadProfile(): unknown | null;
}

/** Cumulative counts from one capture child (they restart at 0 when the child restarts). */
export interface ActivityCounts {
  keystrokes: number;
  mouseActions: number;
}
