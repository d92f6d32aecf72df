import { contextBridge, ipcRenderer } from 'electron';
import type { AgentApi, AGENT_API_METHODS } from '../api/agent-api';

/**
 * The one preload of every Cadence window: exposes `window.cadence`, an
 * AgentApi whose methods invoke `cadence:<method>` over IPC. It never exposes
 * ipcRenderer itself, so a compromised page can call these methods and
 * nothing else (and ipc.ts still checks who is calling).
 *
 * Sandboxed preloads may require only 'electron' and a few polyfills, so this
 * file imports nothing else at runtime: the method list and channel prefix are
 * written out here, and the type below fails to compile if they drift from
 * AGENT_API_METHODS (test/main/electron/preload.test.ts checks the prefix and
 * that the compiled file requires nothing but 'electron').
 */

const CHANNEL_PREFIX = 'cadence:';
const METHODS = [
  'getStatus',
  'getEnrolment',
  'setEnrolmentStep',
  'giveConsent',
  'getTrustHistory',
  'getDecisions',
  'getChallenge',
  'submitChallenge',
  'getPolicy',
  'setPaused',
] as const satisfies typeof AGENT_API_METHODS;

// Both directions: every AgentApi method is listed, and nothing else.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const complete: Same<(typeof METHODS)[number], keyof AgentApi> = true;
void complete;

const api = {} as Record<string, (...args: unknown[]) => Promise<unknown>>;
for (const method of METHODS) {
  api[method] = (...args: unknown[]) => ipcRenderer.invoke(CHANNEL_PREFIX + method, ...args);
}

contextBridge.exposeInMainWorld('cadence', Object.freeze(api) as unknown as AgentApi);
