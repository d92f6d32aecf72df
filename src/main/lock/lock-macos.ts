/**
 * UNTESTED: written for macOS but never run there (the project's machines are
 * Linux). Until it has run on macOS, the README must say so.
 *
 * macOS: SACLockScreenImmediate from the private login.framework, loaded with
 * dlopen by the native addon (native/src/lock_mac.cc, built on darwin). The
 * fallback, `pmset displaysleepnow`, locks only when "Require password
 * immediately after sleep" is on, so it is unconfirmed.
 */
import { commandMethod, type LockMethod } from './lock-method';
import { loadNativeAddon } from './native-addon';

interface LockMacAddon {
  lockScreen(): { ok: true } | { ok: false; error: string };
}

const saclock: LockMethod = {
  name: 'SACLockScreenImmediate',
  async run() {
    let addon: LockMacAddon;
    try {
      addon = loadNativeAddon<LockMacAddon>('lock_mac');
    } catch (e) {
      return { ok: false, problem: (e as Error).message };
    }
    const r = addon.lockScreen();
    return r.ok ? { ok: true, confirmed: true } : { ok: false, problem: r.error };
  },
};

export function macosLockMethods(): LockMethod[] {
  return [saclock, commandMethod(['/usr/bin/pmset', 'displaysleepnow'], { name: 'pmset displaysleepnow', confirmed: false })];
}

export const MACOS_POLICY_HINT = 'set lockCommand in the Cadence managed preferences (configuration profile) to a command that locks this Mac';
