import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseParentMessage } from '../../../src/main/capture/protocol';
import { parseChildMessage } from '../../../src/main/capture/child-message-schema';
import { MOUSE_FEATURE_NAMES } from '../../../src/model/mouse-features';

const window = { keystrokes: 2, durationMs: 180, holds: { a1: [80, 90] }, dd: { p1: [100] }, ud: { p1: [20] } };

test('well-formed child messages pass', () => {
  for (const m of [
    { type: 'ready', pid: 12 },
    { type: 'keystroke-window', window },
    { type: 'mouse-actions', actions: [{ type: 'PC', values: MOUSE_FEATURE_NAMES.map(() => 1) }] },
    { type: 'activity', counts: { keystrokes: 3, mouseActions: 1 } },
    { type: 'fatal', cause: 'wayland', message: 'x' },
  ]) {
    const p = parseChildMessage(m);
    assert.equal(p.ok, true, JSON.stringify(p));
  }
});

test('a child message of the wrong shape is refused naming the field', () => {
  const cases: Array<[unknown, RegExp]> = [
    [null, /\(message\)/],
    [{ type: 'keystrokes' }, /type/],
    [{ type: 'keystroke-window', window: { ...window, holds: { a1: ['80'] } } }, /window\.holds\.a1\.0/],
    [{ type: 'mouse-actions', actions: [{ type: 'PC', values: [1, 2] }] }, /actions\.0\.values/],
    [{ type: 'mouse-actions', actions: [{ type: 'PC', values: MOUSE_FEATURE_NAMES.map(() => null) }] }, /actions\.0\.values\.0/],
    [{ type: 'activity', counts: { keystrokes: -1, mouseActions: 0 } }, /counts\.keystrokes/],
    // an extra field could smuggle raw events out: refused
    [{ type: 'activity', counts: { keystrokes: 1, mouseActions: 0 }, keys: [30, 48] }, /unrecognized|keys/i],
  ];
  for (const [raw, where] of cases) {
    const p = parseChildMessage(raw);
    assert.equal(p.ok, false, JSON.stringify(raw));
    if (!p.ok) assert.match(p.error, where);
  }
});

test('parent messages: start needs a real secret and sane sizes; stop is bare', () => {
  const config = { secret: Buffer.alloc(16, 1).toString('base64'), windowSize: 25, mouseBatchMs: 1000, activityMs: 250, statsMs: 10000 };
  assert.equal(parseParentMessage({ type: 'start', config }).ok, true);
  assert.equal(parseParentMessage({ type: 'stop' }).ok, true);
  const short = parseParentMessage({ type: 'start', config: { ...config, secret: 'AAAA' } });
  assert.equal(short.ok, false);
  if (!short.ok) assert.match(short.error, /config\.secret/);
  const zero = parseParentMessage({ type: 'start', config: { ...config, windowSize: 0 } });
  assert.equal(zero.ok, false);
  if (!zero.ok) assert.match(zero.error, /config\.windowSize/);
  assert.equal(parseParentMessage({ type: 'stop', now: true }).ok, false);
  assert.equal(parseParentMessage('stop').ok, false);
  const notBase64 = parseParentMessage({ type: 'start', config: { ...config, secret: '!'.repeat(32) } });
  assert.equal(notBase64.ok, false);
  const extra = parseParentMessage({ type: 'start', config: { ...config, debug: true } });
  assert.equal(extra.ok, false);
  if (!extra.ok) assert.match(extra.error, /config\.debug: unrecognized key/);
  const fractional = parseParentMessage({ type: 'start', config: { ...config, statsMs: 1000.5 } });
  assert.equal(fractional.ok, false);
  // the error never echoes the secret
  const bad = parseParentMessage({ type: 'start', config: { ...config, secret: 'c2VjcmV0c2VjcmV0' } });
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.doesNotMatch(bad.error, /c2VjcmV0/);
});
