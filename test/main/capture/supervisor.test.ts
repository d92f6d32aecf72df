import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { startCapture, type CaptureHandle, type CaptureOptions, type CaptureOutage, type CaptureStatus } from '../../../src/main/capture/supervisor';
import type { KeystrokeWindow } from '../../../src/model/keystroke-windows';
import type { MouseActionFeatures } from '../../../src/model/mouse-features';
import type { ActivityCounts } from '../../../src/main/capture/protocol';
import { startXvfb, xvfbAvailable, NO_XVFB_REASON, type XServer } from '../../support/xvfb';

const noX = !xvfbAvailable() && NO_XVFB_REASON;
const noXdotool = spawnOk('xdotool') ? false : 'xdotool is not installed (apt-get install xdotool; .ci/run does this)';

function spawnOk(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function envFor(display?: string): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.WAYLAND_DISPLAY;
  delete env.XDG_SESSION_TYPE;
  if (display === undefined) delete env.DISPLAY;
  else env.DISPLAY = display;
  return env;
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Recorder {
  windows: KeystrokeWindow[];
  mouse: MouseActionFeatures[];
  activity: ActivityCounts[];
  statuses: CaptureStatus[];
  outages: CaptureOutage[];
  protocolErrors: string[];
}

function record(extra: Partial<CaptureOptions> & { env: NodeJS.ProcessEnv }): { rec: Recorder; handle: CaptureHandle } {
  const rec: Recorder = { windows: [], mouse: [], activity: [], statuses: [], outages: [], protocolErrors: [] };
  const handle = startCapture({
    secret: randomBytes(32),
    mouseBatchMs: 100,
    activityMs: 50,
    onKeystrokeWindow: (w) => rec.windows.push(w),
    onMouseActions: (a) => rec.mouse.push(...a),
    onActivity: (c) => rec.activity.push(c),
    onStatus: (s) => rec.statuses.push(s),
    onOutage: (o) => rec.outages.push(o),
    onProtocolError: (e) => rec.protocolErrors.push(e),
    ...extra,
  });
  return { rec, handle };
}

test('no display: the supervisor reports "capture unavailable: <reason>", retries slowly, and records the outage', async () => {
  const { rec, handle } = record({ env: envFor(undefined), restart: { unavailableMs: 200 } });
  await waitFor('two failed attempts', () => rec.statuses.filter((s) => s.state === 'unavailable').length >= 2);
  const s = handle.status;
  assert.equal(s.state, 'unavailable');
  assert.equal(s.cause, 'no-display');
  assert.match(s.message, /^capture unavailable: no X display \(DISPLAY is not set\)/);
  await handle.dispose();
  assert.equal(handle.status.state, 'stopped');
  assert.equal(rec.outages.length, 1);
  const o = rec.outages[0]!;
  assert.match(o.reason, /DISPLAY is not set/);
  assert.ok(o.failedAttempts >= 2);
  assert.ok(o.end >= o.start);
});

test('a short secret is refused before anything starts', () => {
  assert.throws(() => startCapture({ secret: Buffer.alloc(4), onKeystrokeWindow: () => undefined, onMouseActions: () => undefined }), /at least 16 bytes/);
});

test('capture crash and restart: kill -9 the real child, it comes back after backoff and the outage is recorded', { skip: noX }, async () => {
  const x = await startXvfb();
  const { rec, handle } = record({ env: envFor(x.display), restart: { initialMs: 100 } });
  const pids: number[] = [];
  try {
    await waitFor('capture running', () => handle.status.state === 'running');
    const first = handle.pid!;
    pids.push(first);
    const beforeKill = Date.now();
    process.kill(first, 'SIGKILL');
    await waitFor('the restarting status', () => rec.statuses.some((s) => s.state === 'restarting'));
    await waitFor('capture running again', () => handle.status.state === 'running' && handle.pid !== undefined && handle.pid !== first);
    pids.push(handle.pid!);
    assert.equal(alive(first), false);
    const restarting = rec.statuses.find((s) => s.state === 'restarting')!;
    assert.match(restarting.message, /killed by SIGKILL/);
    assert.equal(rec.outages.length, 1);
    const o = rec.outages[0]!;
    assert.match(o.reason, /capture process killed by SIGKILL/);
    assert.ok(o.start >= beforeKill - 5 && o.end >= o.start + 100, `outage ${JSON.stringify(o)} should cover at least the 100 ms backoff`);
    assert.equal(o.failedAttempts, 1);

    // a second crash backs off longer (doubling)
    process.kill(handle.pid!, 'SIGKILL');
    await waitFor('second restart', () => rec.outages.length === 2, 15_000);
    pids.push(handle.pid!);
    assert.ok(rec.outages[1]!.end - rec.outages[1]!.start >= 200, 'second backoff doubles');
  } finally {
    await handle.dispose();
    await x.stop();
  }
  for (const pid of pids) assert.equal(alive(pid), false, `capture child ${pid} outlived dispose()`);
  assert.equal(rec.protocolErrors.length, 0);
});

test('dispose right after start stops the child at once (a stop during start-up is not lost)', { skip: noX }, async () => {
  const x = await startXvfb();
  try {
    for (const wait of [0, 150]) {
      const { rec, handle } = record({ env: envFor(x.display) });
      await new Promise((r) => setTimeout(r, wait));
      const pid = handle.pid!;
      const t0 = Date.now();
      await handle.dispose();
      assert.ok(Date.now() - t0 < 2000, `dispose took ${Date.now() - t0} ms: the stop was lost and the child was killed after the grace period`);
      assert.equal(alive(pid), false);
      assert.equal(handle.status.state, 'stopped');
      assert.equal(rec.protocolErrors.length, 0);
    }
  } finally {
    await x.stop();
  }
});

test('a hung child (SIGSTOP) is detected by its missing stats, killed and restarted, and the outage recorded', { skip: noX }, async () => {
  const x = await startXvfb();
  const { rec, handle } = record({ env: envFor(x.display), statsMs: 200, restart: { initialMs: 100 } });
  const pids: number[] = [];
  try {
    await waitFor('capture running', () => handle.status.state === 'running');
    const first = handle.pid!;
    pids.push(first);
    process.kill(first, 'SIGSTOP');
    await waitFor('a new child', () => handle.status.state === 'running' && handle.pid !== first, 10_000);
    pids.push(handle.pid!);
    assert.equal(rec.outages.length, 1);
    assert.match(rec.outages[0]!.reason, /stopped responding \(nothing for 1600 ms\)/);
  } finally {
    await handle.dispose();
    await x.stop();
  }
  for (const pid of pids) assert.equal(alive(pid), false);
});

async function xdotool(display: string, script: string): Promise<void> {
  const p = spawn('xdotool', ['-'], { env: envFor(display), stdio: ['pipe', 'ignore', 'inherit'] });
  p.stdin.end(script);
  const [code] = await once(p, 'exit');
  assert.equal(code, 0, 'xdotool failed');
}

test('smoke: xdotool types and moves on a private Xvfb; the supervisor receives keystroke windows that add up and mouse actions', { skip: noX || noXdotool }, async () => {
  const x: XServer = await startXvfb();
  const { rec, handle } = record({ env: envFor(x.display), windowSize: 10 });
  const text = 'the quick brown fox jumps'; // 25 keys, lowercase and space only: no shift
  try {
    await waitFor('capture running', () => handle.status.state === 'running');
    // xdotool type --delay 80: a key every 40 ms, held 20 ms (TESTBED.md)
    await xdotool(x.display, `type --delay 80 '${text}'\n`);
    await waitFor('two full windows', () => rec.windows.length >= 2);
    await waitFor('activity counts all keystrokes', () => rec.activity.some((a) => a.keystrokes === text.length));

    const moves = Array.from({ length: 12 }, (_, i) => `mousemove ${100 + i * 15} ${100 + i * 8}\nsleep 0.02\n`).join('');
    const drag = Array.from({ length: 8 }, (_, i) => `mousemove ${400 + i * 20} ${300 + i * 4}\nsleep 0.02\n`).join('');
    await xdotool(
      x.display,
      `${moves}click 1\nsleep 0.1\nmousemove 400 300\nsleep 0.02\nmousedown 1\nsleep 0.02\n${drag}mouseup 1\n`,
    );
    await waitFor('mouse actions', () => rec.mouse.some((a) => a.type === 'PC') && rec.mouse.some((a) => a.type === 'DD'));
  } finally {
    await handle.dispose();
    await x.stop();
  }
  // After dispose the partial third window (5 of 10) was sent: half full.
  const total = rec.windows.reduce((s, w) => s + w.keystrokes, 0);
  assert.equal(total, 25);
  for (const [i, w] of rec.windows.entries()) {
    const holds = Object.values(w.holds).flat();
    const dd = Object.values(w.dd).flat();
    const ud = Object.values(w.ud).flat();
    assert.equal(holds.length, w.keystrokes, 'one hold per keystroke');
    assert.equal(dd.length, ud.length, 'each digraph has both flights');
    // typing is continuous, so every consecutive pair is a digraph (the first window has no predecessor)
    assert.equal(dd.length, i === 0 ? w.keystrokes - 1 : w.keystrokes);
    for (const h of holds) assert.ok(h > 0 && h <= 1000, `hold ${h} ms is not what xdotool typed`);
    for (const d of dd) assert.ok(d > 0 && d <= 1000, `flight ${d} ms is not what xdotool typed`);
    for (const id of Object.keys(w.holds)) assert.doesNotMatch(id, /^\d+$/, 'a raw key code left the capture process');
  }
  // 'o' and 'u' and ' ' repeat: fewer distinct hold ids than keystrokes overall
  const ids = new Set(rec.windows.flatMap((w) => Object.keys(w.holds)));
  assert.equal(ids.size, new Set(text).size);
  assert.ok(rec.mouse.some((a) => a.type === 'MM' || a.type === 'PC'));
  assert.equal(rec.protocolErrors.length, 0);
  assert.deepEqual(rec.outages, []);
});
