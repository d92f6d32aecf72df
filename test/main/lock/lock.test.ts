import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lockSession } from '../../../src/main/lock/lock';

/**
 * The lock chain is tested with commands of the test's own: a temp folder of
 * fake `loginctl`, `xdg-screensaver` … scripts is the only thing on PATH, so
 * these tests never lock the session of whoever runs them. Only the last test
 * runs the real commands, and only where there is no desktop session.
 */
let dir: string;
let bin: string;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-lock-'));
  bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function fake(name: string, script: string): void {
  const file = path.join(bin, name);
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`);
  fs.chmodSync(file, 0o755);
}

function clearFakes(): void {
  for (const f of fs.readdirSync(bin)) fs.rmSync(path.join(bin, f));
}

/** Only the fakes are on PATH; no desktop session variables. */
function fakeEnv(): NodeJS.ProcessEnv {
  return { PATH: bin, HOME: dir };
}

/** A policy command: Node writing a file, so its effect can be observed. */
function writerCommand(file: string, ...extra: string[]): string[] {
  return [process.execPath, '-e', "require('fs').writeFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)))", file, ...extra];
}

/** Running, and not a zombie waiting for a parent (this container's init may not reap orphans). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('lockSession', () => {
  it('runs the policy lock command, whose effect is observed, and reports it as the method', async () => {
    clearFakes();
    const marker = path.join(dir, 'policy-locked');
    const r = await lockSession({ command: writerCommand(marker), env: fakeEnv(), platform: 'linux' });
    assert.equal(r.ok, true);
    assert.ok(r.ok && r.method.startsWith('policy lockCommand') && r.confirmed && r.tried.length === 0, JSON.stringify(r));
    assert.ok(fs.existsSync(marker), 'the policy command did not run');
  });

  it('passes policy arguments verbatim, without a shell', async () => {
    const marker = path.join(dir, 'argv');
    const pwned = path.join(dir, 'pwned');
    const hostile = `$(touch ${pwned}); \`touch ${pwned}\` * "quoted"`;
    const r = await lockSession({ command: writerCommand(marker, hostile), env: fakeEnv(), platform: 'linux' });
    assert.equal(r.ok, true);
    assert.deepEqual(JSON.parse(fs.readFileSync(marker, 'utf8')), [hostile]);
    assert.equal(fs.existsSync(pwned), false, 'a shell interpreted the policy command');
  });

  it('falls back from a failing loginctl to the first screensaver lock that works, and stops there', async () => {
    clearFakes();
    const marker = path.join(dir, 'xdg-locked');
    const later = path.join(dir, 'later-ran');
    fake('loginctl', 'echo "Failed to connect to bus: No such file or directory" >&2; exit 1');
    fake('xdg-screensaver', `[ "$1" = lock ] && echo locked > "${marker}"`);
    fake('dm-tool', `echo ran > "${later}"`);
    const r = await lockSession({ env: fakeEnv(), platform: 'linux' });
    assert.deepEqual(r, {
      ok: true,
      method: 'xdg-screensaver lock',
      confirmed: true,
      tried: [{ method: 'loginctl lock-session', problem: 'exited with code 1: Failed to connect to bus: No such file or directory' }],
    });
    assert.ok(fs.existsSync(marker));
    assert.equal(fs.existsSync(later), false, 'a method after the first success ran');
  });

  it('trusts loginctl when logind reports the session locked (LockedHint=yes)', async () => {
    clearFakes();
    fake('loginctl', 'case "$1" in lock-session) exit 0;; show-session) echo yes;; esac');
    const r = await lockSession({ env: { ...fakeEnv(), XDG_SESSION_ID: '7' }, platform: 'linux' });
    assert.deepEqual(r, { ok: true, method: 'loginctl lock-session', confirmed: true, tried: [] });
  });

  it('reports loginctl as unconfirmed when no locker answered logind, after trying the other methods', async () => {
    clearFakes();
    fake('loginctl', 'case "$1" in lock-session) exit 0;; show-session) echo no;; esac');
    const started = Date.now();
    const r = await lockSession({ env: fakeEnv(), platform: 'linux' });
    assert.equal(r.ok, true);
    assert.ok(r.ok && r.method === 'loginctl lock-session' && r.confirmed === false, JSON.stringify(r));
    assert.ok(r.ok && r.tried.some((t) => t.method === 'xdg-screensaver lock' && t.problem === 'not installed'));
    assert.ok(Date.now() - started >= 1900, 'did not wait for LockedHint');
  });

  it('falls back to the platform methods when the policy command fails, and says what was tried and what to do', async () => {
    clearFakes();
    const r = await lockSession({
      command: [process.execPath, '-e', "process.stderr.write('no locker here\\n'); process.exit(3)"],
      env: fakeEnv(),
      platform: 'linux',
    });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.tried[0]!.method, /^policy lockCommand/);
    assert.equal(r.tried[0]!.problem, 'exited with code 3: no locker here');
    assert.deepEqual(
      r.tried.slice(1).map((t) => t.method),
      [
        'loginctl lock-session',
        'xdg-screensaver lock',
        'gnome-screensaver-command --lock',
        'cinnamon-screensaver-command --lock',
        'mate-screensaver-command --lock',
        'xscreensaver-command -lock',
        'light-locker-command --lock',
        'dm-tool lock',
        'xflock4',
        'dbus org.freedesktop.ScreenSaver.Lock',
      ],
    );
    assert.ok(r.tried.slice(1).every((t) => t.problem === 'not installed'));
    assert.match(r.message, /could not lock the session\. Tried: policy lockCommand .* \(exited with code 3: no locker here\); not installed: loginctl, xdg-screensaver, /);
    assert.match(r.message, /To fix: set "lockCommand" in \/etc\/cadence\/policy\.json/);
  });

  it('kills a hung lock command and its children after the timeout and goes on', async () => {
    clearFakes();
    const pids = path.join(dir, 'hung-pids');
    fake('hung-locker', `/bin/sleep 30 & echo "$$ $!" > "${pids}"; wait`);
    const started = Date.now();
    const r = await lockSession({ command: [path.join(bin, 'hung-locker')], env: fakeEnv(), platform: 'linux', timeoutMs: 300 });
    const elapsed = Date.now() - started;
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.tried[0]!.problem === 'did not finish within 300 ms (hung; killed)', JSON.stringify(r));
    assert.ok(!r.ok && r.tried.length === 11, 'the chain did not go on after the hung command');
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
    const [shell, sleeper] = fs.readFileSync(pids, 'utf8').trim().split(' ').map(Number) as [number, number];
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(alive(shell), false, 'the hung command is still running');
    assert.equal(alive(sleeper), false, 'a child of the hung command is still running');
  });

  it('does not wait for a locker daemon that keeps the output pipes open', async () => {
    clearFakes();
    const pidFile = path.join(dir, 'daemon-pid');
    // Like i3lock: fork the locker, exit 0 once it is up.
    fake('forking-locker', `/bin/sleep 20 & echo $! > "${pidFile}"; exit 0`);
    const started = Date.now();
    const r = await lockSession({ command: [path.join(bin, 'forking-locker')], env: fakeEnv(), platform: 'linux', timeoutMs: 5000 });
    assert.equal(r.ok, true);
    assert.ok(Date.now() - started < 2000, 'waited for the daemon');
    const daemon = Number(fs.readFileSync(pidFile, 'utf8'));
    assert.equal(alive(daemon), true, 'the locker daemon was killed after a successful lock');
    process.kill(daemon, 'SIGKILL');
  });

  it('rejects a malformed policy command with a message and still tries the platform methods', async () => {
    clearFakes();
    fake('xdg-screensaver', 'exit 0');
    const r = await lockSession({ command: [], env: fakeEnv(), platform: 'linux' });
    assert.ok(r.ok && r.method === 'xdg-screensaver lock', JSON.stringify(r));
    assert.ok(r.ok && r.tried[0]!.problem.startsWith('policy lockCommand must be a non-empty array of strings'));
  });

  it('on a platform without a built-in lock, fails with a message that says to set a lock command', async () => {
    const r = await lockSession({ env: fakeEnv(), platform: 'aix' });
    assert.deepEqual(r.ok, false);
    assert.ok(!r.ok && /no built-in lock method/.test(r.message) && /set lockCommand in policy/.test(r.message), JSON.stringify(r));
  });

  const desktop = ['XDG_SESSION_ID', 'DBUS_SESSION_BUS_ADDRESS', 'WAYLAND_DISPLAY', 'XDG_CURRENT_DESKTOP'].find((v) => process.env[v]);
  it(
    'with the real commands and no logind or screensaver (this machine), fails cleanly listing what it tried',
    { skip: process.platform !== 'linux' ? 'Linux only' : desktop ? `${desktop} is set: this may be a real desktop session, which the test would lock` : false },
    async () => {
      const env = { ...process.env };
      delete env.DISPLAY; // no private X server here, and no dbus autolaunch against one
      const r = await lockSession({ env, timeoutMs: 5000 });
      assert.equal(r.ok, false, `something locked: ${JSON.stringify(r)}`);
      if (r.ok) return;
      assert.equal(r.tried.length, 10);
      assert.equal(r.tried[0]!.method, 'loginctl lock-session');
      assert.ok(r.tried.every((t) => t.problem.length > 0));
      assert.match(r.message, /^could not lock the session\. Tried: .*loginctl/);
      assert.match(r.message, /set "lockCommand" in \/etc\/cadence\/policy\.json/);
    },
  );
});
