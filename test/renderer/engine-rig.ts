import { Engine } from '../../src/main/engine/engine';
import { createAgentApi } from '../../src/main/engine/agent-api-impl';
import { seededRandom } from '../../src/main/engine/challenge-phrase';
import type { AgentApi } from '../../src/main/api/agent-api';
import type { Clock, EnginePolicy, TimerHandle } from '../../src/main/engine/ports';
import type { KeystrokeWindow } from '../../src/model/keystroke-windows';
import { DEFAULT_TEST_POLICY, MemoryPolicy, MemoryStore, RecordingLocker } from '../main/engine/support/memory-ports';
import { DoubleModel, type DoubleProfile } from '../main/engine/support/model-double';
import { IMPOSTOR, mouseActions, OWNER, OWNER_MOUSE, typingWindows, type TypingStyle } from '../main/engine/support/synthetic';

/**
 * The REAL engine (src/main/engine) behind the pages, through its real
 * AgentApi (createAgentApi). Its ports are the engine team's in-memory doubles
 * (test/main/engine/support): store, lock, policy and the model double, since
 * the real adapters are wired by the headless agent, not yet committed. The
 * test plays the capture process: it feeds feature windows and activity counts
 * exactly as the capture child would, and that is the only thing that moves
 * the wizard's progress.
 */

/** Real time, so the page's countdown (Date.now in the browser) and the engine agree. */
export class WallClock implements Clock {
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Added to the real time: lets a test play out a morning's work before "now". */
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  setTimer(ms: number, fn: () => void): TimerHandle {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
    return { cancel: () => (clearTimeout(t), this.timers.delete(t)) };
  }
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

export class EngineRig {
  readonly store = new MemoryStore();
  readonly clock = new WallClock();
  readonly locker = new RecordingLocker();
  readonly policy: MemoryPolicy;
  readonly model = new DoubleModel();
  readonly engine: Engine<DoubleProfile>;
  readonly api: AgentApi;
  private counts = { keystrokes: 0, mouseActions: 0 };
  private seed = 1;

  /** `startAt`: epoch ms the engine's clock reads when it first starts (default: now). */
  constructor(policy: Partial<EnginePolicy> = {}, startAt?: number) {
    if (startAt !== undefined) this.clock.offsetMs = startAt - Date.now();
    this.policy = new MemoryPolicy({ ...DEFAULT_TEST_POLICY, source: '/etc/cadence/policy.json', ...policy });
    this.engine = new Engine({ store: this.store, clock: this.clock, locker: this.locker, policy: this.policy, model: this.model, random: seededRandom(7) });
    this.api = createAgentApi(this.engine);
    // A fresh capture child reports zero first; the engine counts from there.
    this.engine.noteActivity({ ...this.counts });
  }

  /** What the capture child reports while someone types `n` keystrokes in `style`. */
  type(n: number, style: TypingStyle = OWNER, windowSize = 10): KeystrokeWindow[] {
    const windows = typingWindows(style, n, this.seed++, windowSize);
    for (const w of windows) {
      this.engine.addKeystrokeWindow(w);
      this.counts.keystrokes += w.keystrokes;
      this.engine.noteActivity({ ...this.counts });
    }
    return windows;
  }

  /** What the capture child reports for `n` mouse actions. */
  moveMouse(n: number): void {
    const actions = mouseActions(OWNER_MOUSE, n, this.seed++);
    for (let i = 0; i < actions.length; i += 5) {
      const batch = actions.slice(i, i + 5);
      this.engine.addMouseActions(batch);
      this.counts.mouseActions += batch.length;
      this.engine.noteActivity({ ...this.counts });
    }
  }

  /** Runs the whole enrolment through the engine (not the page). */
  enrol(): void {
    const must = (r: { ok: boolean }, what: string): void => {
      if (!r.ok) throw new Error(`${what} failed: ${JSON.stringify(r)}`);
    };
    must(this.engine.giveConsent(), 'giveConsent');
    must(this.engine.setEnrolmentStep('typing'), 'typing');
    this.type(1000);
    must(this.engine.setEnrolmentStep('mouse'), 'mouse');
    this.moveMouse(60);
    must(this.engine.setEnrolmentStep('result'), 'result');
    must(this.engine.setEnrolmentStep('done'), 'done');
    if (this.engine.state !== 'protected') throw new Error(`after enrolment the engine is ${this.engine.state}, not protected`);
  }

  /** Someone else types until the engine challenges them; returns how many keystrokes that took. */
  impostorTypesUntilChallenge(max = 2000): number {
    let typed = 0;
    while (this.engine.state === 'protected' && typed < max) typed += this.type(25, IMPOSTOR, 25).reduce((a, w) => a + w.keystrokes, 0);
    if (this.engine.state !== 'challenge') throw new Error(`impostor typing led to ${this.engine.state}, not a challenge`);
    return typed;
  }

  dispose(): void {
    this.engine.dispose();
    this.clock.dispose();
  }
}
