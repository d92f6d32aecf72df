import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { Keystroke } from '../../src/model/keystrokes';
import { startXvfb, xvfbAvailable, NO_XVFB_REASON, type XServer } from '../support/xvfb';
import { click, drag, keystrokesToEvents, mergeEvents, movePath, replay, xtestUnavailableReason, type ReplayEvent } from '../support/replay';
import { keyForLabel, MAPPED_KEYSYMS, uiohookCodeForKeysym } from '../support/keymap';

const skip = !xvfbAvailable() ? NO_XVFB_REASON : xtestUnavailableReason() ?? false;

/** uiohook event types (libuiohook): key pressed/released, mouse pressed/released/moved/dragged. */
const KEY_DOWN = 4;
const KEY_UP = 5;
const MOUSE_DOWN = 7;
const MOUSE_UP = 8;
const MOUSE_MOVED = 9;
const MOUSE_DRAGGED = 10;

interface HookEvent {
  type: number;
  code: number;
  x: number;
  y: number;
  time: number;
}

/** A real uiohook listener in its own process on `display` (see hook-listener.ts). */
class Listener {
  readonly events: HookEvent[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly ready: Promise<void>;
  private stderr = '';

  constructor(display: string) {
    this.child = spawn(process.execPath, [path.join(__dirname, 'hook-listener.js')], {
      env: { ...process.env, DISPLAY: display },
    });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    const lines = readline.createInterface({ input: this.child.stdout });
    this.ready = new Promise((resolve, reject) => {
      this.child.once('exit', (code) => reject(new Error(`hook listener exited (${code}): ${this.stderr.trim()}`)));
      lines.on('line', (line) => {
        if (line === 'ready') return resolve();
        const [type, code, x, y, time] = line.split(' ').map(Number) as [number, number, number, number, number];
        this.events.push({ type, code, x, y, time });
      });
    });
  }

  /** Resolves once the hook demonstrably sees input: a probe move arrived. */
  async started(display: string): Promise<void> {
    await this.ready;
    for (let i = 0; i < 100; i++) {
      await replay(display, [{ at: 0, type: 'move', x: 1 + (i % 2), y: 1 }]);
      await new Promise((r) => setTimeout(r, 50));
      if (this.events.length > 0) return;
    }
    throw new Error('the hook listener never saw a probe pointer move');
  }

  /** Waits until `n` events with time >= `since` arrived (arrival can lag, TESTBED.md). */
  async waitFor(n: number, since: number, timeoutMs = 20_000): Promise<HookEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.events.filter((e) => e.time >= since);
      if (got.length >= n || Date.now() > deadline) return got;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin.end();
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(kill);
  }
}

/** Deterministic PRNG so a failure can be reproduced. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Synthetic typing: holds 35 to 200 ms (well under Xvfb's 660 ms auto-repeat
 * delay), down-down flights 25 to 190 ms, so about a third overlap (rollover).
 * Fractional milliseconds on purpose: the injector schedules below 1 ms.
 */
function syntheticKeystrokes(n: number, seed: number): Keystroke[] {
  const rnd = mulberry32(seed);
  const labels = [...'etaoinshrdlucmwyfgpbvk.,;/0123456789', ' ', 'SHIFT', 'BKSP'];
  const strokes: Keystroke[] = [];
  const busyUntil = new Map<string, number>();
  let t = 0;
  while (strokes.length < n) {
    t += 25 + rnd() * 165;
    let key = labels[Math.floor(rnd() * labels.length)]!;
    // The same key cannot go down again before it came up.
    while ((busyUntil.get(key) ?? -1) >= t) key = labels[Math.floor(rnd() * labels.length)]!;
    const release = t + 35 + rnd() * 165;
    busyUntil.set(key, release);
    strokes.push({ key, press: t, release });
  }
  return strokes;
}

/** libuiohook numbers buttons 1 left, 2 right, 3 middle; X numbers them 1 left, 2 middle, 3 right. */
function uiohookButton(xButton: number): number {
  return xButton === 2 ? 3 : xButton === 3 ? 2 : xButton;
}

function expectedHook(e: ReplayEvent): { type: number; code: number } {
  switch (e.type) {
    case 'keydown':
      return { type: KEY_DOWN, code: keyForLabel(String(e.key)).uiohook };
    case 'keyup':
      return { type: KEY_UP, code: keyForLabel(String(e.key)).uiohook };
    case 'buttondown':
      return { type: MOUSE_DOWN, code: uiohookButton(e.button) };
    case 'buttonup':
      return { type: MOUSE_UP, code: uiohookButton(e.button) };
    case 'move':
      return { type: MOUSE_MOVED, code: 0 };
  }
}

function stats(errors: readonly number[]): { mean: number; max: number } {
  const abs = errors.map(Math.abs);
  return { mean: abs.reduce((a, b) => a + b, 0) / abs.length, max: Math.max(...abs) };
}

describe('XTest replay addon', { skip }, () => {
  let x: XServer;
  before(async () => {
    x = await startXvfb();
  });
  after(async () => {
    await x?.stop();
  });

  it('replays 320 keystrokes and mouse actions that a real uiohook listener receives at the scheduled times within 2 ms', { timeout: 120_000 }, async () => {
    const listener = new Listener(x.display);
    try {
      await listener.started(x.display);

      const strokes = syntheticKeystrokes(320, 20261128);
      const keys = keystrokesToEvents(strokes, { startAt: 50 });
      const end = Math.max(...keys.map((e) => e.at));
      const mouse = [
        ...movePath(Array.from({ length: 25 }, (_, i) => ({ t: end + 100 + i * 8.5, x: 200 + i * 11, y: 300 + ((i * i) % 37) }))),
        ...click(end + 400, { x: 640, y: 400 }, { holdMs: 93.25 }),
        ...drag(end + 700, { x: 100, y: 100 }, { x: 500, y: 260 }, 240, { steps: 12 }),
        ...click(end + 1100, { x: 300, y: 500 }, { holdMs: 71.5, button: 3 }),
      ];
      const events = mergeEvents(keys, mouse);
      assert.ok(events.filter((e) => e.type === 'keydown').length >= 300);

      const result = await replay(x.display, events);
      assert.equal(result.injectedMs.length, events.length);
      // The X server stamps events with CLOCK_MONOTONIC ms truncated to 32 bits.
      const since = Math.floor(result.startMs) % 2 ** 32;
      const seen = await listener.waitFor(events.length, since);
      // Moves with a button held may arrive as "dragged"; both are pointer motion.
      const moved = seen.map((e) => (e.type === MOUSE_DRAGGED ? { ...e, type: MOUSE_MOVED, code: 0 } : e));

      assert.equal(moved.length, events.length, `the hook saw ${moved.length} of ${events.length} injected events`);
      events.forEach((e, i) => {
        const want = expectedHook(e);
        const got = moved[i]!;
        assert.equal(got.type, want.type, `event ${i} (${e.type} at ${e.at.toFixed(2)} ms): hook type ${got.type}, expected ${want.type}`);
        if (e.type !== 'move') assert.equal(got.code, want.code, `event ${i} (${e.type}): hook code ${got.code}, expected ${want.code}`);
        else assert.deepEqual([got.x, got.y], [Math.round(e.x), Math.round(e.y)], `event ${i}: pointer position`);
      });

      // Every interval between consecutive events, as the hook timed them, vs the schedule.
      const intervalErrors: number[] = [];
      for (let i = 1; i < events.length; i++) {
        const measured = moved[i]!.time - moved[i - 1]!.time;
        const scheduled = events[i]!.at - events[i - 1]!.at;
        intervalErrors.push(measured - scheduled);
      }
      // Holds and down-down flights of the keystrokes, as a feature extractor would see them.
      const holdErrors: number[] = [];
      const keyIndex = new Map<string, number>();
      const presses: Array<{ hookTime: number; at: number }> = [];
      events.forEach((e, i) => {
        if (e.type === 'keydown') {
          keyIndex.set(String(e.key), i);
          presses.push({ hookTime: moved[i]!.time, at: e.at });
        } else if (e.type === 'keyup') {
          const d = keyIndex.get(String(e.key))!;
          holdErrors.push(moved[i]!.time - moved[d]!.time - (e.at - events[d]!.at));
        }
      });
      const flightErrors = presses.slice(1).map((p, i) => p.hookTime - presses[i]!.hookTime - (p.at - presses[i]!.at));
      // How far the injector itself was from its schedule (monotonic clock, sub-ms).
      const injectErrors = result.injectedMs.map((t, i) => t - result.startMs - events[i]!.at);

      const iv = stats(intervalErrors);
      const hd = stats(holdErrors);
      const fl = stats(flightErrors);
      const inj = stats(injectErrors);
      console.log(
        `xtest-replay: ${events.length} events (${holdErrors.length} keystrokes) hook-vs-schedule interval error mean ${iv.mean.toFixed(3)} ms max ${iv.max.toFixed(3)} ms; ` +
          `hold mean ${hd.mean.toFixed(3)} max ${hd.max.toFixed(3)}; flight mean ${fl.mean.toFixed(3)} max ${fl.max.toFixed(3)}; ` +
          `injector-vs-schedule mean ${inj.mean.toFixed(3)} max ${inj.max.toFixed(3)} ms; realtime thread=${result.realtime.replayThread} xserver=${result.realtime.xServer}`,
      );
      intervalErrors.forEach((err, i) =>
        assert.ok(Math.abs(err) <= 2, `interval ${i}->${i + 1} (${events[i]!.type} -> ${events[i + 1]!.type}) is off by ${err.toFixed(3)} ms`),
      );
      assert.ok(hd.max <= 2 && fl.max <= 2, `hold max error ${hd.max} ms, flight max error ${fl.max} ms`);
      // Absolute times agree too: each hook time lies within the injection window the addon measured.
      moved.forEach((e, i) => {
        const lo = Math.floor(result.injectedMs[i]!) % 2 ** 32;
        const hi = Math.floor(result.syncedMs[i]!) % 2 ** 32;
        assert.ok(e.time >= lo && e.time <= hi, `event ${i}: hook time ${e.time} outside the injection window [${lo}, ${hi}]`);
      });
    } finally {
      await listener.stop();
    }
  });

  it('every key in the key map reaches uiohook with the key code the map gives for it', { timeout: 60_000 }, async () => {
    const listener = new Listener(x.display);
    try {
      await listener.started(x.display);
      const keysyms = MAPPED_KEYSYMS.filter((k) => k !== 'Caps_Lock').concat(['Caps_Lock', 'Caps_Lock']); // pressed twice: leaves it off
      const events: ReplayEvent[] = keysyms.flatMap((k, i) => [
        { at: i * 20, type: 'keydown' as const, key: k },
        { at: i * 20 + 8, type: 'keyup' as const, key: k },
      ]);
      const result = await replay(x.display, events);
      const seen = await listener.waitFor(events.length, Math.floor(result.startMs) % 2 ** 32);
      const downs = seen.filter((e) => e.type === KEY_DOWN).map((e) => e.code);
      assert.deepEqual(
        downs.map((code, i) => `${keysyms[i]}=${code}`),
        keysyms.map((k) => `${k}=${uiohookCodeForKeysym(k)}`),
      );
    } finally {
      await listener.stop();
    }
  });

  it('keeps the JS event loop free while it replays', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      await replay(x.display, movePath(Array.from({ length: 30 }, (_, i) => ({ t: i * 10, x: 10 + i, y: 20 }))));
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks >= 10, `only ${ticks} timer ticks ran during a 300 ms replay`);
  });

  it('rejects an unknown keysym, naming it and the event', async () => {
    await assert.rejects(
      replay(x.display, [{ at: 0, type: 'keydown', key: 'a' }, { at: 5, type: 'keydown', key: 'no_such_key' }]),
      /unknown X keysym 'no_such_key' in event 1/,
    );
  });

  it('accepts keysym names in lower case and X keycodes', async () => {
    const r = await replay(x.display, [
      { at: 0, type: 'keydown', key: 'shift_l' },
      { at: 1, type: 'keyup', key: 'shift_l' },
      { at: 2, type: 'keydown', key: 'backspace' },
      { at: 3, type: 'keyup', key: 'BackSpace' },
      { at: 4, type: 'keydown', key: 38 },
      { at: 5, type: 'keyup', key: 38 },
    ]);
    assert.equal(r.injectedMs.length, 6);
  });

  it('rejects a display it cannot open with a message naming it', async () => {
    await assert.rejects(replay(':65000', [{ at: 0, type: 'move', x: 1, y: 1 }]), /cannot open X display ':65000'/);
  });

  it('rejects events out of time order and malformed events before touching the display', async () => {
    await assert.rejects(
      replay(x.display, [{ at: 5, type: 'move', x: 1, y: 1 }, { at: 1, type: 'move', x: 2, y: 2 }]),
      /event 1: 'at' goes back in time/,
    );
    await assert.rejects(replay(x.display, [{ at: 0, type: 'buttondown', button: 0 }]), /event 0: 'button' must be an integer 1\.\.255/);
    await assert.rejects(replay(x.display, [{ at: 0, type: 'jump' } as unknown as ReplayEvent]), /unknown type 'jump'/);
  });

  it('turns an X protocol error into a rejection instead of exiting the process', async () => {
    // Xvfb's pointer has fewer than 200 buttons: XTest answers BadValue.
    await assert.rejects(replay(x.display, [{ at: 0, type: 'buttondown', button: 200 }]), /X error: BadValue.*event 0/);
  });

  it('rejects, and the process survives, when the X server dies mid-replay', async () => {
    const doomed = await startXvfb();
    const moves = movePath(Array.from({ length: 100 }, (_, i) => ({ t: i * 10, x: i, y: i })));
    setTimeout(() => void doomed.stop(), 200);
    await assert.rejects(replay(doomed.display, moves), /lost the connection to the X server/);
  });
});

describe('replay builders', () => {
  it('maps keystroke labels to X keys, shifts times to start at startAt, and orders releases before presses at equal times', () => {
    const ev = keystrokesToEvents(
      [
        { key: 'A', press: 1000, release: 1080 },
        { key: 'a', press: 1080, release: 1150 },
        { key: 'SHIFT', press: 990, release: 1200 },
      ],
      { startAt: 10 },
    );
    assert.deepEqual(
      ev.map((e) => [e.at, e.type, e.type === 'keydown' || e.type === 'keyup' ? e.key : '']),
      [
        [10, 'keydown', 'Shift_L'],
        [20, 'keydown', 'a'],
        [100, 'keyup', 'a'],
        [100, 'keydown', 'a'],
        [170, 'keyup', 'a'],
        [220, 'keyup', 'Shift_L'],
      ],
    );
  });

  it('refuses a key pressed again before its release, and unknown labels', () => {
    assert.throws(
      () => keystrokesToEvents([{ key: 'a', press: 0, release: 100 }, { key: 'a', press: 50, release: 120 }]),
      /key a is pressed again at 50/,
    );
    assert.throws(() => keystrokesToEvents([{ key: 'F13', press: 0, release: 10 }]), /no X key for key label "F13"/);
    assert.throws(() => keystrokesToEvents([{ key: 'a', press: 10, release: 5 }]), /keystroke 0 \("a"\): release 5/);
  });

  it('builds a drag that ends where it is released and a click that lands where the pointer arrived', () => {
    const d = mergeEvents(drag(0, { x: 0, y: 0 }, { x: 100, y: 50 }, 100, { steps: 4 }));
    assert.deepEqual(d.map((e) => e.type), ['move', 'buttondown', 'move', 'move', 'move', 'move', 'buttonup']);
    assert.deepEqual(d[5], { at: 100, type: 'move', x: 100, y: 50 });
    const c = mergeEvents(click(10, { x: 5, y: 6 }, { holdMs: 20, button: 3 }));
    assert.deepEqual(c, [
      { at: 10, type: 'move', x: 5, y: 6 },
      { at: 10, type: 'buttondown', button: 3 },
      { at: 30, type: 'buttonup', button: 3 },
    ]);
  });
});
