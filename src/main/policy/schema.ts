import { z } from 'zod';
import type { Sensitivity } from '../api/agent-api';

/**
 * The policy an organisation sets, and what a policy source may contain.
 *
 * Why zod: policy arrives from three formats (JSON file, registry values,
 * plist) that IT people edit by hand, so validation must be exhaustive and
 * its errors must name the key; zod gives one declarative schema that both
 * validates and produces the TypeScript type (no second, drifting type), it
 * rejects unknown keys with `strictObject`, reports every issue with its
 * path, and the project already uses it for the capture protocol and the
 * engine state. Hand-written checks would repeat all of that.
 *
 * Two shapes: `PolicyInput` is what a source holds (every key optional: a
 * policy sets only what IT cares about); `Policy` is the effective, complete
 * policy after defaults and user settings are applied (see resolve.ts).
 */

export const SENSITIVITIES = ['relaxed', 'balanced', 'strict'] as const satisfies readonly Sensitivity[];

/** Inclusive ranges of the numeric keys; the error messages quote them. */
export const RANGES = {
  idleMinutes: [1, 240],
  challengeAttempts: [1, 10],
  challengeTimeoutSeconds: [15, 600],
  retentionDays: [1, 3650],
} as const;

type RangedKey = keyof typeof RANGES;

const ranged = (k: RangedKey) => z.number().int().min(RANGES[k][0]).max(RANGES[k][1]).optional();

const channelsInput = z
  .strictObject({
    keystroke: z.boolean().optional(),
    mouse: z.boolean().optional(),
  })
  .refine((c) => !(c.keystroke === false && c.mouse === false), {
    message: 'keystroke and mouse cannot both be off (Cadence would have nothing to judge by); turn one on',
  });

export const policyInputSchema = z.strictObject({
  sensitivity: z.enum(SENSITIVITIES).optional(),
  idleMinutes: ranged('idleMinutes'),
  challengeAttempts: ranged('challengeAttempts'),
  challengeTimeoutSeconds: ranged('challengeTimeoutSeconds'),
  channels: channelsInput.optional(),
  /** argv: program then arguments; never run through a shell. */
  lockCommand: z.array(z.string().min(1).max(4096)).min(1).max(64).optional(),
  adaptation: z.boolean().optional(),
  allowPause: z.boolean().optional(),
  allowQuit: z.boolean().optional(),
  retentionDays: ranged('retentionDays'),
});

export type PolicyInput = z.infer<typeof policyInputSchema>;
export const POLICY_KEYS = Object.keys(policyInputSchema.shape) as (keyof PolicyInput)[];
const CHANNEL_KEYS = Object.keys(channelsInput.shape);

export interface Policy {
  readonly sensitivity: Sensitivity;
  readonly idleMinutes: number;
  readonly challengeAttempts: number;
  readonly challengeTimeoutSeconds: number;
  readonly channels: { readonly keystroke: boolean; readonly mouse: boolean };
  /** argv of the policy-set lock command, or null for the platform's own lock. */
  readonly lockCommand: readonly string[] | null;
  readonly adaptation: boolean;
  readonly allowPause: boolean;
  readonly allowQuit: boolean;
  readonly retentionDays: number;
}

export const DEFAULT_POLICY: Policy = Object.freeze({
  sensitivity: 'balanced',
  idleMinutes: 5,
  challengeAttempts: 3,
  challengeTimeoutSeconds: 60,
  channels: Object.freeze({ keystroke: true, mouse: true }),
  lockCommand: null,
  adaptation: true,
  allowPause: false,
  allowQuit: false,
  retentionDays: 30,
});

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out === '' ? '' : '.'}${String(p)}`;
  return out;
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  string: 'a string',
  object: 'an object',
  array: 'a list of strings',
};

function rangeOf(path: readonly PropertyKey[]): readonly [number, number] | undefined {
  return path.length === 1 && typeof path[0] === 'string' && path[0] in RANGES ? RANGES[path[0] as RangedKey] : undefined;
}

/** One zod issue as "key.path: what is wrong, got what" (one line per unknown key). */
function formatIssue(issue: z.core.$ZodIssue): string[] {
  const where = keyPath(issue.path);
  const at = where === '' ? '(top level)' : where;
  const input = (issue as { input?: unknown }).input;
  const range = rangeOf(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = where === 'channels' ? CHANNEL_KEYS : where === '' ? POLICY_KEYS : [];
      return issue.keys.map((k) => `${where === '' ? '' : where + '.'}${k}: unknown key${known.length > 0 ? ` (known keys: ${known.join(', ')})` : ''}`);
    }
    case 'invalid_type': {
      if (range) return [`${at}: must be a whole number between ${range[0]} and ${range[1]}, got ${describe(input)}`];
      return [`${at}: must be ${EXPECTED[issue.expected] ?? issue.expected}, got ${describe(input)}`];
    }
    case 'too_small':
    case 'too_big': {
      if (range) return [`${at}: must be between ${range[0]} and ${range[1]}, got ${describe(input)}`];
      if (issue.origin === 'array') {
        return [issue.code === 'too_small' ? `${at}: must list at least ${String(issue.minimum)} item (the program to run)` : `${at}: must list at most ${String(issue.maximum)} items`];
      }
      if (issue.origin === 'string') return [issue.code === 'too_small' ? `${at}: must not be empty` : `${at}: is longer than ${String(issue.maximum)} characters`];
      return [`${at}: ${issue.message}, got ${describe(input)}`];
    }
    case 'invalid_value':
      return [`${at}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(input)}`];
    default:
      return [`${at}: ${issue.message}`];
  }
}

export type ParsedPolicy = { ok: true; input: PolicyInput } | { ok: false; problems: string[] };

/** Validates what a source holds; every problem names its key path. */
export function parsePolicyInput(raw: unknown): ParsedPolicy {
  const r = policyInputSchema.safeParse(raw, { reportInput: true });
  if (r.success) return { ok: true, input: r.data };
  return { ok: false, problems: r.error.issues.flatMap(formatIssue) };
}
