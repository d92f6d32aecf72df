import { z } from 'zod';
import type { AgentState, EnrolmentStep } from '../api/agent-api';

/**
 * What the engine writes through EngineStore.commit on every change, so a
 * kill -9 resumes in the right state. Versioned; validated on load because it
 * comes back from disk (a damaged row must not put the agent in a state it
 * cannot leave, or out of one it must not leave).
 *
 * The challenge phrase is stored: it is a prompt the engine made up, not
 * anything the user typed. What the user types is never stored.
 */
export const ENGINE_STATE_VERSION = 1;

export const AGENT_STATES = ['not-enrolled', 'enrolling', 'learning', 'protected', 'challenge', 'locked', 'paused'] as const satisfies readonly AgentState[];
export const ENROLMENT_STEPS = ['welcome', 'consent', 'typing', 'mouse', 'result', 'done'] as const satisfies readonly EnrolmentStep[];

const count = z.number().int().nonnegative();
const epoch = z.number().finite().nonnegative();

const schema = z
  .object({
    version: z.literal(ENGINE_STATE_VERSION),
    state: z.enum(AGENT_STATES),
    since: epoch,
    pausedFrom: z.enum(['learning', 'protected']).nullable(),
    enrolment: z
      .object({
        step: z.enum(ENROLMENT_STEPS),
        consentGiven: z.boolean(),
        typingCaptured: count,
        mouseCaptured: count,
      })
      .strict(),
    challenge: z
      .object({
        phrase: z.string().min(1).max(200),
        attemptsLeft: count,
        startedAt: epoch,
        expiresAt: epoch,
        reason: z.string().max(2000),
      })
      .strict()
      .nullable(),
    lock: z.object({ at: epoch, confirmed: z.boolean() }).strict().nullable(),
    scrutinyUntil: epoch,
    collected: z.object({ keystrokes: count, mouseActions: count }).strict(),
    adaptation: z.object({ batches: count, keystrokes: count, mouseActions: count, lastAt: epoch.nullable() }).strict(),
  })
  .strict();

export type PersistedState = z.infer<typeof schema>;

export function initialState(now: number): PersistedState {
  return {
    version: ENGINE_STATE_VERSION,
    state: 'not-enrolled',
    since: now,
    pausedFrom: null,
    enrolment: { step: 'welcome', consentGiven: false, typingCaptured: 0, mouseCaptured: 0 },
    challenge: null,
    lock: null,
    scrutinyUntil: 0,
    collected: { keystrokes: 0, mouseActions: 0 },
    adaptation: { batches: 0, keystrokes: 0, mouseActions: 0, lastAt: null },
  };
}

export type ParsedState = { ok: true; state: PersistedState } | { ok: false; problem: string };

/** Validates a stored state; the problem names the first key at fault. */
export function parsePersistedState(raw: unknown): ParsedState {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, state: r.data };
  const issue = r.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return { ok: false, problem: `stored engine state is invalid at "${where}": ${issue.message}` };
}
