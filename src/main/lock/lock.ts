/**
 * The OS session lock, behind one function. Locking is the agent's last line:
 * when the challenge fails or is dodged, the session must lock, so every
 * failure is reported as data (what was tried, what to do) and never thrown.
 *
 * Order: the policy's lock command first (IT knows its desktops), then the
 * platform's own methods. A failing policy command does not stop the platform
 * methods: an agent that cannot lock because of a typo in policy would fail
 * open. A command counts as locked when it exits 0 within the timeout; one
 * that is still running then is treated as hung and killed, so a policy
 * command must return once the screen is locked (e.g. `i3lock`, not `i3lock -n`).
 */
import { commandMethod, NOT_INSTALLED, type LockMethod } from './lock-method';
import { linuxLockMethods, LINUX_POLICY_HINT } from './lock-linux';
import { macosLockMethods, MACOS_POLICY_HINT } from './lock-macos';
import { windowsLockMethods, WINDOWS_POLICY_HINT } from './lock-windows';

export interface LockAttempt {
  readonly method: string;
  /** One line: why this method did not lock ("not installed", "exited with code 1: ..."). */
  readonly problem: string;
}

export type LockResult =
  | {
      readonly ok: true;
      /** The method that locked, e.g. "loginctl lock-session" or the policy command. */
      readonly method: string;
      /** False when the method ran but cannot tell whether the screen really locked. */
      readonly confirmed: boolean;
      /** Methods that failed before it, or ran unconfirmed. */
      readonly tried: readonly LockAttempt[];
    }
  | { readonly ok: false; readonly tried: readonly LockAttempt[]; /** What was tried and what to do next. */ readonly message: string };

export interface LockOptions {
  /** Policy lockCommand: argv, run without a shell. */
  readonly command?: readonly string[];
  /** Per command; default 5000 ms. */
  readonly timeoutMs?: number;
  /** Environment for lock commands; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default process.platform. */
  readonly platform?: NodeJS.Platform;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 5000;

function platformMethods(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): { methods: LockMethod[]; hint: string } {
  switch (platform) {
    case 'linux':
      return { methods: linuxLockMethods(), hint: LINUX_POLICY_HINT };
    case 'win32':
      return { methods: windowsLockMethods(env), hint: WINDOWS_POLICY_HINT };
    case 'darwin':
      return { methods: macosLockMethods(), hint: MACOS_POLICY_HINT };
    default:
      return { methods: [], hint: `set lockCommand in policy: Cadence has no built-in lock for ${platform}` };
  }
}

function policyMethod(command: readonly string[]): LockMethod {
  const valid = command.length > 0 && command.every((a) => typeof a === 'string') && command[0] !== '';
  if (!valid) {
    return {
      name: `policy lockCommand ${JSON.stringify(command)}`,
      run: async () => ({ ok: false, problem: 'policy lockCommand must be a non-empty array of strings (program first)' }),
    };
  }
  return commandMethod(command, { name: `policy lockCommand ${JSON.stringify(command)}` });
}

export async function lockSession(opts: LockOptions = {}): Promise<LockResult> {
  const env = opts.env ?? process.env;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const { methods, hint } = platformMethods(opts.platform ?? process.platform, env);
  const chain = opts.command !== undefined ? [policyMethod(opts.command), ...methods] : methods;

  const tried: LockAttempt[] = [];
  let unconfirmed: string | null = null;
  for (const m of chain) {
    let outcome;
    try {
      outcome = await m.run({ timeoutMs, env });
    } catch (e) {
      outcome = { ok: false as const, problem: `failed unexpectedly: ${(e as Error).message}` };
    }
    if (outcome.ok && outcome.confirmed) return { ok: true, method: m.name, confirmed: true, tried };
    if (outcome.ok) {
      // It ran, but nothing says the screen locked: keep trying the rest, and
      // fall back to reporting this one if nothing better works.
      unconfirmed ??= m.name;
      tried.push({ method: m.name, problem: 'ran, but could not confirm that the screen locked' });
    } else tried.push({ method: m.name, problem: outcome.problem });
  }
  if (unconfirmed !== null) {
    return { ok: true, method: unconfirmed, confirmed: false, tried: tried.filter((t) => t.method !== unconfirmed) };
  }
  return { ok: false, tried, message: `could not lock the session. ${describeTried(tried)} To fix: ${hint}.` };
}

/** "Tried: a (why); b (why); not installed: c, d." */
function describeTried(tried: readonly LockAttempt[]): string {
  if (tried.length === 0) return 'There is no built-in lock method for this platform.';
  const failed = tried.filter((t) => t.problem !== NOT_INSTALLED).map((t) => `${t.method} (${t.problem})`);
  const missing = tried.filter((t) => t.problem === NOT_INSTALLED).map((t) => t.method.split(' ')[0]);
  const parts = [...failed, ...(missing.length > 0 ? [`not installed: ${missing.join(', ')}`] : [])];
  return `Tried: ${parts.join('; ')}.`;
}
