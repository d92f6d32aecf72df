/**
 * In-memory implementations of the engine's OWN port interfaces
 * (src/main/engine/ports.ts), for tests. They are test doubles of our ports,
 * not of the real store, lock or policy modules: those are tested by their
 * owners, and the headless agent's wiring test covers the adapters.
 */
import type { TrustPoint } from '../../../../src/main/api/agent-api';
import type { KeystrokeWindow } from '../../../../src/model/keystroke-windows';
import type { MouseActionFeatures } from '../../../../src/model/mouse-features';
import type {
  AuditEvent,
  Clock,
  EnginePolicy,
  EngineStore,
  EnrolmentData,
  Locker,
  LockResult,
  PolicySource,
  TimerHandle,
} from '../../../../src/main/engine/ports';

/** Keeps everything as JSON text, as a real store would, so nothing shares references with the engine. */
export class MemoryStore implements EngineStore {
  state: string | null = null;
  readonly events: AuditEvent[] = [];
  readonly trust: TrustPoint[] = [];
  keystrokeWindows: string[] = [];
  mouseActions: string[] = [];
  profile: string | null = null;
  commits = 0;

  loadState(): unknown | null {
    return this.state === null ? null : JSON.parse(this.state);
  }
  commit(state: unknown, events: readonly AuditEvent[]): void {
    this.state = JSON.stringify(state);
    for (const e of events) this.events.push(JSON.parse(JSON.stringify(e)) as AuditEvent);
    this.commits++;
  }
  appendTrust(point: TrustPoint): void {
    this.trust.push({ ...point });
  }
  trustSince(sinceMs: number): TrustPoint[] {
    return this.trust.filter((p) => p.t >= sinceMs);
  }
  recentEvents(limit: number): AuditEvent[] {
    return this.events.slice(-limit).reverse();
  }
  addEnrolmentKeystrokeWindow(window: KeystrokeWindow): void {
    this.keystrokeWindows.push(JSON.stringify(window));
  }
  addEnrolmentMouseActions(actions: readonly MouseActionFeatures[]): void {
    for (const a of actions) this.mouseActions.push(JSON.stringify(a));
  }
  loadEnrolment(): EnrolmentData {
    return {
      keystrokeWindows: this.keystrokeWindows.map((s) => JSON.parse(s) as KeystrokeWindow),
      mouseActions: this.mouseActions.map((s) => JSON.parse(s) as MouseActionFeatures),
    };
  }
  saveProfile(json: unknown): void {
    this.profile = JSON.stringify(json);
  }
  loadProfile(): unknown | null {
    return this.profile === null ? null : JSON.parse(this.profile);
  }
  /** Everything written, as one string: for "never stored" assertions. */
  dump(): string {
    return JSON.stringify([this.state, this.events, this.trust, this.keystrokeWindows, this.mouseActions, this.profile]);
  }
}

/** Time that moves only when the test says so; timers fire in order as it passes them. */
export class ManualClock implements Clock {
  private timers: { at: number; fn: () => void; live: boolean }[] = [];
  constructor(public t = Date.UTC(2026, 10, 28, 9, 0, 0)) {}
  now(): number {
    return this.t;
  }
  setTimer(ms: number, fn: () => void): TimerHandle {
    const timer = { at: this.t + ms, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => (timer.live = false) };
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.live && x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.live = false;
      this.t = due.at;
      due.fn();
    }
    this.t = end;
    this.timers = this.timers.filter((x) => x.live);
  }
}

export class RecordingLocker implements Locker {
  readonly calls: (readonly string[] | undefined)[] = [];
  constructor(public next: () => LockResult = () => ({ ok: true, method: 'test-lock-command' })) {}
  async lock(command?: readonly string[]): Promise<LockResult> {
    this.calls.push(command);
    return this.next();
  }
}

export const DEFAULT_TEST_POLICY: EnginePolicy = {
  sensitivity: 'balanced',
  idleMinutes: 5,
  challengeAttempts: 3,
  challengeTimeoutSeconds: 60,
  channels: { keystroke: true, mouse: true },
  lockCommand: null,
  adaptation: true,
  allowPause: true,
  allowQuit: true,
  retentionDays: 30,
  source: 'test',
};

export class MemoryPolicy implements PolicySource {
  private readonly listeners = new Set<(p: EnginePolicy) => void>();
  constructor(public policy: EnginePolicy = DEFAULT_TEST_POLICY) {}
  current(): EnginePolicy {
    return this.policy;
  }
  onChange(listener: (p: EnginePolicy) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(changes: Partial<EnginePolicy>): void {
    this.policy = { ...this.policy, ...changes };
    for (const l of this.listeners) l(this.policy);
  }
}
