import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { UiohookKeyboardEvent, UiohookMouseEvent } from 'uiohook-napi';
import { CapturePipeline, routeHookEvent } from '../../../src/main/capture/capture-pipeline';
import { HmacFeatureKeyer } from '../../../src/main/capture/feature-keyer';
import { WRAP_MS } from '../../../src/main/capture/event-time';
import type { KeystrokeWindow } from '../../../src/model/keystroke-windows';
import { MOUSE_FEATURE_NAMES } from '../../../src/model/mouse-features';

const keyer = new HmacFeatureKeyer(randomBytes(32));

function key(type: 4 | 5, keycode: number, time: number): UiohookKeyboardEvent {
  return { type, keycode, time, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false } as UiohookKeyboardEvent;
}
function mouse(type: number, x: number, y: number, time: number, button = 0): UiohookMouseEvent {
  return { type, x, y, time, button, clicks: 0, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false } as unknown as UiohookMouseEvent;
}

/** Types `codes` with 80 ms holds, 150 ms apart, starting at event time `t0`; all arrive at once (late). */
function typeKeys(p: CapturePipeline, codes: number[], t0: number): void {
  codes.forEach((c, i) => {
    routeHookEvent(p, key(4, c, (t0 + i * 150) % WRAP_MS), 0);
    routeHookEvent(p, key(5, c, (t0 + i * 150 + 80) % WRAP_MS), 0);
  });
}

test('windows take timing from event.time only: events that all arrive late at once still give exact holds and flights', () => {
  const windows: KeystrokeWindow[] = [];
  const p = new CapturePipeline({ keyer, windowSize: 5, onWindow: (w) => windows.push(w) });
  typeKeys(p, [30, 48, 46, 32, 18, 33, 34, 35, 23, 36], 1000);
  assert.equal(windows.length, 2);
  for (const w of windows) {
    assert.equal(w.keystrokes, 5);
    assert.deepEqual(Object.values(w.holds).flat(), [80, 80, 80, 80, 80]);
    for (const v of Object.values(w.dd).flat()) assert.equal(v, 150);
    for (const v of Object.values(w.ud).flat()) assert.equal(v, 70);
  }
  // the second window keeps the digraph across the boundary
  assert.equal(Object.values(windows[0]!.dd).flat().length, 4);
  assert.equal(Object.values(windows[1]!.dd).flat().length, 5);
});

test('a window spanning the 32-bit clock wrap has the same features as one that does not', () => {
  const windows: KeystrokeWindow[] = [];
  const p = new CapturePipeline({ keyer, windowSize: 5, onWindow: (w) => windows.push(w) });
  typeKeys(p, [30, 48, 46, 32, 18], WRAP_MS - 300);
  assert.equal(windows.length, 1);
  assert.deepEqual(Object.values(windows[0]!.holds).flat(), [80, 80, 80, 80, 80]);
  assert.deepEqual(Object.values(windows[0]!.dd).flat(), [150, 150, 150, 150]);
  assert.equal(p.stats.clockWraps, 1);
});

test('no raw key code appears in a window: only keyed ids', () => {
  const windows: KeystrokeWindow[] = [];
  const p = new CapturePipeline({ keyer, windowSize: 6, onWindow: (w) => windows.push(w) });
  const codes = [30, 48, 46, 32, 18, 33];
  typeKeys(p, codes, 0);
  const w = windows[0]!;
  for (const id of [...Object.keys(w.holds), ...Object.keys(w.dd), ...Object.keys(w.ud)]) {
    assert.match(id, /^[A-Za-z0-9_-]{16}$/);
  }
  assert.deepEqual(Object.keys(w.holds).sort(), codes.map((c) => keyer.key(String(c))).sort());
});

test('a partial window is carried over, not sent; at stop it is sent only if at least half full', () => {
  const windows: KeystrokeWindow[] = [];
  const p = new CapturePipeline({ keyer, windowSize: 10, onWindow: (w) => windows.push(w) });
  typeKeys(p, [30, 48, 46], 0);
  assert.equal(windows.length, 0);
  assert.equal(p.stats.bufferedKeystrokes, 3);
  p.finish();
  assert.equal(windows.length, 0);
  assert.equal(p.stats.discardedKeystrokes, 3);

  const q = new CapturePipeline({ keyer, windowSize: 10, onWindow: (w) => windows.push(w) });
  typeKeys(q, [30, 48, 46, 32, 18, 33], 0);
  q.finish();
  assert.equal(windows.length, 1);
  assert.equal(windows[0]!.keystrokes, 6);
});

test('mouse: a move then a drag (moves with a button held, type 10) give MM and DD; a click gives PC', () => {
  const p = new CapturePipeline({ keyer, windowSize: 25, onWindow: () => undefined });
  let t = 10_000;
  for (let i = 0; i < 6; i++) routeHookEvent(p, mouse(9, 100 + i * 10, 100, (t += 16)), 0);
  routeHookEvent(p, mouse(7, 150, 100, (t += 50), 1), 0);
  for (let i = 1; i <= 6; i++) routeHookEvent(p, mouse(10, 150 + i * 20, 100 + i * 5, (t += 16), 1), 0);
  routeHookEvent(p, mouse(8, 270, 130, (t += 30), 1), 0);
  for (let i = 0; i < 5; i++) routeHookEvent(p, mouse(9, 300 + i * 5, 200 + i * 5, (t += 16)), 0);
  routeHookEvent(p, mouse(7, 320, 220, (t += 40), 1), 0);
  routeHookEvent(p, mouse(8, 320, 220, (t += 90), 1), 0);
  const batch = p.takeMouseBatch();
  assert.deepEqual(
    batch.map((a) => a.type),
    ['MM', 'DD', 'PC'],
  );
  for (const a of batch) assert.equal(a.values.length, MOUSE_FEATURE_NAMES.length);
  const hold = MOUSE_FEATURE_NAMES.indexOf('holdMs');
  assert.equal(batch[2]!.values[hold], 90);
  assert.equal(p.activity.mouseActions, 3);
  assert.deepEqual(p.takeMouseBatch(), [], 'a batch is handed out once');
});

test('an idle pointer closes its movement after the pause, with the duration of the events, not of the wait', () => {
  const p = new CapturePipeline({ keyer, windowSize: 25, onWindow: () => undefined });
  for (let i = 0; i < 8; i++) routeHookEvent(p, mouse(9, i * 10, 0, 5000 + i * 16), 100 + i);
  p.idle(500); // not idle long enough yet
  assert.equal(p.takeMouseBatch().length, 0);
  p.idle(2000);
  const [mm] = p.takeMouseBatch();
  assert.equal(mm?.type, 'MM');
  assert.equal(mm!.values[MOUSE_FEATURE_NAMES.indexOf('durationMs')], 7 * 16);
});

test('wheel events are counted, not turned into actions', () => {
  const p = new CapturePipeline({ keyer, windowSize: 25, onWindow: () => undefined });
  routeHookEvent(p, { ...mouse(11, 5, 5, 100), rotation: 1, amount: 3, direction: 3 } as never, 0);
  assert.equal(p.stats.segmenter.wheel, 1);
  assert.equal(p.activity.mouseActions, 0);
});
