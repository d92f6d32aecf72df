import type { Result } from '../api/agent-api';
import { isAgentApiMethod, type AgentApiMethod } from '../bridge/api-dispatch';

/**
 * Who may call the agent over IPC, decided without Electron so it is tested in
 * Node (test/main/electron/sender-check.test.ts). ipc.ts feeds it the facts
 * Electron reports about each call.
 */

/** Pages are served from this privileged scheme (app-protocol.ts), never from file:// or the network. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'cadence';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** Every IPC channel of the AgentApi is this prefix + method name; the preload hard-codes the same string. */
export const CHANNEL_PREFIX = 'cadence:';

export interface SenderFacts {
  channel: string;
  /** URL of the frame that sent the message (event.senderFrame.url), or null when the frame is gone. */
  frameUrl: string | null;
  /** The frame is its window's main frame, not an iframe. */
  isMainFrame: boolean;
}

export function checkSender(facts: SenderFacts): Result<AgentApiMethod> {
  if (!facts.channel.startsWith(CHANNEL_PREFIX)) {
    return { ok: false, code: 'forbidden', message: `IPC channel "${facts.channel.slice(0, 64)}" is not a Cadence channel` };
  }
  const method = facts.channel.slice(CHANNEL_PREFIX.length);
  if (!isAgentApiMethod(method)) return { ok: false, code: 'unknown-method', message: `no AgentApi method named "${method.slice(0, 64)}"` };
  if (!facts.isMainFrame) return { ok: false, code: 'forbidden', message: `${method}: refused a call from a sub-frame` };
  let origin: string;
  try {
    // URL.origin is "null" for non-special schemes, so compare scheme and host directly.
    const u = new URL(facts.frameUrl ?? '');
    origin = `${u.protocol.replace(/:$/, '')}://${u.host}`;
  } catch {
    return { ok: false, code: 'forbidden', message: `${method}: refused a call from a frame with no URL` };
  }
  if (origin !== APP_ORIGIN) return { ok: false, code: 'forbidden', message: `${method}: refused a call from ${origin}` };
  return { ok: true, value: method };
}
