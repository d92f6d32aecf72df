import type {
  AgentApi,
  ChallengeOutcome,
  ChallengeView,
  DecisionView,
  EnrolmentStep,
  EnrolmentView,
  PolicyView,
  Result,
  StatusView,
  TrustPoint,
} from '../api/agent-api';
import type { Engine } from './engine';

/**
 * AgentApi over the engine: what the Electron preload and the loopback test
 * bridge both expose. Arguments arrive from a page, so each is checked here;
 * every error comes back as data ({ok:false, code, message}), never thrown.
 */
export function createAgentApi<P>(engine: Engine<P>): AgentApi {
  const guard = async <T>(what: string, f: () => Result<T>): Promise<Result<T>> => {
    try {
      return f();
    } catch (e) {
      return { ok: false, code: 'internal', message: `${what} failed inside the agent: ${e instanceof Error ? e.message : String(e)}` };
    }
  };
  const ok = <T>(value: T): Result<T> => ({ ok: true, value });
  const bad = (message: string): { ok: false; code: string; message: string } => ({ ok: false, code: 'bad-argument', message });

  return {
    getStatus: () => guard<StatusView>('getStatus', () => ok(engine.status())),
    getEnrolment: () => guard<EnrolmentView>('getEnrolment', () => ok(engine.enrolment())),
    setEnrolmentStep: (step: EnrolmentStep) =>
      guard<EnrolmentView>('setEnrolmentStep', () => (typeof step === 'string' ? engine.setEnrolmentStep(step) : bad('step must be a string'))),
    giveConsent: () => guard<EnrolmentView>('giveConsent', () => engine.giveConsent()),
    getTrustHistory: (sinceMs: number) =>
      guard<TrustPoint[]>('getTrustHistory', () =>
        Number.isFinite(sinceMs) && sinceMs >= 0 ? ok(engine.trustHistory(sinceMs)) : bad('sinceMs must be a finite epoch ms >= 0'),
      ),
    getDecisions: (limit: number) =>
      guard<DecisionView[]>('getDecisions', () => {
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return bad('limit must be an integer from 1 to 1000');
        return ok(engine.decisions(limit).map((e) => ({ t: e.t, kind: e.kind, reason: e.reason })));
      }),
    getChallenge: () => guard<ChallengeView | null>('getChallenge', () => ok(engine.challenge())),
    // The typed words go straight to the comparison; nothing here keeps or logs them.
    submitChallenge: (typed: string) =>
      guard<ChallengeOutcome>('submitChallenge', () => (typeof typed === 'string' ? engine.submitChallenge(typed) : bad('typed must be a string'))),
    getPolicy: () => guard<PolicyView>('getPolicy', () => ok(engine.policyView())),
    setPaused: (paused: boolean) =>
      guard<StatusView>('setPaused', () => (typeof paused === 'boolean' ? engine.setPaused(paused) : bad('paused must be true or false'))),
  };
}
