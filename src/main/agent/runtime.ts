import fs from 'node:fs';
import type { AgentApi } from '../api/agent-api';
import { startCapture, type CaptureHandle, type CaptureSpawner, type CaptureStatus } from '../capture/supervisor';
import { Engine, type EngineEvent } from '../engine/engine';
import { createAgentApi } from '../engine/agent-api-impl';
import { CadenceModel, type CadenceProfile } from '../engine/cadence-model';
import type { Clock, EngineStore } from '../engine/ports';
import { lockSession } from '../lock/lock';
import { PolicyManager } from '../policy/policy-manager';
import { dataDir as defaultDataDir, databasePath } from '../paths';
import { Store } from '../store/store';
import { engineStoreOf } from '../store/engine-store';
import { mergeKeystrokeWindows, type KeystrokeWindow } from '../../model/keystroke-windows';

/**
 * The agent, wired once: store, policy, engine, OS lock and capture. The
 * headless agent (`cadence agent`) and the Electron shell both start it here;
 * the shell only adds tray and windows on top.
 */

/**
 * The capture process sends windows this small so that scripted input is
 * challenged within 20 keystrokes (the engine checks regularity on every
 * arrival). What is stored and what the profile is calibrated on are merged
 * 25-keystroke windows (STORED_WINDOW_KEYSTROKES): the model's window size,
 * and a larger bag of hashed pairs says less about any one thing typed. It
 * divides 25, so merged windows (stored, and the engine's trust steps) are
 * exactly 25 keystrokes, as in the evaluation: with 10 they were 30.
 */
export const CAPTURE_WINDOW_KEYSTROKES = 5;
export const STORED_WINDOW_KEYSTROKES = 25;

export interface AgentRuntimeOptions {
  /** Data folder; default paths.ts dataDir(). */
  dataDir?: string;
  /** Environment of the capture child (DISPLAY...); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Electron passes a utilityProcess spawner; default fork. */
  captureSpawner?: CaptureSpawner;
  /** One line per thing worth telling a person (never event data). */
  log?: (line: string) => void;
  /** Receives every engine event (state, trust, challenge, lock, enrolment). */
  onEvent?: (e: EngineEvent) => void;
  /** Receives activity counts (for live progress). */
  onActivity?: (counts: { keystrokes: number; mouseActions: number }) => void;
}

export interface AgentRuntime {
  readonly api: AgentApi;
  readonly engine: Engine<CadenceProfile>;
  readonly store: Store;
  readonly policy: PolicyManager;
  /** Capture's current status (running, unavailable: why). */
  captureStatus(): CaptureStatus;
  /** The challenge window was closed or escaped: hand over to the OS lock. */
  challengeDismissed(): void;
  /** Stops capture, timers and the store; resolves when everything is closed. */
  dispose(): Promise<void>;
}

/**
 * Merges small capture windows into STORED_WINDOW_KEYSTROKES-sized ones
 * before they reach the store. At most one partial window is held in memory;
 * it is dropped on exit (fewer than 25 keystrokes' timing).
 */
export class WindowMerger {
  private buf: KeystrokeWindow[] = [];
  private n = 0;
  constructor(
    private readonly size: number,
    private readonly emit: (w: KeystrokeWindow) => void,
  ) {}
  add(w: KeystrokeWindow): void {
    this.buf.push(w);
    this.n += w.keystrokes;
    if (this.n >= this.size) {
      const merged = this.buf.length === 1 ? this.buf[0]! : mergeKeystrokeWindows(this.buf);
      this.buf = [];
      this.n = 0;
      this.emit(merged);
    }
  }
}

const realClock: Clock = {
  now: Date.now,
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

const DAY_MS = 24 * 60 * 60 * 1000;

export async function startAgentRuntime(opts: AgentRuntimeOptions = {}): Promise<AgentRuntime> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`cadence: ${line}\n`));
  const dir = opts.dataDir ?? defaultDataDir();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });

  const store = Store.open({ path: databasePath(dir) });
  if (store.report.quarantine) log(store.report.quarantine.message);
  if (store.report.created) log(`new database at ${store.path}`);

  const policy = new PolicyManager({ persistence: store });
  const reportPolicy = (problems: readonly string[], kept: string | null): void => {
    if (problems.length === 0) return;
    log(`policy rejected (${kept ? `keeping the ${kept} policy` : 'keeping the policy in force'}): ${problems.join('; ')}`);
    store.appendAudit('policy-rejected', { problems: problems.join('; ') });
  };
  const first = policy.lastResult();
  reportPolicy(first.problems, first.kept);
  const unProblems = policy.onProblems((load) => reportPolicy(load.problems, load.kept));
  const watcher = policy.watch();

  const pruneOnce = (): void => {
    try {
      store.prune(policy.current().retentionDays);
    } catch (err) {
      log(`retention pruning failed: ${(err as Error).message}`);
    }
  };
  pruneOnce();
  const pruneTimer = setInterval(pruneOnce, DAY_MS);
  pruneTimer.unref();

  // Enrolment windows reach the store merged, like live ones (see CAPTURE_WINDOW_KEYSTROKES).
  const base = engineStoreOf(store);
  const enrolMerger = new WindowMerger(STORED_WINDOW_KEYSTROKES, (w) => base.addEnrolmentKeystrokeWindow(w));
  const engineStore: EngineStore = { ...base, addEnrolmentKeystrokeWindow: (w) => enrolMerger.add(w) };
  const liveMerger = new WindowMerger(STORED_WINDOW_KEYSTROKES, (w) =>
    store.addKeystrokeWindows([{ t: Date.now(), purpose: 'live', window: w }]),
  );

  const engine = new Engine<CadenceProfile>({
    store: engineStore,
    locker: { lock: (command) => lockSession(command ? { command } : {}) },
    clock: realClock,
    model: new CadenceModel(),
    policy,
  });
  const unEvents = engine.on((e) => {
    if (e.type === 'state') log(`state: ${e.from} -> ${e.to} (${e.reason})`);
    if (e.type === 'lock') log(e.result.ok ? `OS lock: ${e.result.method}` : `OS lock failed: ${e.result.message}`);
    opts.onEvent?.(e);
  });

  let outageOpen = false;
  const capture: CaptureHandle = startCapture({
    secret: store.featureSecret(),
    windowSize: CAPTURE_WINDOW_KEYSTROKES,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.captureSpawner ? { spawn: opts.captureSpawner } : {}),
    onKeystrokeWindow: (w) => {
      const state = engine.state;
      engine.addKeystrokeWindow(w);
      // Enrolment windows are stored by the engine; the rest are kept as live features.
      if (state !== 'enrolling' && state !== 'learning' && state !== 'not-enrolled') liveMerger.add(w);
    },
    onMouseActions: (actions) => {
      const state = engine.state;
      engine.addMouseActions(actions);
      if (state !== 'enrolling' && state !== 'learning' && state !== 'not-enrolled') {
        const t = Date.now();
        store.addMouseActions(actions.map((action) => ({ t, purpose: 'live' as const, action })));
      }
    },
    onActivity: (counts) => {
      engine.noteActivity(counts);
      opts.onActivity?.(counts);
    },
    onStatus: (s) => {
      log(s.message || `capture ${s.state}`);
      if (s.state === 'running') {
        if (outageOpen) engine.captureRestored();
        outageOpen = false;
      } else if (s.state === 'unavailable' || s.state === 'restarting') {
        outageOpen = true;
        engine.captureOutage(s.message);
      }
    },
    onOutage: (o) => {
      store.recordOutage(o);
      log(`capture outage recorded: ${Math.round((o.end - o.start) / 1000)} s (${o.reason})`);
    },
    onProtocolError: (m) => log(`capture protocol error (message dropped): ${m}`),
  });

  let disposed = false;
  return {
    api: createAgentApi(engine),
    engine,
    store,
    policy,
    captureStatus: () => capture.status,
    challengeDismissed: () => void engine.dismissChallenge(),
    async dispose() {
      if (disposed) return;
      disposed = true;
      await capture.dispose();
      await engine.settled();
      unEvents();
      engine.dispose();
      unProblems();
      watcher.dispose();
      policy.dispose();
      clearInterval(pruneTimer);
      store.close();
    },
  };
}
