import type { AgentState, DecisionView, TrustPoint } from '../api/agent-api';
import type { KeystrokeWindow } from '../../model/keystroke-windows';
import type { MouseActionFeatures } from '../../model/mouse-features';
import type { Store } from './store';

/**
 * The store seen through the engine's persistence port (EngineStore in
 * src/main/engine/ports.ts). Declared here structurally, without importing
 * the engine, so the store stays below the engine; the headless agent passes
 * `engineStoreOf(store)` where the engine wants an EngineStore, and the
 * compiler checks the fit there (and in test/main/store/engine-store.test.ts).
 */

/** The agent_state key of the engine's persisted state. */
export const ENGINE_STATE_KEY = 'engine';
/** profiles.format for blobs written through this port: the model versions its own JSON inside. */
export const ENGINE_PROFILE_FORMAT = 1;

export interface EngineAuditEvent {
  t: number;
  kind: DecisionView['kind'];
  reason: string;
  from?: AgentState;
  to?: AgentState;
  details?: Readonly<Record<string, string | number | boolean>>;
}

export interface EngineStoreAdapter {
  loadState(): unknown | null;
  /** The state and its decisions (each also an audit event) in one transaction: kill -9 never splits them. */
  commit(state: unknown, events: readonly EngineAuditEvent[]): void;
  appendTrust(point: TrustPoint): void;
  trustSince(sinceMs: number): TrustPoint[];
  recentEvents(limit: number): EngineAuditEvent[];
  addEnrolmentKeystrokeWindow(window: KeystrokeWindow): void;
  addEnrolmentMouseActions(actions: readonly MouseActionFeatures[]): void;
  loadEnrolment(): { keystrokeWindows: KeystrokeWindow[]; mouseActions: MouseActionFeatures[] };
  saveProfile(json: unknown): void;
  loadProfile(): unknown | null;
}

export function engineStoreOf(store: Store, now: () => number = Date.now): EngineStoreAdapter {
  return {
    loadState: () => store.getState(ENGINE_STATE_KEY),
    commit: (state, events) =>
      store.transaction(() => {
        store.setState(ENGINE_STATE_KEY, state);
        for (const e of events) {
          const trust = e.details?.trust;
          store.recordDecision({
            t: e.t,
            kind: e.kind,
            reason: e.reason,
            trust: typeof trust === 'number' ? trust : null,
            ...(e.from !== undefined ? { from: e.from } : {}),
            ...(e.to !== undefined ? { to: e.to } : {}),
            ...(e.details !== undefined ? { details: e.details } : {}),
          });
        }
      }),
    appendTrust: (point) => store.appendTrust(point),
    trustSince: (sinceMs) => store.trustSince(sinceMs),
    recentEvents: (limit) =>
      store.recentDecisions(limit).map((d) => ({
        t: d.t,
        kind: d.kind,
        reason: d.reason,
        ...(d.from !== undefined ? { from: d.from } : {}),
        ...(d.to !== undefined ? { to: d.to } : {}),
        ...(d.details !== undefined ? { details: d.details } : {}),
      })),
    addEnrolmentKeystrokeWindow: (window) => store.addKeystrokeWindows([{ t: now(), purpose: 'enrolment', window }]),
    addEnrolmentMouseActions: (actions) => {
      const t = now();
      store.addMouseActions(actions.map((action) => ({ t, purpose: 'enrolment' as const, action })));
    },
    loadEnrolment: () => ({
      keystrokeWindows: store.keystrokeWindows({ purpose: 'enrolment' }).map((r) => r.window),
      mouseActions: store.mouseActions({ purpose: 'enrolment' }).map((r) => r.action),
    }),
    saveProfile: (json) => void store.saveProfile(json, { format: ENGINE_PROFILE_FORMAT, t: now() }),
    loadProfile: () => store.latestProfile()?.profile ?? null,
  };
}
