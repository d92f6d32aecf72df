import { commandMethod, runCommand, type LockContext, type LockMethod, type LockOutcome } from './lock-method';

/**
 * Linux: ask logind to lock the session, then fall back to the desktop's own
 * screensaver lock. Tested on Xvfb (where none of them can work) and with
 * fake commands; real desktops vary, which is why policy can set a command.
 */

/** How long to wait for logind to report the session locked. */
const LOCKED_HINT_WAIT_MS = 2000;
const LOCKED_HINT_POLL_MS = 200;

/**
 * `loginctl lock-session` succeeds as soon as logind has emitted its Lock
 * signal, even when no screen locker listens for it. Desktops that lock on
 * that signal set the session's LockedHint, so poll it: "yes" confirms; if it
 * never comes, later methods still run, and this one counts as unconfirmed.
 */
const loginctl: LockMethod = {
  name: 'loginctl lock-session',
  async run(ctx: LockContext): Promise<LockOutcome> {
    const session = ctx.env.XDG_SESSION_ID;
    const sent = await runCommand(session ? ['loginctl', 'lock-session', session] : ['loginctl', 'lock-session'], ctx);
    if (!sent.ok) return { ok: false, problem: sent.problem };
    const deadline = Date.now() + LOCKED_HINT_WAIT_MS;
    for (;;) {
      const hint = await runCommand(['loginctl', 'show-session', session ?? 'self', '-p', 'LockedHint', '--value'], ctx);
      if (hint.ok && hint.stdout.trim() === 'yes') return { ok: true, confirmed: true };
      if (Date.now() >= deadline) return { ok: true, confirmed: false };
      await new Promise((r) => setTimeout(r, LOCKED_HINT_POLL_MS));
    }
  },
};

/** In order: logind first (DESIGN.md), then each desktop's screensaver lock. */
export function linuxLockMethods(): LockMethod[] {
  return [
    loginctl,
    commandMethod(['xdg-screensaver', 'lock']),
    commandMethod(['gnome-screensaver-command', '--lock']),
    commandMethod(['cinnamon-screensaver-command', '--lock']),
    commandMethod(['mate-screensaver-command', '--lock']),
    commandMethod(['xscreensaver-command', '-lock']),
    commandMethod(['light-locker-command', '--lock']),
    commandMethod(['dm-tool', 'lock']),
    commandMethod(['xflock4']),
    // KDE Plasma and other desktops implementing the freedesktop ScreenSaver interface.
    commandMethod(
      ['dbus-send', '--session', '--print-reply', '--dest=org.freedesktop.ScreenSaver', '/ScreenSaver', 'org.freedesktop.ScreenSaver.Lock'],
      { name: 'dbus org.freedesktop.ScreenSaver.Lock' },
    ),
  ];
}

export const LINUX_POLICY_HINT =
  'set "lockCommand" in /etc/cadence/policy.json to a command that locks this desktop and returns, e.g. ["i3lock"] or ["xsecurelock"]';
