import type {
  AgentApi,
  AgentState,
  ChallengeOutcome,
  ChallengeView,
  DecisionView,
  EnrolmentStep,
  EnrolmentView,
  PolicyView,
  ProfileQuality,
  Result,
  StatusView,
  TrustPoint,
} from '../../src/main/api/agent-api';

/**
 * TEMPORARY: an in-memory AgentApi so the pages can be tested in Chromium
 * before the real engine (src/main/engine/agent-api-impl.ts) lands. Replace
 * every use with the real engine when it does; this file is then deleted.
 *
 * It imitates the engine's contract only as far as the pages rely on it: step
 * order (consent before tasks, targets met before moving on), capture counts
 * that move only when the TEST says the agent captured something
 * (`captureKeystrokes` / `captureMouseActions`), never because the page saw a
 * key, and a challenge that passes on the exact phrase.
 */

const ORDER: readonly EnrolmentStep[] = ['welcome', 'consent', 'typing', 'mouse', 'result', 'done'];

export interface MemoryAgentOptions {
  typingTarget?: number;
  mouseTarget?: number;
  policy?: Partial<PolicyView>;
  now?: () => number;
}

export class MemoryAgentApi implements AgentApi {
  step: EnrolmentStep = 'welcome';
  consent = false;
  keystrokes = 0;
  mouseActions = 0;
  state: AgentState = 'not-enrolled';
  trust: number | null = null;
  captureAvailable = true;
  captureProblem: string | null = null;
  history: TrustPoint[] = [];
  decisions: DecisionView[] = [];
  challenge: ChallengeView | null = null;
  private readonly typingTarget: number;
  private readonly mouseTarget: number;
  readonly policy: PolicyView;
  private readonly now: () => number;
  private since: number;

  constructor(opts: MemoryAgentOptions = {}) {
    this.typingTarget = opts.typingTarget ?? 400;
    this.mouseTarget = opts.mouseTarget ?? 60;
    this.now = opts.now ?? Date.now;
    this.since = this.now();
    this.policy = {
      sensitivity: 'balanced',
      idleMinutes: 10,
      challengeAttempts: 3,
      channels: { keystroke: true, mouse: true },
      adaptation: true,
      allowPause: true,
      allowQuit: false,
      retentionDays: 30,
      source: '/etc/cadence/policy.json',
      ...opts.policy,
    };
  }

  /** What the capture process would report: the only thing that moves the task bars. */
  captureKeystrokes(n: number): void {
    this.keystrokes += n;
  }

  captureMouseActions(n: number): void {
    this.mouseActions += n;
  }

  startChallenge(phrase: string, expiresInMs: number): void {
    this.state = 'challenge';
    this.challenge = { phrase, attemptsLeft: this.policy.challengeAttempts, expiresAt: this.now() + expiresInMs };
  }

  private quality(): ProfileQuality | null {
    if (this.keystrokes === 0) return null;
    const coverage = Math.min(1, this.keystrokes / (this.typingTarget * 1.25));
    return { keystrokes: this.keystrokes, mouseActions: this.mouseActions, digraphCoverage: coverage, stability: 0.86, ready: this.keystrokes >= this.typingTarget };
  }

  private enrolment(): EnrolmentView {
    return {
      step: this.step,
      consentGiven: this.consent,
      typing: {
        captured: this.keystrokes,
        target: this.typingTarget,
        sentences: ['The quick brown fox jumps over the lazy dog.', 'Pack my box with five dozen liquor jugs.', 'A journey of a thousand miles begins with one step.'],
      },
      mouse: { captured: this.mouseActions, target: this.mouseTarget },
      quality: this.step === 'result' || this.step === 'done' ? this.quality() : null,
    };
  }

  private status(): StatusView {
    const missing: string[] = [];
    if (this.keystrokes < this.typingTarget) missing.push(`${this.typingTarget - this.keystrokes} more key presses`);
    return {
      state: this.state,
      trust: this.trust,
      captureAvailable: this.captureAvailable,
      captureProblem: this.captureProblem,
      keystrokesCollected: this.keystrokes,
      mouseActionsCollected: this.mouseActions,
      quality: this.quality(),
      missing,
      since: this.since,
    };
  }

  async getStatus(): Promise<Result<StatusView>> {
    return { ok: true, value: this.status() };
  }

  async getEnrolment(): Promise<Result<EnrolmentView>> {
    return { ok: true, value: this.enrolment() };
  }

  async setEnrolmentStep(step: EnrolmentStep): Promise<Result<EnrolmentView>> {
    const to = ORDER.indexOf(step);
    if (to > ORDER.indexOf('consent') && !this.consent) {
      return { ok: false, code: 'consent-required', message: 'Please agree to what Cadence records before the tasks.' };
    }
    if (step === 'mouse' && this.keystrokes < this.typingTarget) {
      return { ok: false, code: 'typing-incomplete', message: 'The typing task is not finished yet.' };
    }
    this.step = step;
    if (step === 'typing' || step === 'mouse') this.state = 'enrolling';
    if (step === 'done') {
      this.state = 'learning';
      this.since = this.now();
    }
    return { ok: true, value: this.enrolment() };
  }

  async giveConsent(): Promise<Result<EnrolmentView>> {
    this.consent = true;
    this.step = 'typing';
    this.state = 'enrolling';
    return { ok: true, value: this.enrolment() };
  }

  async getTrustHistory(sinceMs: number): Promise<Result<TrustPoint[]>> {
    return { ok: true, value: this.history.filter((p) => p.t >= sinceMs) };
  }

  async getDecisions(limit: number): Promise<Result<DecisionView[]>> {
    return { ok: true, value: [...this.decisions].sort((a, b) => b.t - a.t).slice(0, limit) };
  }

  async getChallenge(): Promise<Result<ChallengeView | null>> {
    return { ok: true, value: this.challenge };
  }

  async submitChallenge(typed: string): Promise<Result<ChallengeOutcome>> {
    const c = this.challenge;
    if (!c) return { ok: false, code: 'no-challenge', message: 'No check is waiting.' };
    if (typed === c.phrase) {
      this.challenge = null;
      this.state = 'protected';
      return { ok: true, value: { passed: true, attemptsLeft: c.attemptsLeft, next: 'protected', reason: 'Your typing rhythm matched.' } };
    }
    c.attemptsLeft -= 1;
    if (c.attemptsLeft <= 0) {
      this.challenge = null;
      this.state = 'locked';
      return { ok: true, value: { passed: false, attemptsLeft: 0, next: 'locked', reason: 'No attempts left.' } };
    }
    return { ok: true, value: { passed: false, attemptsLeft: c.attemptsLeft, next: 'retry', reason: 'The phrase was typed differently.' } };
  }

  async getPolicy(): Promise<Result<PolicyView>> {
    return { ok: true, value: this.policy };
  }

  async setPaused(paused: boolean): Promise<Result<StatusView>> {
    if (!this.policy.allowPause) return { ok: false, code: 'policy', message: 'Your IT team does not allow pausing Cadence.' };
    this.state = paused ? 'paused' : 'protected';
    return { ok: true, value: this.status() };
  }
}
