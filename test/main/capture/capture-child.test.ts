import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { CAPTURE_CHILD_PATH } from '../../../src/main/capture/supervisor';
import { EXIT_BAD_START, EXIT_DISPLAY_UNUSABLE } from '../../../src/main/capture/protocol';
import { startXvfb, xvfbAvailable, NO_XVFB_REASON } from '../../support/xvfb';

/**
 * Runs the REAL compiled capture child: these refusals exist because loading
 * uiohook on a bad display exits or aborts the process, so only a real
 * process can show they do not.
 */
interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  messages: unknown[];
}

function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.XDG_SESSION_TYPE;
  return env;
}

function runChild(env: NodeJS.ProcessEnv, ipc = true): Promise<Outcome> {
  const child = ipc
    ? fork(CAPTURE_CHILD_PATH, [], { env, execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
    : spawn(process.execPath, [CAPTURE_CHILD_PATH], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Outcome = { code: null, signal: null, stderr: '', messages: [] };
  child.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => (out.stderr += `[stdout] ${d.toString()}`));
  child.on('message', (m) => out.messages.push(m));
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ ...out, code, signal });
    }),
  );
}

function assertRefused(o: Outcome, cause: string, text: RegExp): void {
  assert.equal(o.signal, null, `child died by ${o.signal} (an abort is exactly what the check prevents)`);
  assert.equal(o.code, EXIT_DISPLAY_UNUSABLE, o.stderr);
  const lines = o.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got: ${o.stderr}`);
  assert.match(lines[0]!, new RegExp(`^cadence capture: capture unavailable \\(${cause}\\): `));
  assert.match(lines[0]!, text);
  assert.deepEqual(
    o.messages.map((m) => (m as { type: string; cause: string }).cause),
    [cause],
    'the parent gets the cause as a fatal message',
  );
}

test('real child with no DISPLAY: one line, exit 3, no abort', async () => {
  assertRefused(await runChild(baseEnv()), 'no-display', /DISPLAY is not set/);
});

test('real child in a Wayland session: one line, exit 3, no abort', async () => {
  assertRefused(await runChild({ ...baseEnv(), XDG_SESSION_TYPE: 'wayland', DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0' }), 'wayland', /Wayland/);
});

test('real child with a dead X server (no socket, or a TCP display nobody listens on): one line, exit 3, no abort', async () => {
  let n = 40000 + Math.floor(Math.random() * 20000);
  while (fs.existsSync(`/tmp/.X11-unix/X${n}`)) n++;
  assertRefused(await runChild({ ...baseEnv(), DISPLAY: `:${n}` }), 'dead-x-server', new RegExp(`DISPLAY=:${n}`));

  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
  assertRefused(await runChild({ ...baseEnv(), DISPLAY: `127.0.0.1:${port - 6000}` }), 'dead-x-server', /ECONNREFUSED/);
});

test('real child without a supervisor on a live display refuses to run (exit 4) before loading the hook', { skip: !xvfbAvailable() && NO_XVFB_REASON }, async () => {
  const x = await startXvfb();
  try {
    const o = await runChild({ ...baseEnv(), DISPLAY: x.display }, false);
    assert.equal(o.signal, null);
    assert.equal(o.code, EXIT_BAD_START);
    assert.match(o.stderr, /must be started by the capture supervisor/);
  } finally {
    await x.stop();
  }
});
