import { Engine, type EngineTuning } from '../../../../src/main/engine/engine';
import { seededRandom } from '../../../../src/main/engine/challenge-phrase';
import type { EnginePolicy, ProfileFactory } from '../../../../src/main/engine/ports';
import type { KeystrokeWindow } from '../../../../src/model/keystroke-windows';
import { DEFAULT_TEST_POLICY, ManualClock, MemoryPolicy, MemoryStore, RecordingLocker } from './memory-ports';
import { DoubleModel, type DoubleProfile } from './model-double';
import { mouseActions, OWNER, OWNER_MOUSE, typingWindows } from './synthetic';

export interface Harness {
  engine: Engine<DoubleProfile>;
  store: MemoryStore;
  clock: ManualClock;
  locker: RecordingLocker;
  policy: MemoryPolicy;
  model: DoubleModel;
  /** A new engine over the same store, clock, locker, policy and model: a restart after kill -9. */
  restart(): Engine<DoubleProfile>;
}

export function harness(policy: Partial<EnginePolicy> = {}, tuning: Partial<EngineTuning> = {}, parts: Partial<Omit<Harness, 'engine' | 'restart'>> = {}): Harness {
  const h = {
    store: parts.store ?? new MemoryStore(),
    clock: parts.clock ?? new ManualClock(),
    locker: parts.locker ?? new RecordingLocker(),
    policy: parts.policy ?? new MemoryPolicy({ ...DEFAULT_TEST_POLICY, ...policy }),
    model: parts.model ?? new DoubleModel(),
  } as Harness;
  const make = (): Engine<DoubleProfile> =>
    new Engine({ store: h.store, clock: h.clock, locker: h.locker, policy: h.policy, model: h.model, random: seededRandom(42), tuning });
  h.engine = make();
  h.restart = () => {
    h.engine.dispose();
    h.engine = make();
    return h.engine;
  };
  return h;
}

/** Runs the wizard with the owner's typing and mouse use, as the capture process would report them. */
export function enrol<P>(h: { engine: Engine<P>; clock: ManualClock }): void {
  const e = h.engine;
  const ok = <T>(r: { ok: boolean } & T): T => {
    if (!r.ok) throw new Error(`enrolment step failed: ${JSON.stringify(r)}`);
    return r;
  };
  ok(e.giveConsent());
  ok(e.setEnrolmentStep('typing'));
  let keys = 0;
  for (const w of typingWindows(OWNER, 1000, 1)) {
    h.clock.advance(5000);
    e.addKeystrokeWindow(w);
    keys += w.keystrokes;
    e.noteActivity({ keystrokes: keys, mouseActions: 0 });
  }
  ok(e.setEnrolmentStep('mouse'));
  const actions = mouseActions(OWNER_MOUSE, 120, 1);
  for (let i = 0; i < actions.length; i += 5) {
    h.clock.advance(2000);
    e.addMouseActions(actions.slice(i, i + 5));
    e.noteActivity({ keystrokes: keys, mouseActions: i + 5 });
  }
  ok(e.setEnrolmentStep('result'));
  ok(e.setEnrolmentStep('done'));
}

/** Feeds windows a few seconds apart (no idle gap); returns the index at which the state left `protected`, or -1. */
export function feed<P>(h: { engine: Engine<P>; clock: ManualClock }, windows: readonly KeystrokeWindow[], gapMs = 4000): number {
  for (let i = 0; i < windows.length; i++) {
    h.clock.advance(gapMs);
    h.engine.addKeystrokeWindow(windows[i]!);
    if (h.engine.state !== 'protected') return i;
  }
  return -1;
}

/** The same rig with any model behind the port (the real one: src/main/engine/cadence-model.ts). */
export interface ModelHarness<P> {
  engine: Engine<P>;
  store: MemoryStore;
  clock: ManualClock;
  locker: RecordingLocker;
  policy: MemoryPolicy;
  model: ProfileFactory<P>;
  restart(): Engine<P>;
}

export function modelHarness<P>(model: ProfileFactory<P>, policy: Partial<EnginePolicy> = {}, tuning: Partial<EngineTuning> = {}): ModelHarness<P> {
  const store = new MemoryStore();
  const clock = new ManualClock();
  const locker = new RecordingLocker();
  const source = new MemoryPolicy({ ...DEFAULT_TEST_POLICY, ...policy });
  const make = (): Engine<P> => new Engine({ store, clock, locker, policy: source, model, random: seededRandom(42), tuning });
  const h: ModelHarness<P> = {
    engine: make(),
    store,
    clock,
    locker,
    policy: source,
    model,
    restart: () => {
      h.engine.dispose();
      h.engine = make();
      return h.engine;
    },
  };
  return h;
}
