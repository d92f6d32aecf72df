import type { KeystrokeWindow } from '../../model/keystroke-windows';
import type { PairerCounts } from '../../model/keystrokes';
import type { SegmenterCounts } from '../../model/mouse-actions';
import type { MouseActionFeatures } from '../../model/mouse-features';
import type { DisplayCause } from './display';
import { MIN_SECRET_BYTES } from './feature-keyer';

/**
 * Messages between the capture child and its parent. Only order-free feature
 * aggregates and counts cross this boundary: no key code, no key sequence, no
 * pointer path. Both sides validate every message they receive, because a
 * message is the only thing one process can make the other do: the parent
 * with a zod schema (child-message-schema.ts), the child by hand below, so
 * the capture process does not load zod (about 250 ms of start-up and several
 * MB of its memory budget) for two message shapes.
 */

/** The child found the display unusable (see display.ts); the parent retries slowly. */
export const EXIT_DISPLAY_UNUSABLE = 3;
/** The child was started without an IPC channel or got a bad start message. */
export const EXIT_BAD_START = 4;
/** An unexpected error in the child (EX_SOFTWARE). */
export const EXIT_CRASH = 70;

export const DEFAULT_WINDOW_SIZE = 25;

export interface ActivityCounts {
  /** Keystrokes paired since this child started. */
  readonly keystrokes: number;
  /** Mouse actions segmented since this child started. */
  readonly mouseActions: number;
}

export interface CaptureStats {
  readonly pairer: PairerCounts;
  readonly segmenter: SegmenterCounts;
  /** Exceptions caught inside hook callbacks (each would have crashed the process). */
  readonly handlerErrors: number;
  /** Mouse actions whose features were not finite numbers, dropped. */
  readonly badMouseFeatures: number;
  /** Keystrokes still buffered in a partial window. */
  readonly bufferedKeystrokes: number;
  /** Keystrokes of partial windows thrown away at stop because they were too small to score. */
  readonly discardedKeystrokes: number;
  /** 32-bit event clock wraps seen. */
  readonly clockWraps: number;
  /** Hook events received (keys, buttons, moves, wheel). */
  readonly hookEvents: number;
}

export type ChildMessage =
  | { readonly type: 'ready'; readonly pid: number; readonly note?: string }
  | { readonly type: 'keystroke-window'; readonly window: KeystrokeWindow }
  | { readonly type: 'mouse-actions'; readonly actions: readonly MouseActionFeatures[] }
  | { readonly type: 'activity'; readonly counts: ActivityCounts }
  | { readonly type: 'stats'; readonly stats: CaptureStats }
  | { readonly type: 'fatal'; readonly cause: DisplayCause | 'crash' | 'bad-start'; readonly message: string };

export interface StartConfig {
  /** Per-install HMAC secret for feature ids, base64 (>= 16 bytes). */
  readonly secret: string;
  readonly windowSize: number;
  /** How often batched mouse-action features are sent, ms. */
  readonly mouseBatchMs: number;
  /** Minimum interval between activity messages, ms. */
  readonly activityMs: number;
  /** Interval between stats messages, ms. */
  readonly statsMs: number;
}

export type ParentMessage = { readonly type: 'start'; readonly config: StartConfig } | { readonly type: 'stop' };

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

const START_KEYS = ['type', 'config'] as const;
const CONFIG_LIMITS: Readonly<Record<Exclude<keyof StartConfig, 'secret'>, readonly [number, number]>> = {
  windowSize: [2, 10_000],
  mouseBatchMs: [10, 600_000],
  activityMs: [10, 600_000],
  statsMs: [100, 3_600_000],
};
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(where: string, problem: string): { ok: false; error: string } {
  // Names the field, never echoes the value (it may be the secret).
  return { ok: false, error: `invalid message from capture parent at ${where}: ${problem}` };
}

function extraKey(obj: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  return Object.keys(obj).find((k) => !allowed.includes(k));
}

export function parseParentMessage(raw: unknown): Parsed<ParentMessage> {
  if (!isRecord(raw)) return invalid('(message)', 'expected an object');
  if (raw.type === 'stop') {
    const extra = extraKey(raw, ['type']);
    return extra === undefined ? { ok: true, message: { type: 'stop' } } : invalid(extra, 'unrecognized key');
  }
  if (raw.type !== 'start') return invalid('type', 'expected "start" or "stop"');
  const extra = extraKey(raw, START_KEYS);
  if (extra !== undefined) return invalid(extra, 'unrecognized key');
  const c = raw.config;
  if (!isRecord(c)) return invalid('config', 'expected an object');
  const extraC = extraKey(c, ['secret', ...Object.keys(CONFIG_LIMITS)]);
  if (extraC !== undefined) return invalid(`config.${extraC}`, 'unrecognized key');
  if (typeof c.secret !== 'string' || !BASE64.test(c.secret) || Buffer.from(c.secret, 'base64').length < MIN_SECRET_BYTES) {
    return invalid('config.secret', `expected base64 of at least ${MIN_SECRET_BYTES} bytes`);
  }
  for (const [key, [min, max]] of Object.entries(CONFIG_LIMITS)) {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return invalid(`config.${key}`, `expected an integer from ${min} to ${max}`);
  }
  return { ok: true, message: { type: 'start', config: c as unknown as StartConfig } };
}
