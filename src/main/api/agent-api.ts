/**
 * AgentApi: the one typed API between the pages and the engine.
 *
 * The Electron preload exposes it through contextBridge (src/main/electron/),
 * and the loopback test bridge exposes the very same methods to a plain
 * Chromium page, so the renderer is tested against the real engine. Errors
 * travel as data ({ok:false, code, message}); nothing throws across the bridge.
 *
 * This file holds types only: it is imported by the renderer too.
 */

export type AgentState =
  | 'not-enrolled'
  | 'enrolling'
  | 'learning'
  | 'protected'
  | 'challenge'
  | 'locked'
  | 'paused';

export type Result<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export type Sensitivity = 'relaxed' | 'balanced' | 'strict';

export interface ProfileQuality {
  keystrokes: number;
  mouseActions: number;
  /** Share of the owner's typed digraphs (by frequency) that the profile covers, 0..1. */
  digraphCoverage: number;
  /** Self-score stability on held-back enrolment data, 0..1 (1 = perfectly stable). */
  stability: number;
  /** True when the profile is good enough to protect. */
  ready: boolean;
}

export interface StatusView {
  state: AgentState;
  /** Current trust, 0..100, or null while there is no profile. */
  trust: number | null;
  captureAvailable: boolean;
  /** Why capture is unavailable, in plain words, with what to do next. */
  captureProblem: string | null;
  keystrokesCollected: number;
  mouseActionsCollected: number;
  quality: ProfileQuality | null;
  /** What is still missing before protection starts, in plain words. */
  missing: string[];
  /** Epoch ms of the last state change. */
  since: number;
  /** Why the last OS lock failed (the screen may be unlocked), with what to do; null when it worked. */
  lockProblem: string | null;
}

export type EnrolmentStep = 'welcome' | 'consent' | 'typing' | 'mouse' | 'result' | 'done';

export interface EnrolmentView {
  step: EnrolmentStep;
  consentGiven: boolean;
  /** Keystrokes the capture process has seen during the typing task. */
  typing: { captured: number; target: number; sentences: string[] };
  /** Mouse actions the capture process has seen during the mouse task. */
  mouse: { captured: number; target: number };
  quality: ProfileQuality | null;
}

export interface TrustPoint {
  /** Epoch ms. */
  t: number;
  /** 0..100. */
  trust: number;
}

export interface DecisionView {
  /** Epoch ms. */
  t: number;
  kind: 'state' | 'challenge' | 'challenge-passed' | 'challenge-failed' | 'lock' | 'unlock' | 'policy' | 'capture-outage';
  /** Plain words: what happened and which behaviour differed. */
  reason: string;
}

export interface ChallengeView {
  phrase: string;
  attemptsLeft: number;
  /** Epoch ms after which the challenge falls through to the OS lock. */
  expiresAt: number;
}

export interface ChallengeOutcome {
  passed: boolean;
  attemptsLeft: number;
  /** What happens now: back to protected, try again, or the OS lock. */
  next: 'protected' | 'retry' | 'locked';
  reason: string;
}

export interface PolicyView {
  sensitivity: Sensitivity;
  idleMinutes: number;
  challengeAttempts: number;
  /** How long the lock-screen challenge waits before handing over to the OS lock. */
  challengeTimeoutSeconds: number;
  channels: { keystroke: boolean; mouse: boolean };
  adaptation: boolean;
  allowPause: boolean;
  allowQuit: boolean;
  retentionDays: number;
  /** Where the policy came from, e.g. "/etc/cadence/policy.json" or "defaults". */
  source: string;
}

export interface AgentApi {
  getStatus(): Promise<Result<StatusView>>;
  getEnrolment(): Promise<Result<EnrolmentView>>;
  /** Moves the wizard on; the engine checks the step order (consent before tasks). */
  setEnrolmentStep(step: EnrolmentStep): Promise<Result<EnrolmentView>>;
  giveConsent(): Promise<Result<EnrolmentView>>;
  getTrustHistory(sinceMs: number): Promise<Result<TrustPoint[]>>;
  getDecisions(limit: number): Promise<Result<DecisionView[]>>;
  getChallenge(): Promise<Result<ChallengeView | null>>;
  /** The typed words are compared in memory and never stored. */
  submitChallenge(typed: string): Promise<Result<ChallengeOutcome>>;
  getPolicy(): Promise<Result<PolicyView>>;
  setPaused(paused: boolean): Promise<Result<StatusView>>;
}

/** Method names, for bridges that route by name (IPC channels, HTTP paths). */
export const AGENT_API_METHODS = [
  'getStatus',
  'getEnrolment',
  'setEnrolmentStep',
  'giveConsent',
  'getTrustHistory',
  'getDecisions',
  'getChallenge',
  'submitChallenge',
  'getPolicy',
  'setPaused',
] as const satisfies readonly (keyof AgentApi)[];
