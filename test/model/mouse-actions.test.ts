import { test } from 'node:test';
import assert from 'node:assert/strict';
import { segmentMouse, MAX_ACTION_POINTS, type MouseEvent } from '../../src/model/mouse-actions';

const move = (t: number, x: number, y: number): MouseEvent => ({ t, kind: 'move', x, y, button: 'none' });

test('a click after movement is one point-click action with its hold time', () => {
  const ev: MouseEvent[] = [move(0, 0, 0), move(10, 5, 0), move(20, 10, 0), move(30, 15, 0),
    { t: 40, kind: 'down', x: 15, y: 0, button: 'left' }, { t: 120, kind: 'up', x: 15, y: 0, button: 'left' }];
  const a = segmentMouse(ev);
  assert.equal(a.length, 1);
  assert.equal(a[0]!.type, 'PC');
  assert.equal(a[0]!.holdMs, 80);
});

test('a drag splits into the movement before the press and a drag-drop', () => {
  const ev: MouseEvent[] = [move(0, 0, 0), move(10, 5, 0), move(20, 10, 0), move(30, 15, 0),
    { t: 40, kind: 'down', x: 15, y: 0, button: 'left' }, move(50, 30, 0), move(60, 60, 0), move(70, 90, 0),
    { t: 80, kind: 'up', x: 90, y: 0, button: 'left' }];
  assert.deepEqual(segmentMouse(ev).map((x) => x.type), ['MM', 'DD']);
});

test('a pause ends a movement; too-short pieces are dropped', () => {
  const ev: MouseEvent[] = [move(0, 0, 0), move(10, 1, 0), move(20, 2, 0), move(30, 3, 0), move(5000, 4, 0), move(5010, 5, 0)];
  const a = segmentMouse(ev);
  assert.equal(a.length, 1);
  assert.equal(a[0]!.points.length, 4);
});

test('a pointer that never rests is still cut into bounded actions', () => {
  const ev: MouseEvent[] = [];
  for (let i = 0; i < MAX_ACTION_POINTS * 2 + 10; i++) ev.push(move(i * 8, i, 0));
  const a = segmentMouse(ev);
  assert.equal(a.length, 3);
  assert.ok(a.every((x) => x.points.length <= MAX_ACTION_POINTS));
});
