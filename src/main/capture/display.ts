import net from 'node:net';
import path from 'node:path';

/**
 * Can global input capture work on this display? Checked BEFORE uiohook-napi is
 * loaded, because uiohook cannot fail gracefully: `require('uiohook-napi')`
 * without a reachable X display prints a line and exits the process, and
 * `uIOhook.start()` on a dead display aborts with SIGABRT (TESTBED.md).
 */
export type DisplayCause = 'no-display' | 'wayland' | 'dead-x-server' | 'bad-display-name' | 'unsupported-platform';

export type DisplayCheck =
  | { readonly ok: true; /** Something the user may still need to do, e.g. grant a permission. */ readonly note?: string }
  | { readonly ok: false; readonly cause: DisplayCause; /** One line: the cause and what to do next. */ readonly message: string };

export interface DisplayCheckOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
  /** How long a live X server may take to answer the connection setup. */
  readonly timeoutMs?: number;
  /** Where local X servers put their sockets; tests point it elsewhere. */
  readonly socketDir?: string;
}

export interface XDisplayName {
  /** '' for a local (unix socket) display. */
  readonly host: string;
  readonly number: number;
  readonly screen: number;
}

/** Parses `[host]:number[.screen]` as Xlib does (no DECnet `::`, no launchd paths). */
export function parseXDisplay(name: string): XDisplayName | null {
  const m = /^([^:]*):(\d+)(?:\.(\d+))?$/.exec(name.trim());
  if (!m) return null;
  const host = m[1] === 'unix' ? '' : m[1]!;
  return { host, number: Number(m[2]), screen: m[3] === undefined ? 0 : Number(m[3]) };
}

const DEFAULT_TIMEOUT_MS = 1500;
const X_TCP_BASE_PORT = 6000;

/**
 * Connects to the X server and sends the 12-byte connection setup request
 * without credentials. Any reply (Success, Failed or Authenticate) proves a
 * live server; uiohook will authenticate itself later through Xlib. Only a
 * refused connection, a missing socket, or silence until the timeout mean the
 * server is gone or hung.
 */
function probeX(target: { path: string } | { host: string; port: number }, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const sock = net.connect(target as net.NetConnectOpts);
    let done = false;
    const finish = (problem: string | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(problem);
    };
    const timer = setTimeout(() => finish(`no answer within ${timeoutMs} ms`), timeoutMs);
    sock.once('connect', () => {
      // 'l' = little-endian, protocol 11.0, empty auth name and data.
      const req = Buffer.alloc(12);
      req.write('l', 0, 'latin1');
      req.writeUInt16LE(11, 2);
      req.writeUInt16LE(0, 4);
      sock.write(req);
    });
    sock.once('data', (d: Buffer) => {
      const status = d[0];
      finish(status === 0 || status === 1 || status === 2 ? null : `unexpected reply byte ${status}`);
    });
    sock.once('error', (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
    sock.once('close', () => finish('connection closed without a reply'));
  });
}

export async function checkDisplay(opts: DisplayCheckOptions = {}): Promise<DisplayCheck> {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  if (platform === 'win32') return { ok: true };
  if (platform === 'darwin') {
    // Not testable on these machines. Without the permission, start() crashes
    // an Electron app, so the Electron shell must check it
    // (systemPreferences.isTrustedAccessibilityClient) before starting capture.
    return { ok: true, note: 'macOS: Cadence needs Accessibility and Input Monitoring permission (System Settings > Privacy & Security)' };
  }
  if (platform !== 'linux') {
    return {
      ok: false,
      cause: 'unsupported-platform',
      message: `capture is not supported on ${platform}: Cadence captures input on Linux (X11), Windows and macOS only`,
    };
  }
  if (env.XDG_SESSION_TYPE === 'wayland' || (env.WAYLAND_DISPLAY ?? '') !== '') {
    return {
      ok: false,
      cause: 'wayland',
      message:
        'this is a Wayland session: Wayland lets no program see global keyboard and mouse input without root; log in with an X11 (Xorg) session to use Cadence',
    };
  }
  const name = env.DISPLAY ?? '';
  if (name === '') {
    return {
      ok: false,
      cause: 'no-display',
      message: 'no X display (DISPLAY is not set): run Cadence inside your graphical X11 session, or set DISPLAY to a running X server',
    };
  }
  const d = parseXDisplay(name);
  if (!d) {
    return { ok: false, cause: 'bad-display-name', message: `DISPLAY="${name}" is not a valid X display name (expected [host]:number[.screen]); fix DISPLAY` };
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let problem: string | null;
  let where: string;
  if (d.host === '') {
    where = path.join(opts.socketDir ?? '/tmp/.X11-unix', `X${d.number}`);
    problem = await probeX({ path: where }, timeoutMs);
    if (problem !== null && opts.socketDir === undefined) {
      // Servers started with -nolisten unix still listen on Linux's abstract socket.
      const abstract = await probeX({ path: `\0${where}` }, timeoutMs);
      if (abstract === null) problem = null;
    }
  } else {
    where = `${d.host}:${X_TCP_BASE_PORT + d.number}`;
    problem = await probeX({ host: d.host, port: X_TCP_BASE_PORT + d.number }, timeoutMs);
  }
  if (problem !== null) {
    return {
      ok: false,
      cause: 'dead-x-server',
      message: `the X server for DISPLAY=${name} does not answer at ${where} (${problem}): start it or point DISPLAY at a running one`,
    };
  }
  return { ok: true };
}
