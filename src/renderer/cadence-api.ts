import type { AgentApi, Result } from '../main/api/agent-api';

/**
 * The pages reach the agent only through `window.cadence`, an AgentApi put
 * there by the Electron preload (contextBridge) or by the test bridge's client
 * script. There is no other channel: no fetch to the agent, no Node.
 */
declare global {
  interface Window {
    readonly cadence?: AgentApi;
  }
}

export function agent(): AgentApi {
  const api = window.cadence;
  if (!api) throw new Error('window.cadence is missing: this page must be opened by Cadence (tray menu), not directly');
  return api;
}

/** The value of a Result, or null after showing its message in `errorBox`. */
export function valueOr<T>(r: Result<T>, errorBox: HTMLElement): T | null {
  if (r.ok) return r.value;
  showError(errorBox, r.message);
  return null;
}

export function showError(errorBox: HTMLElement, message: string): void {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

export function clearError(errorBox: HTMLElement): void {
  errorBox.textContent = '';
  errorBox.hidden = true;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing element #${id}`);
  return el as T;
}

/** Shows a fatal problem where the user can see it, since there is no console for them. */
export function reportFatal(err: unknown): void {
  const box = document.getElementById('error');
  const message = err instanceof Error ? err.message : String(err);
  if (box) showError(box, message);
}
