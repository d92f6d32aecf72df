import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where Cadence keeps its files for the current OS user.
 *
 * One folder per OS user (never a machine-wide folder): the profile describes
 * one person's typing, so another account on the same machine must not read
 * it. The functions take the environment, platform and home folder as
 * arguments so every platform's answer can be tested on any platform; the
 * defaults are the running process's.
 */

export const DATABASE_FILE = 'cadence.db';

export interface PathEnv {
  readonly env?: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
  readonly home?: string;
}

function resolved(opts: PathEnv): { env: NodeJS.ProcessEnv; platform: NodeJS.Platform; home: string } {
  return { env: opts.env ?? process.env, platform: opts.platform ?? process.platform, home: opts.home ?? os.homedir() };
}

/** Non-empty and absolute (XDG says relative values must be ignored). */
function absoluteOrNull(p: string | undefined, platform: NodeJS.Platform): string | null {
  if (p === undefined || p === '') return null;
  const lib = platform === 'win32' ? path.win32 : path.posix;
  return lib.isAbsolute(p) ? p : null;
}

/**
 * The data folder: `$CADENCE_DATA_DIR` if set (tests, portable installs),
 * else the platform's per-user application data folder.
 */
export function dataDir(opts: PathEnv = {}): string {
  const { env, platform, home } = resolved(opts);
  const override = env.CADENCE_DATA_DIR;
  if (override !== undefined && override !== '') return path.resolve(override);
  switch (platform) {
    case 'win32':
      // LOCALAPPDATA, not APPDATA: the profile must not roam to other machines.
      return path.win32.join(absoluteOrNull(env.LOCALAPPDATA, platform) ?? path.win32.join(home, 'AppData', 'Local'), 'Cadence');
    case 'darwin':
      return path.posix.join(home, 'Library', 'Application Support', 'Cadence');
    default:
      return path.posix.join(absoluteOrNull(env.XDG_DATA_HOME, platform) ?? path.posix.join(home, '.local', 'share'), 'cadence');
  }
}

/** The SQLite database inside a data folder. */
export function databasePath(dir: string): string {
  return path.join(dir, DATABASE_FILE);
}

/**
 * Where logs go. With `$CADENCE_DATA_DIR` set they stay inside it (a test or
 * portable install leaves nothing elsewhere); otherwise where each platform
 * keeps logs: XDG state home on Linux (logs are state, not data),
 * ~/Library/Logs on macOS, beside the data on Windows.
 *
 * Logs never hold key data (see DESIGN.md), so their place is about
 * convenience, not secrecy.
 */
export function logDir(opts: PathEnv = {}): string {
  const { env, platform, home } = resolved(opts);
  const override = env.CADENCE_DATA_DIR;
  if (override !== undefined && override !== '') return path.join(path.resolve(override), 'logs');
  switch (platform) {
    case 'win32':
      return path.win32.join(dataDir(opts), 'logs');
    case 'darwin':
      return path.posix.join(home, 'Library', 'Logs', 'Cadence');
    default:
      return path.posix.join(absoluteOrNull(env.XDG_STATE_HOME, platform) ?? path.posix.join(home, '.local', 'state'), 'cadence', 'logs');
  }
}
