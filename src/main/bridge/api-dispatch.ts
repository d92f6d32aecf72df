import { z } from 'zod';
import { AGENT_API_METHODS, type AgentApi, type Result } from '../api/agent-api';

/**
 * One way to call the AgentApi from outside the trust boundary, shared by the
 * loopback test bridge (http-bridge.ts) and the Electron IPC handlers
 * (src/main/electron/ipc.ts): the method name must be one of
 * AGENT_API_METHODS, the arguments are checked against the method's
 * signature, and whatever the engine does (even throwing) comes back as a
 * Result. A page is untrusted input, so nothing it sends reaches the engine
 * unchecked.
 */

export type AgentApiMethod = (typeof AGENT_API_METHODS)[number];

const step = z.enum(['welcome', 'consent', 'typing', 'mouse', 'result', 'done']);

/** Argument tuples per method; a method with no arguments takes an empty list. */
const ARGUMENTS: { readonly [M in AgentApiMethod]: z.ZodType<Parameters<AgentApi[M]>> } = {
  getStatus: z.tuple([]),
  getEnrolment: z.tuple([]),
  setEnrolmentStep: z.tuple([step]),
  giveConsent: z.tuple([]),
  getTrustHistory: z.tuple([z.number().finite().nonnegative()]),
  getDecisions: z.tuple([z.number().int().min(1).max(1000)]),
  getChallenge: z.tuple([]),
  // A phrase is a short sentence; the cap keeps a hostile page from handing the engine megabytes.
  submitChallenge: z.tuple([z.string().max(500)]),
  getPolicy: z.tuple([]),
  setPaused: z.tuple([z.boolean()]),
};

export function isAgentApiMethod(name: string): name is AgentApiMethod {
  return (AGENT_API_METHODS as readonly string[]).includes(name);
}

export function checkArguments<M extends AgentApiMethod>(method: M, args: unknown): Result<Parameters<AgentApi[M]>> {
  if (!Array.isArray(args)) {
    return { ok: false, code: 'bad-arguments', message: `${method}: arguments must be a JSON array` };
  }
  const parsed = ARGUMENTS[method].safeParse(args);
  if (parsed.success) return { ok: true, value: parsed.data as Parameters<AgentApi[M]> };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `argument ${issue.path.join('.')}` : 'arguments';
  return { ok: false, code: 'bad-arguments', message: `${method}: ${where}: ${issue?.message ?? 'do not match the method'}` };
}

/** Calls `method` on `api` with checked arguments; never throws. */
export async function callAgentApi(api: AgentApi, method: string, args: unknown): Promise<Result<unknown>> {
  if (!isAgentApiMethod(method)) {
    return { ok: false, code: 'unknown-method', message: `no AgentApi method named "${method.slice(0, 64)}"` };
  }
  const checked = checkArguments(method, args);
  if (!checked.ok) return checked;
  try {
    const fn = api[method] as (...a: unknown[]) => Promise<Result<unknown>>;
    const result = await fn.apply(api, checked.value as unknown[]);
    if (result === null || typeof result !== 'object' || typeof (result as { ok?: unknown }).ok !== 'boolean') {
      return { ok: false, code: 'internal', message: `${method}: the engine returned something that is not a Result` };
    }
    return result;
  } catch (err) {
    // The engine should never throw (it returns Results); if it does, the page
    // gets a plain error and the details stay in the main process.
    return { ok: false, code: 'internal', message: `${method} failed inside the agent: ${(err as Error)?.message ?? String(err)}` };
  }
}
