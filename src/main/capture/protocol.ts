import { z } from 'zod';
import type { KeystrokeWindow } from '../../model/keystroke-windows';
import type { PairerCounts } from '../../model/keystrokes';
import type { SegmenterCounts } from '../../model/mouse-actions';
import { MOUSE_FEATURE_NAMES, type MouseActionFeatures } from '../../model/mouse-features';
import type { DisplayCause } from './display';

/**
 * Messages between the capture child and its parent. Only order-free feature
 * aggregates and counts cross this boundary: no key code, no key sequence, no
 * pointer path. Both sides validate every message they receive, because a
 * message is the only thing one process can make the other do.
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

const count = z.number().int().nonnegative();
const lists = z.record(z.string().max(64), z.array(z.number()));

const keystrokeWindowSchema = z
  .object({ keystrokes: count, durationMs: z.number().nonnegative(), holds: lists, dd: lists, ud: lists })
  .strict();

const mouseFeaturesSchema = z
  .object({ type: z.enum(['MM', 'PC', 'DD']), values: z.array(z.number()).length(MOUSE_FEATURE_NAMES.length) })
  .strict();

const statsSchema = z
  .object({
    pairer: z.object({ keystrokes: count, autoRepeats: count, strayReleases: count, lostReleases: count }).strict(),
    segmenter: z.object({ actions: count, tooShort: count, wheel: count }).strict(),
    handlerErrors: count,
    badMouseFeatures: count,
    bufferedKeystrokes: count,
    discardedKeystrokes: count,
    clockWraps: count,
    hookEvents: count,
  })
  .strict();

const childMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: count, note: z.string().max(500).optional() }).strict(),
  z.object({ type: z.literal('keystroke-window'), window: keystrokeWindowSchema }).strict(),
  z.object({ type: z.literal('mouse-actions'), actions: z.array(mouseFeaturesSchema) }).strict(),
  z.object({ type: z.literal('activity'), counts: z.object({ keystrokes: count, mouseActions: count }).strict() }).strict(),
  z.object({ type: z.literal('stats'), stats: statsSchema }).strict(),
  z
    .object({
      type: z.literal('fatal'),
      cause: z.enum(['no-display', 'wayland', 'dead-x-server', 'bad-display-name', 'unsupported-platform', 'crash', 'bad-start']),
      message: z.string().max(2000),
    })
    .strict(),
]);

const parentMessageSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('start'),
      config: z
        .object({
          secret: z.base64().min(24), // 16 bytes
          windowSize: z.number().int().min(2).max(10_000),
          mouseBatchMs: z.number().int().min(10).max(600_000),
          activityMs: z.number().int().min(10).max(600_000),
          statsMs: z.number().int().min(100).max(3_600_000),
        })
        .strict(),
    })
    .strict(),
  z.object({ type: z.literal('stop') }).strict(),
]);

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

function parse<T>(schema: z.ZodType, raw: unknown, what: string): Parsed<T> {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, message: r.data as T };
  // One line naming the offending field; never echo the values themselves.
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(message)';
  return { ok: false, error: `invalid ${what} at ${where}: ${issue?.message ?? 'does not match the protocol'}` };
}

export function parseChildMessage(raw: unknown): Parsed<ChildMessage> {
  return parse<ChildMessage>(childMessageSchema, raw, 'message from capture child');
}

export function parseParentMessage(raw: unknown): Parsed<ParentMessage> {
  return parse<ParentMessage>(parentMessageSchema, raw, 'message from capture parent');
}
