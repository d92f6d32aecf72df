import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventTimeUnwrapper, WRAP_MS } from '../../../src/main/capture/event-time';

test('times before a 32-bit wrap pass through unchanged', () => {
  const u = new EventTimeUnwrapper();
  assert.equal(u.unwrap(1000, 0), 1000);
  assert.equal(u.unwrap(1080, 80), 1080);
  assert.equal(u.wrapCount, 0);
});

test('the X server clock wrapping past 2^32 ms keeps time continuous, so a hold across the wrap is measured right', () => {
  const u = new EventTimeUnwrapper();
  const press = u.unwrap(WRAP_MS - 30, 0); // key down 30 ms before the wrap
  const release = u.unwrap(50, 80); // key up 50 ms after it
  assert.equal(release - press, 80);
  assert.equal(u.wrapCount, 1);
  // and the timeline keeps going after the wrap
  assert.equal(u.unwrap(150, 180) - press, 180);
});

test('a slightly out-of-order event keeps its true earlier time instead of jumping a whole wrap', () => {
  const u = new EventTimeUnwrapper();
  u.unwrap(5000, 0);
  assert.equal(u.unwrap(4990, 1), 4990);
  // also right after a wrap: 10 ms before the last event is before the wrap point
  const v = new EventTimeUnwrapper();
  v.unwrap(WRAP_MS - 5, 0);
  const after = v.unwrap(3, 8);
  assert.equal(after, WRAP_MS + 3);
  assert.equal(v.unwrap(WRAP_MS - 2, 9), WRAP_MS - 2);
});

test('an idle gap longer than half the wrap period is resolved by the arrival clock', () => {
  const u = new EventTimeUnwrapper();
  const day = 24 * 3600 * 1000;
  u.unwrap(1000, 0);
  // 30 days later (more than 2^31 ms): raw value alone would be ambiguous
  const raw = (1000 + 30 * day) % WRAP_MS;
  assert.equal(u.unwrap(raw, 30 * day), 1000 + 30 * day);
  // 60 days after the start (one wrap passed), arrival seconds late
  const raw2 = (1000 + 60 * day) % WRAP_MS;
  assert.equal(u.unwrap(raw2, 60 * day + 2900), 1000 + 60 * day);
  assert.equal(u.wrapCount, 1);
});

test('several wraps in a row stay monotonic', () => {
  const u = new EventTimeUnwrapper();
  let prev = -Infinity;
  for (let i = 0; i < 5; i++) {
    for (const raw of [WRAP_MS - 100, WRAP_MS - 1, 0, 100]) {
      const t = u.unwrap(raw, i * WRAP_MS + (raw < 1000 ? WRAP_MS + raw : raw));
      assert.ok(t > prev, `time went backwards at wrap ${i}: ${t} <= ${prev}`);
      prev = t;
    }
  }
  assert.equal(u.wrapCount, 5);
});

test('a non-wrapping clock with a scale (macOS nanoseconds) is converted to ms', () => {
  const u = new EventTimeUnwrapper({ wraps: false, scale: 1e-6 });
  assert.equal(u.unwrap(5e15, 0), 5e9);
});
