import { DEFAULT_POLICY, SENSITIVITIES } from './schema';
import type { Policy, PolicyInput } from './schema';

/**
 * Machine policy against the user's own settings. The rule, per key:
 *
 * - What machine policy leaves unset, the user may set (else the default).
 * - What machine policy sets, the user may only make STRICTER:
 *     sensitivity: higher (relaxed < balanced < strict);
 *     idleMinutes, challengeAttempts, challengeTimeoutSeconds: lower
 *       (weigh a returning person sooner, fewer and shorter tries);
 *     retentionDays: lower (less data kept);
 *     adaptation, allowPause, allowQuit: may turn off, never on.
 * - channels: what policy sets is fixed in both directions. Turning a
 *   channel off weakens protection; turning one on may break an
 *   accessibility or works-council decision IT made. Neither is the user's.
 * - lockCommand: machine policy only. A user-set command such as `true`
 *   would silently disable locking, and the owner's unlocked laptop is
 *   exactly where a roommate could set it.
 *
 * A user value that would weaken the policy is ignored, with a note saying
 * so; it is not an error (the user may have set it before IT did).
 */

export interface Resolved {
  readonly policy: Policy;
  /** User settings that were ignored, one line each, naming the key. */
  readonly notes: string[];
}

type Stricter<T> = (user: T, machine: T) => boolean;

const lower: Stricter<number> = (u, m) => u <= m;
const offOnly: Stricter<boolean> = (u, m) => u === m || u === false;
const higherSensitivity: Stricter<Policy['sensitivity']> = (u, m) => SENSITIVITIES.indexOf(u) >= SENSITIVITIES.indexOf(m);

function pick<T>(key: string, machine: T | undefined, user: T | undefined, fallback: T, stricter: Stricter<T>, notes: string[]): T {
  if (machine === undefined) return user ?? fallback;
  if (user === undefined || user === machine) return machine;
  if (stricter(user, machine)) return user;
  notes.push(`${key}: machine policy sets ${JSON.stringify(machine)}; your setting ${JSON.stringify(user)} would weaken it and is ignored`);
  return machine;
}

export function resolvePolicy(machine: PolicyInput | null, user: PolicyInput | null): Resolved {
  const m: PolicyInput = machine ?? {};
  const u: PolicyInput = user ?? {};
  const notes: string[] = [];
  const d = DEFAULT_POLICY;

  const channel = (k: 'keystroke' | 'mouse'): boolean => {
    const mv = m.channels?.[k];
    const uv = u.channels?.[k];
    if (mv !== undefined) {
      if (uv !== undefined && uv !== mv) notes.push(`channels.${k}: machine policy sets ${mv}; only policy may change it, your setting is ignored`);
      return mv;
    }
    return uv ?? d.channels[k];
  };
  let channels = { keystroke: channel('keystroke'), mouse: channel('mouse') };
  if (!channels.keystroke && !channels.mouse) {
    // Only possible when the user turned off the channel policy left open.
    const open = m.channels?.keystroke === undefined ? 'keystroke' : 'mouse';
    notes.push(`channels.${open}: turning it off would leave no channel on (policy turned the other off); your setting is ignored`);
    channels = { ...channels, [open]: true };
  }

  if (u.lockCommand !== undefined) notes.push('lockCommand: only machine policy may set the lock command; your setting is ignored');

  const policy: Policy = {
    sensitivity: pick('sensitivity', m.sensitivity, u.sensitivity, d.sensitivity, higherSensitivity, notes),
    idleMinutes: pick('idleMinutes', m.idleMinutes, u.idleMinutes, d.idleMinutes, lower, notes),
    challengeAttempts: pick('challengeAttempts', m.challengeAttempts, u.challengeAttempts, d.challengeAttempts, lower, notes),
    challengeTimeoutSeconds: pick('challengeTimeoutSeconds', m.challengeTimeoutSeconds, u.challengeTimeoutSeconds, d.challengeTimeoutSeconds, lower, notes),
    channels,
    lockCommand: m.lockCommand ?? null,
    adaptation: pick('adaptation', m.adaptation, u.adaptation, d.adaptation, offOnly, notes),
    allowPause: pick('allowPause', m.allowPause, u.allowPause, d.allowPause, offOnly, notes),
    allowQuit: pick('allowQuit', m.allowQuit, u.allowQuit, d.allowQuit, offOnly, notes),
    retentionDays: pick('retentionDays', m.retentionDays, u.retentionDays, d.retentionDays, lower, notes),
  };
  return { policy, notes };
}
