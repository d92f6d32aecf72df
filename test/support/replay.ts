/**
 * Real OS input for tests: replays a timed list of key and pointer events
 * through XTest (native/src/xtest_replay.cc) on an X display, scheduled against
 * CLOCK_MONOTONIC in a worker thread, so the JS event loop stays free for the
 * code under test. Linux/X11 only; build it with `node scripts/build-native.js`.
 */
import type { Keystroke } from '../../src/model/keystrokes';
import { loadNativeAddon, NativeAddonMissingError } from '../../src/main/lock/native-addon';
import { keyForLabel } from './keymap';

/** Milliseconds from the start of the replay; events must be in time order. */
export type ReplayEvent =
  | { readonly at: number; readonly type: 'keydown' | 'keyup'; /** X keysym name ("a", "shift_l") or X keycode. */ readonly key: string | number }
  | { readonly at: number; readonly type: 'move'; readonly x: number; readonly y: number }
  | { readonly at: number; readonly type: 'buttondown' | 'buttonup'; /** 1 left, 2 middle, 3 right. */ readonly button: number };

export interface ReplayOptions {
  /** Time from setup (display open, keys resolved) to offset 0. Default 10 ms. */
  readonly leadMs?: number;
  /** Run the replay thread and a local X server SCHED_FIFO while replaying, where permitted. Default true. */
  readonly realtime?: boolean;
}

export interface ReplayResult {
  /** CLOCK_MONOTONIC ms of offset 0: the X server's clock, as uiohook's `event.time`. */
  readonly startMs: number;
  /** Per event: monotonic ms just before it was sent. */
  readonly injectedMs: readonly number[];
  /** Per event: monotonic ms after XSync returned; the server's timestamp is between the two. */
  readonly syncedMs: readonly number[];
  /** Whether real-time scheduling was granted (it needs root or CAP_SYS_NICE). */
  readonly realtime: { readonly replayThread: boolean; readonly xServer: boolean };
}

interface XTestReplayAddon {
  replay(display: string, events: readonly ReplayEvent[], options?: ReplayOptions): Promise<ReplayResult>;
  monotonicNowMs(): number;
}

export const XTEST_UNAVAILABLE_REASON =
  process.platform !== 'linux' ? 'XTest replay is Linux/X11 only' : 'the XTest addon is not built: run `node scripts/build-native.js`';

let addon: XTestReplayAddon | null = null;

function load(): XTestReplayAddon {
  if (addon) return addon;
  if (process.platform !== 'linux') throw new Error(XTEST_UNAVAILABLE_REASON);
  try {
    addon = loadNativeAddon<XTestReplayAddon>('xtest_replay');
  } catch (e) {
    if (e instanceof NativeAddonMissingError) throw new Error(XTEST_UNAVAILABLE_REASON);
    throw e;
  }
  return addon;
}

/** Null when replay can run here, otherwise a one-line skip reason. */
export function xtestUnavailableReason(): string | null {
  try {
    load();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Replays `events` on `display` (e.g. ":117"); rejects on a display or keysym problem. */
export function replay(display: string, events: readonly ReplayEvent[], options: ReplayOptions = {}): Promise<ReplayResult> {
  return load().replay(display, events, options);
}

/** CLOCK_MONOTONIC now, in ms: the clock of `startMs` and of X event times. */
export function monotonicNowMs(): number {
  return load().monotonicNowMs();
}

const ORDER_AT_SAME_TIME: Record<ReplayEvent['type'], number> = { move: 0, keyup: 1, buttonup: 1, keydown: 2, buttondown: 2 };

/**
 * Merges event lists into one in time order. At equal times moves go first
 * (a click lands where the pointer arrived, a drag ends where it was
 * released), then releases, then presses (a key released and pressed again in
 * the same millisecond stays a release followed by a press). Stable otherwise.
 */
export function mergeEvents(...lists: ReadonlyArray<readonly ReplayEvent[]>): ReplayEvent[] {
  return lists
    .flat()
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || ORDER_AT_SAME_TIME[a.e.type] - ORDER_AT_SAME_TIME[b.e.type] || a.i - b.i)
    .map(({ e }) => e);
}

export interface KeystrokeReplayOptions {
  /** Offset of the first press. Default 0. */
  readonly startAt?: number;
}

/**
 * Key events for recorded keystrokes: labels are mapped to X keys
 * (test/support/keymap.ts) and times shifted so the earliest press is at
 * `startAt`. A key pressed again before its release, or a release before its
 * press, is an error naming the keystroke.
 */
export function keystrokesToEvents(strokes: readonly Keystroke[], opts: KeystrokeReplayOptions = {}): ReplayEvent[] {
  if (strokes.length === 0) return [];
  const origin = Math.min(...strokes.map((k) => k.press));
  const shift = (opts.startAt ?? 0) - origin;
  const events: ReplayEvent[] = [];
  strokes.forEach((k, i) => {
    if (!Number.isFinite(k.press) || !Number.isFinite(k.release) || k.release < k.press) {
      throw new Error(`keystroke ${i} (${JSON.stringify(k.key)}): release ${k.release} is not a time at or after press ${k.press}`);
    }
    const { keysym } = keyForLabel(k.key);
    events.push({ at: k.press + shift, type: 'keydown', key: keysym }, { at: k.release + shift, type: 'keyup', key: keysym });
  });
  const merged = mergeEvents(events);
  const down = new Set<string>();
  for (const e of merged) {
    if (e.type !== 'keydown' && e.type !== 'keyup') continue;
    const key = String(e.key);
    if (e.type === 'keydown') {
      if (down.has(key)) throw new Error(`key ${key} is pressed again at ${e.at - shift} before its earlier press was released`);
      down.add(key);
    } else down.delete(key);
  }
  return merged;
}

/**
 * The keystrokes as they were actually sent: per keydown in replay order, its
 * press and the matching keyup's release, in ms from offset 0 of `result`,
 * from the monotonic time just before each event went to the X server. Tests
 * compare captured timings with these, not with the schedule, so a late
 * wake-up of the replay thread on a busy machine is not counted as a capture
 * error; `latenessMs` says how far the schedule slipped.
 */
export function injectedKeystrokes(events: readonly ReplayEvent[], result: ReplayResult): { strokes: { press: number; release: number }[]; latenessMs: number } {
  if (result.injectedMs.length !== events.length) throw new Error(`replay result has ${result.injectedMs.length} times for ${events.length} events`);
  const strokes: { press: number; release: number }[] = [];
  const open = new Map<string, number>();
  let latenessMs = 0;
  events.forEach((e, i) => {
    const sent = result.injectedMs[i]! - result.startMs;
    latenessMs = Math.max(latenessMs, sent - e.at);
    if (e.type !== 'keydown' && e.type !== 'keyup') return;
    const key = String(e.key);
    if (e.type === 'keydown') {
      open.set(key, strokes.length);
      strokes.push({ press: sent, release: Number.NaN });
    } else {
      const at = open.get(key);
      if (at === undefined) throw new Error(`key ${key} released at ${e.at} without a press`);
      strokes[at]!.release = sent;
      open.delete(key);
    }
  });
  if (open.size > 0) throw new Error(`${open.size} keys never released in the replay`);
  return { strokes, latenessMs };
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface TimedPoint extends Point {
  /** Ms from the start of the replay. */
  readonly t: number;
}

/** Pointer moves through the given points at their times. */
export function movePath(points: readonly TimedPoint[]): ReplayEvent[] {
  return points.map((p) => ({ at: p.t, type: 'move' as const, x: p.x, y: p.y }));
}

/** Move to a point, then press and release a button there. */
export function click(at: number, p: Point, opts: { holdMs?: number; button?: number } = {}): ReplayEvent[] {
  const button = opts.button ?? 1;
  const hold = opts.holdMs ?? 80;
  return [
    { at, type: 'move', x: p.x, y: p.y },
    { at, type: 'buttondown', button },
    { at: at + hold, type: 'buttonup', button },
  ];
}

/**
 * Press at `from`, move in `steps` equal time steps along a straight line
 * to `to` over `durationMs`, release there.
 */
export function drag(at: number, from: Point, to: Point, durationMs: number, opts: { steps?: number; button?: number } = {}): ReplayEvent[] {
  const steps = opts.steps ?? Math.max(2, Math.round(durationMs / 16));
  const button = opts.button ?? 1;
  if (!(durationMs > 0) || !Number.isInteger(steps) || steps < 1) throw new Error(`drag needs durationMs > 0 and steps >= 1 (got ${durationMs}, ${steps})`);
  const events: ReplayEvent[] = [
    { at, type: 'move', x: from.x, y: from.y },
    { at, type: 'buttondown', button },
  ];
  for (let s = 1; s <= steps; s++) {
    const f = s / steps;
    events.push({ at: at + durationMs * f, type: 'move', x: Math.round(from.x + (to.x - from.x) * f), y: Math.round(from.y + (to.y - from.y) * f) });
  }
  events.push({ at: at + durationMs, type: 'buttonup', button });
  return events;
}
