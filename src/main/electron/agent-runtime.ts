import path from 'node:path';
import type { AgentApi } from '../api/agent-api';
import type { CaptureSpawner } from '../capture/supervisor';

/**
 * The seam between the Electron shell and the agent. The agent itself (engine
 * + store + policy + OS lock + capture supervisor, wired once) belongs to the
 * headless agent (`cadence agent`); the shell only adds tray and windows on
 * top, so the wiring exists in one place.
 *
 * Expected from the headless agent's module (not committed yet when this was
 * written, hence the checked dynamic load below instead of a static import):
 *
 *   // src/main/agent/runtime.ts
 *   export async function startAgentRuntime(opts: AgentRuntimeOptions): Promise<AgentRuntime>
 */

export interface AgentRuntimeOptions {
  /** How to start the capture child; Electron passes utilityCaptureSpawner, the headless agent uses fork. */
  captureSpawner?: CaptureSpawner;
}

export interface AgentRuntime {
  /** createAgentApi(engine): what the preload exposes to every window. */
  readonly api: AgentApi;
  /** The challenge window was closed or escaped: the engine hands over to the OS lock (Engine.dismissChallenge). */
  challengeDismissed(): void;
  /** Stops capture, timers and the store; resolves when everything is closed. */
  dispose(): Promise<void>;
}

export type StartAgentRuntime = (opts: AgentRuntimeOptions) => Promise<AgentRuntime>;

export const AGENT_RUNTIME_MODULE = path.join(__dirname, '..', 'agent', 'runtime.js');

export function loadAgentRuntime(modulePath: string = AGENT_RUNTIME_MODULE): StartAgentRuntime {
  let mod: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(modulePath);
  } catch (err) {
    throw new Error(
      `the agent runtime (${modulePath}) could not be loaded: ${(err as Error).message}. ` +
        'Build the project (npm run build); if it still fails, this checkout has no headless agent runtime yet.',
    );
  }
  const start = (mod as { startAgentRuntime?: unknown }).startAgentRuntime;
  if (typeof start !== 'function') throw new Error(`${modulePath} does not export startAgentRuntime(options)`);
  return start as StartAgentRuntime;
}
