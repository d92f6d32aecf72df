import { spawn } from 'node:child_process';

/** What one way of locking reported. */
export type LockOutcome =
  | { readonly ok: true; /** False when it ran but could not confirm the screen is locked. */ readonly confirmed: boolean }
  | { readonly ok: false; /** One line: why it did not lock. */ readonly problem: string };

export interface LockContext {
  /** Per command; a command still running then is treated as hung and killed. */
  readonly timeoutMs: number;
  /** Environment for lock commands (tests point PATH at their own). */
  readonly env: NodeJS.ProcessEnv;
}

/** One way of locking the session, tried in order by lockSession(). */
export interface LockMethod {
  /** Names the method in results and in the audit log, e.g. "loginctl lock-session". */
  readonly name: string;
  run(ctx: LockContext): Promise<LockOutcome>;
}

export type CommandOutcome =
  | { readonly ok: true; readonly stdout: string }
  | { readonly ok: false; readonly problem: string };

const MAX_CAPTURE = 4096;

/** The problem text for a command that is not on PATH. */
export const NOT_INSTALLED = 'not installed';

/**
 * Runs argv without a shell and waits for it to exit. Resolves on 'exit', not
 * 'close': lockers often fork a daemon that inherits the pipes and would hold
 * them open for as long as the screen stays locked. The command runs in its
 * own process group so a hung one is killed with everything it started.
 */
export function runCommand(argv: readonly string[], ctx: LockContext): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    if (file === undefined || file === '') {
      resolve({ ok: false, problem: 'empty command' });
      return;
    }
    let stdout = '';
    let stderr = '';
    let settled = false;
    const child = spawn(file, args, {
      env: ctx.env,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const finish = (outcome: CommandOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(outcome);
    };
    child.stdout?.on('data', (d: Buffer) => {
      if (stdout.length < MAX_CAPTURE) stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < MAX_CAPTURE) stderr += d.toString();
    });
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
      finish({ ok: false, problem: `did not finish within ${ctx.timeoutMs} ms (hung; killed)` });
    }, ctx.timeoutMs);
    child.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') finish({ ok: false, problem: NOT_INSTALLED });
      else if (e.code === 'EACCES') finish({ ok: false, problem: 'not executable (permission denied)' });
      else finish({ ok: false, problem: `could not start: ${e.message}` });
    });
    child.once('exit', (code, signal) => {
      // Let already-buffered output arrive before reading it.
      setImmediate(() => {
        if (code === 0) return finish({ ok: true, stdout });
        const firstLine = stderr.trim().split('\n')[0]?.trim() || stdout.trim().split('\n')[0]?.trim() || '';
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        finish({ ok: false, problem: firstLine ? `${how}: ${firstLine}` : how });
      });
    });
  });
}

/** A lock method that is one command; exit status 0 counts as locked. */
export function commandMethod(argv: readonly string[], opts: { confirmed?: boolean; name?: string } = {}): LockMethod {
  return {
    name: opts.name ?? argv.join(' '),
    async run(ctx) {
      const r = await runCommand(argv, ctx);
      return r.ok ? { ok: true, confirmed: opts.confirmed ?? true } : { ok: false, problem: r.problem };
    },
  };
}
