import { z } from 'zod';
import { MOUSE_FEATURE_NAMES } from '../../model/mouse-features';
import type { ChildMessage, Parsed } from './protocol';

/**
 * The parent's validation of what the capture child sends (protocol.ts has
 * the types). Strict objects: an unexpected field is refused, so nothing
 * beyond the declared aggregates can ride along.
 */
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
