import { fork } from 'node:child_process';
import path from 'node:path';
import type { KeystrokeWindow } from '../../model/keystroke-windows';
import type { MouseActionFeatures } from '../../model/mouse-features';
import type { DisplayCause } from './display';
import { MIN_SECRET_BYTES } from './feature-keyer';
import { parseChildMessage } from './child-message-schema';
import {
  DEFAULT_WINDOW_SIZE,
  EXIT_DISPLAY_UNUSABLE,
  type ActivityCounts,
  type CaptureStats,
  type ChildMessage,
  type ParentMessage,
} from './protocol';

/**
 * The parent side of capture: runs the capture child, restarts it with capped
 * exponential backoff when it crashes, retries slowly while the display is
 * unusable, and records every gap in capture as an outage. Everything it
 * starts (child, timers, exit hook) is released by dispose().
 */

export type { ActivityCounts, CaptureStats } from './protocol';
export type { DisplayCause } from './display';

export type CaptureState = 'starting' | 'running' | 'restarting' | 'unavailable' | 'stopped';

export interface CaptureStatus {
  readonly state: CaptureState;
  /** One line for people, e.g. "capture unavailable: this is a Wayland session: ...". */
  readonly message: string;
  /** Why capture is not running (unavailable, restarting). */
  readonly cause?: DisplayCause | 'crash' | 'bad-start';
  /** Epoch ms when this status began. */
  readonly since: number;
}

/** A span during which capture was wanted but not running. */
export interface CaptureOutage {
  /** Epoch ms. */
  readonly start: number;
  /** Epoch ms. */
  readonly end: number;
  /** What ended capture (the first failure of the span), one line. */
  readonly reason: string;
  /** Start attempts that failed during the span. */
  readonly failedAttempts: number;
}

/**
 * The parent's seam to one capture child. `forkCaptureChild` is the Node
 * implementation; the Electron shell provides one over utilityProcess (src/main/electron/capture-utility.ts).
 */
export interface CaptureProcess {
  readonly pid: number | undefined;
  send(message: ParentMessage): void;
  onMessage(listener: (raw: unknown) => void): void;
  /** Called once; `code` null when killed by `signal`. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Lines the child wrote to stderr (its own one-line diagnostics; never event data). */
  onStderrLine(listener: (line: string) => void): void;
  /** Ends the child at once (SIGKILL). */
  kill(): void;
}

export type CaptureSpawner = (env: NodeJS.ProcessEnv) => CaptureProcess;

export interface RestartPolicy {
  /** First restart delay after a crash, ms. */
  readonly initialMs: number;
  /** Cap of the doubling delay, ms. */
  readonly maxMs: number;
  /** Retry interval while the display is unusable, ms. */
  readonly unavailableMs: number;
  /** A child that ran this long resets the backoff, ms. */
  readonly stableMs: number;
}

export const DEFAULT_RESTART: RestartPolicy = { initialMs: 500, maxMs: 30_000, unavailableMs: 30_000, stableMs: 60_000 };

export interface CaptureOptions {
  /** Per-install secret for the HMAC feature ids (>= 16 bytes). Kept by the caller. */
  readonly secret: Uint8Array;
  /** Environment of the child (DISPLAY, XDG_SESSION_TYPE, ...); defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Keystrokes per window (default 25). */
  readonly windowSize?: number;
  /** How often mouse-action features are batched, ms (default 1000). */
  readonly mouseBatchMs?: number;
  /** Minimum interval between activity updates, ms (default 250). */
  readonly activityMs?: number;
  /** Interval between child stats, ms (default 10000); a child silent for 3 intervals is restarted. */
  readonly statsMs?: number;
  readonly restart?: Partial<RestartPolicy>;
  readonly onKeystrokeWindow: (window: KeystrokeWindow) => void;
  readonly onMouseActions: (actions: readonly MouseActionFeatures[]) => void;
  /** Counts since startCapture (summed over child restarts), for live progress. */
  readonly onActivity?: (counts: ActivityCounts) => void;
  /** Counters of the current child (pairer, segmenter, errors). */
  readonly onStats?: (stats: CaptureStats) => void;
  readonly onStatus?: (status: CaptureStatus) => void;
  readonly onOutage?: (outage: CaptureOutage) => void;
  /** A message from the child that broke the protocol (it is dropped). */
  readonly onProtocolError?: (message: string) => void;
  /** Replaces fork (the Electron shell passes a utilityProcess spawner). */
  readonly spawn?: CaptureSpawner;
}

export interface CaptureHandle {
  readonly status: CaptureStatus;
  /** Pid of the running child, if any. */
  readonly pid: number | undefined;
  /** Stops the child (gracefully, then SIGKILL after 3 s) and every timer; idempotent. */
  dispose(): Promise<void>;
}

/** Compiled next to this file in dist/, so the path holds after `tsc`. */
export const CAPTURE_CHILD_PATH = path.join(__dirname, 'capture-child.js');

export function forkCaptureChild(env: NodeJS.ProcessEnv): CaptureProcess {
  const child = fork(CAPTURE_CHILD_PATH, [], {
    env,
    execArgv: [], // never inherit the parent's --test / --inspect flags
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  const exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
  child.once('exit', (code, signal) => {
    for (const l of exitListeners) l(code, signal);
  });
  // A failed send (child already gone) surfaces as 'error'; the exit handler deals with it.
  child.on('error', () => undefined);
  let partial = '';
  const lineListeners: Array<(line: string) => void> = [];
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    partial += d;
    let i: number;
    while ((i = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, i).trim();
      partial = partial.slice(i + 1);
      if (line) for (const l of lineListeners) l(line);
    }
    if (partial.length > 4096) partial = partial.slice(-4096);
  });
  return {
    get pid() {
      return child.pid;
    },
    send(message) {
      if (child.connected) child.send(message);
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      exitListeners.push(listener);
    },
    onStderrLine(listener) {
      lineListeners.push(listener);
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

const STOP_GRACE_MS = 3000;
/** From fork to 'ready': Node start-up, the display probe (<= 3 s) and loading the hook. */
const START_DEADLINE_MS = 20_000;
const CHILD_LINE_PREFIX = 'cadence capture: ';
/** uiohook-napi's own message when Xlib cannot open the display (e.g. refused credentials). */
const SAFE_NATIVE_LINES = new Set(["Couldn't find per display information"]);
const DISPLAY_CAUSES: readonly DisplayCause[] = ['no-display', 'wayland', 'dead-x-server', 'bad-display-name', 'unsupported-platform'];

/** The cause named in the child's one-line refusal, "cadence capture: capture unavailable (<cause>): ...". */
function causeFromLine(line: string): DisplayCause | undefined {
  const m = /^cadence capture: capture unavailable \(([a-z-]+)\)/.exec(line);
  return DISPLAY_CAUSES.find((c) => c === m?.[1]);
}

export function startCapture(opts: CaptureOptions): CaptureHandle {
  if (opts.secret.length < MIN_SECRET_BYTES) {
    throw new RangeError(`capture secret must be at least ${MIN_SECRET_BYTES} bytes, got ${opts.secret.length}`);
  }
  const windowSize = opts.windowSize ?? DEFAULT_WINDOW_SIZE;
  if (!Number.isInteger(windowSize) || windowSize < 2) throw new RangeError(`windowSize must be an integer >= 2, got ${windowSize}`);
  const policy: RestartPolicy = { ...DEFAULT_RESTART, ...opts.restart };
  const statsMs = opts.statsMs ?? 10_000;
  // The child sends stats every statsMs even when idle: three missed in a row means it is hung.
  const silenceMs = 3 * statsMs + 1000;
  const spawn = opts.spawn ?? forkCaptureChild;
  const env = opts.env ?? process.env;
  const startMessage: ParentMessage = {
    type: 'start',
    config: {
      secret: Buffer.from(opts.secret).toString('base64'),
      windowSize,
      mouseBatchMs: opts.mouseBatchMs ?? 1000,
      activityMs: opts.activityMs ?? 250,
      statsMs,
    },
  };

  let status: CaptureStatus = { state: 'starting', message: 'capture starting', since: Date.now() };
  let child: CaptureProcess | null = null;
  let childExited: Promise<void> = Promise.resolve();
  let retryTimer: NodeJS.Timeout | null = null;
  let disposed = false;
  let crashes = 0;
  let readyAt: number | null = null;
  // Capture is wanted from the start: a first launch that fails is an outage too.
  let outage: { start: number; reason: string | null; failedAttempts: number } | null = null;
  const startedAt = Date.now();
  const base = { keystrokes: 0, mouseActions: 0 };
  let current = { keystrokes: 0, mouseActions: 0 };

  const setStatus = (s: Omit<CaptureStatus, 'since'>): void => {
    status = { ...s, since: Date.now() };
    opts.onStatus?.(status);
  };

  const closeOutage = (end: number, suffix = ''): void => {
    if (!outage) return;
    const o = outage;
    outage = null;
    opts.onOutage?.({ start: o.start, end, reason: (o.reason ?? 'capture was not running') + suffix, failedAttempts: o.failedAttempts });
  };

  const onChildMessage = (raw: unknown, fatal: { value: ChildMessage | null }): void => {
    const p = parseChildMessage(raw);
    if (!p.ok) {
      opts.onProtocolError?.(p.error);
      return;
    }
    const m = p.message;
    switch (m.type) {
      case 'ready':
        readyAt = Date.now();
        closeOutage(readyAt);
        setStatus({ state: 'running', message: m.note ? `capture running (${m.note})` : 'capture running' });
        break;
      case 'keystroke-window':
        opts.onKeystrokeWindow(m.window);
        break;
      case 'mouse-actions':
        opts.onMouseActions(m.actions);
        break;
      case 'activity':
        current = { ...m.counts };
        opts.onActivity?.({ keystrokes: base.keystrokes + current.keystrokes, mouseActions: base.mouseActions + current.mouseActions });
        break;
      case 'stats':
        opts.onStats?.(m.stats);
        break;
      case 'fatal':
        fatal.value = m;
        break;
    }
  };

  const launch = (): void => {
    retryTimer = null;
    if (disposed) return;
    const fatal: { value: ChildMessage | null } = { value: null };
    let lastLine = '';
    const launchedAt = Date.now();
    const proc = spawn(env);
    child = proc;
    readyAt = null;
    // Watchdog: a child that says nothing (not even its periodic stats) is
    // hung, e.g. stuck in the hook; end it so it is restarted like a crash.
    let hung = false;
    let watchdog: NodeJS.Timeout | null = null;
    const arm = (ms: number): void => {
      if (watchdog) clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        hung = true;
        proc.kill();
      }, ms);
    };
    arm(START_DEADLINE_MS);
    childExited = new Promise((resolve) => {
      proc.onExit((code, signal) => {
        if (watchdog) clearTimeout(watchdog);
        if (child === proc) child = null;
        onExit(code, signal, fatal.value, lastLine, launchedAt, hung);
        resolve();
      });
    });
    proc.onMessage((raw) => {
      if (!disposed) arm(silenceMs);
      onChildMessage(raw, fatal);
    });
    proc.onStderrLine((line) => {
      // Reasons end up in the store: keep only lines known to carry no event
      // data (libuiohook has debug lines that print key codes, off in its
      // release build, but never trust that).
      if (line.startsWith(CHILD_LINE_PREFIX) || SAFE_NATIVE_LINES.has(line)) lastLine = line;
    });
    proc.send(startMessage);
  };

  const onExit = (code: number | null, signal: string | null, fatal: ChildMessage | null, lastLine: string, launchedAt: number, hung: boolean): void => {
    const now = Date.now();
    const ranFor = readyAt === null ? 0 : now - readyAt;
    const wasRunning = readyAt !== null;
    readyAt = null;
    base.keystrokes += current.keystrokes;
    base.mouseActions += current.mouseActions;
    current = { keystrokes: 0, mouseActions: 0 };
    if (disposed) return;

    const displayProblem = code === EXIT_DISPLAY_UNUSABLE || (fatal?.type === 'fatal' && fatal.cause !== 'crash' && fatal.cause !== 'bad-start');
    let reason: string;
    if (fatal?.type === 'fatal') reason = fatal.message;
    else if (hung) reason = wasRunning ? `capture process stopped responding (nothing for ${silenceMs} ms), restarted` : `capture process did not start within ${START_DEADLINE_MS} ms`;
    else if (signal) reason = `capture process killed by ${signal}`;
    else if (lastLine.startsWith(CHILD_LINE_PREFIX)) reason = lastLine.slice(CHILD_LINE_PREFIX.length).replace(/^capture unavailable \([a-z-]+\): /, '');
    else if (lastLine) reason = `capture process exited with code ${code}: ${lastLine}`;
    else reason = `capture process exited with code ${code}`;

    if (!outage) outage = { start: wasRunning ? now : Math.min(launchedAt, startedAt), reason: null, failedAttempts: 0 };
    outage.reason ??= reason;
    outage.failedAttempts++;

    let delay: number;
    if (displayProblem) {
      delay = policy.unavailableMs;
      const cause = fatal?.type === 'fatal' ? fatal.cause : causeFromLine(lastLine);
      setStatus({ state: 'unavailable', cause, message: `capture unavailable: ${reason}` });
    } else {
      if (ranFor >= policy.stableMs) crashes = 0;
      delay = Math.min(policy.maxMs, policy.initialMs * 2 ** crashes);
      crashes++;
      setStatus({ state: 'restarting', cause: fatal?.type === 'fatal' ? fatal.cause : 'crash', message: `capture restarting in ${Math.round(delay / 100) / 10} s: ${reason}` });
    }
    retryTimer = setTimeout(launch, delay);
  };

  // If our process exits without dispose(), do not leave the child behind.
  // (The child also exits when its IPC channel closes.)
  const killOnExit = (): void => child?.kill();
  process.on('exit', killOnExit);

  launch();

  let disposing: Promise<void> | null = null;
  return {
    get status() {
      return status;
    },
    get pid() {
      return child?.pid;
    },
    dispose() {
      disposing ??= (async () => {
        disposed = true;
        if (retryTimer) clearTimeout(retryTimer);
        retryTimer = null;
        const proc = child;
        if (proc) {
          proc.send({ type: 'stop' });
          const grace = setTimeout(() => proc.kill(), STOP_GRACE_MS);
          await childExited;
          clearTimeout(grace);
        }
        process.removeListener('exit', killOnExit);
        closeOutage(Date.now(), ' (capture stopped before it recovered)');
        setStatus({ state: 'stopped', message: 'capture stopped' });
      })();
      return disposing;
    },
  };
}
