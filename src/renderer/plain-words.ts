import type { AgentState, DecisionView, ProfileQuality, Sensitivity } from '../main/api/agent-api';

/** Everything the pages say about states and events, in one place and in plain words. */

export const STATE_LABEL: Record<AgentState, string> = {
  'not-enrolled': 'Not set up yet',
  enrolling: 'Setting up',
  learning: 'Learning',
  protected: 'Protecting',
  challenge: 'Checking it is you',
  locked: 'Locked',
  paused: 'Paused',
};

export const STATE_EXPLANATION: Record<AgentState, string> = {
  'not-enrolled': 'Cadence has not learned how you type yet. Open the setup from the tray icon to start.',
  enrolling: 'Cadence is learning how you type and use the mouse during setup.',
  learning: 'Cadence is still learning your rhythm in the background. It will not lock you out while it learns.',
  protected: 'Cadence recognises your typing and mouse rhythm and will lock the computer if someone else takes over.',
  challenge: 'Cadence noticed typing that did not look like yours and asked for a short check.',
  locked: 'The computer was locked. Sign in with your password as usual.',
  paused: 'Cadence is paused: it is not watching typing or mouse movement right now.',
};

export const DECISION_LABEL: Record<DecisionView['kind'], string> = {
  state: 'State changed',
  challenge: 'Check started',
  'challenge-passed': 'Check passed',
  'challenge-failed': 'Check failed',
  lock: 'Locked',
  unlock: 'Unlocked',
  policy: 'Policy changed',
  'capture-outage': 'Capture stopped',
};

/**
 * A decision's reason as shown after its label: the engine's reasons are
 * written to stand alone in the audit log ("Challenge passed: the words..."),
 * so a leading phrase that only repeats the label is dropped.
 */
const LABEL_REPEATS: Partial<Record<DecisionView['kind'], readonly [RegExp, string]>> = {
  challenge: [/^Challenge:\s*/, ''],
  'challenge-passed': [/^Challenge passed:\s*/, ''],
  'challenge-failed': [/^Challenge failed:\s*/, ''],
  lock: [/^Locked(?: because|:)?\s+/, ''],
  policy: [/^Policy changed \(([^)]*)\):\s*/, 'in $1: '],
  'capture-outage': [/^Capture unavailable:\s*/, ''],
};

export function reasonAfterLabel(kind: DecisionView['kind'], reason: string): string {
  const repeat = LABEL_REPEATS[kind];
  const rest = repeat ? reason.replace(repeat[0], repeat[1]) : reason;
  return rest === '' ? reason : rest.charAt(0).toUpperCase() + rest.slice(1);
}

export const SENSITIVITY_LABEL: Record<Sensitivity, string> = {
  relaxed: 'Relaxed (fewer checks, slower to react)',
  balanced: 'Balanced',
  strict: 'Strict (reacts quickly, more checks)',
};

export function percent(share: number): string {
  return `${Math.round(Math.max(0, Math.min(1, share)) * 100)}%`;
}

export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function duration(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m === 0) return `${rest} second${rest === 1 ? '' : 's'}`;
  return `${m} min ${String(rest).padStart(2, '0')} s`;
}

/** One sentence on how good the profile is, from the engine's own figures. */
export function qualitySummary(q: ProfileQuality): string {
  if (q.ready) {
    return q.stability >= 0.8
      ? 'Good: your profile is stable enough to protect this computer.'
      : 'Ready: Cadence can protect this computer and will get surer as it keeps learning.';
  }
  return 'Not ready yet: Cadence needs more of your typing before it can protect this computer.';
}

export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
