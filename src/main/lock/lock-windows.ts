/**
 * UNTESTED: written for Windows but never run there (the project's machines
 * are Linux). Until it has run on Windows, the README must say so.
 *
 * Windows: LockWorkStation from user32, through the native addon
 * (native/src/lock_win.cc, built by scripts/build-native.js on win32). If the
 * addon is missing, `rundll32 user32.dll,LockWorkStation` does the same call,
 * but rundll32 exits 0 whether or not the call worked, so it is unconfirmed.
 */
import path from 'node:path';
import { commandMethod, type LockMethod } from './lock-method';
import { loadNativeAddon } from './native-addon';

interface LockWinAddon {
  lockWorkStation(): { ok: true } | { ok: false; error: string };
}

const lockWorkStation: LockMethod = {
  name: 'LockWorkStation',
  async run() {
    let addon: LockWinAddon;
    try {
      addon = loadNativeAddon<LockWinAddon>('lock_win');
    } catch (e) {
      return { ok: false, problem: (e as Error).message };
    }
    const r = addon.lockWorkStation();
    // LockWorkStation only requests the lock; success means Windows accepted the request.
    return r.ok ? { ok: true, confirmed: true } : { ok: false, problem: r.error };
  },
};

export function windowsLockMethods(env: NodeJS.ProcessEnv): LockMethod[] {
  const system32 = path.join(env.SystemRoot ?? env.windir ?? 'C:\\Windows', 'System32');
  return [
    lockWorkStation,
    commandMethod([path.join(system32, 'rundll32.exe'), 'user32.dll,LockWorkStation'], {
      name: 'rundll32 user32.dll,LockWorkStation',
      confirmed: false,
    }),
  ];
}

export const WINDOWS_POLICY_HINT =
  'set the LockCommand value under HKLM\\Software\\Policies\\Cadence to a command that locks this session';
