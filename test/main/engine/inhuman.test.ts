import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inhumanRegularity } from '../../../src/main/engine/inhuman';
import { keystrokeWindow } from '../../../src/model/keystroke-windows';
import type { Keystroke } from '../../../src/model/keystrokes';
import { IMPOSTOR, OWNER, scriptedWindows, typingWindows } from './support/synthetic';

const keys = (n: number, press: (i: number) => number, hold: (i: number) => number): Keystroke[] =>
  Array.from({ length: n }, (_, i) => ({ key: 'abcdefghij'[i % 10]!, press: press(i), release: press(i) + hold(i) }));

test('human typing of two different styles is never called inhuman, in 10- and 25-keystroke windows', () => {
  for (const style of [OWNER, IMPOSTOR]) {
    for (const size of [10, 25]) {
      const flagged = typingWindows(style, 2000, 7, size).filter((w) => inhumanRegularity(w).inhuman);
      assert.equal(flagged.length, 0, `${style.name} at ${size}`);
    }
  }
});

test('a fast typist with some rollover (a few sub-10 ms flights) is human', () => {
  // 60 ms flights, every fourth pair rolled over at 6 ms; holds vary 70-110 ms.
  const ks = keys(25, (i) => i * 60 - (i % 4 === 0 ? 54 : 0), (i) => 70 + ((i * 37) % 40));
  assert.equal(inhumanRegularity(keystrokeWindow(ks)).inhuman, false);
});

test('sustained sub-10 ms flights are inhuman, with the count in the reason', () => {
  const v = inhumanRegularity(scriptedWindows(10, 10, 30, 5)[0]!);
  assert.ok(v.signals.includes('fast-flights'));
  assert.match(v.reason, /9 of 9 keys followed each other in under 10 ms/);
});

test('a constant inter-key interval (xdotool --delay) is inhuman even at a human speed', () => {
  const ks = keys(10, (i) => i * 120, (i) => 60 + ((i * 13) % 30));
  const v = inhumanRegularity(keystrokeWindow(ks));
  assert.deepEqual(v.signals, ['constant-flights']);
});

test('near-zero-variance holds are inhuman even with human-looking flights', () => {
  const ks = keys(10, (i) => i * 150 + ((i * 41) % 70), () => 80);
  const v = inhumanRegularity(keystrokeWindow(ks));
  assert.deepEqual(v.signals, ['constant-holds']);
  assert.match(v.reason, /held for the same time/);
});

test('too few keystrokes say nothing: 5 scripted keys are not judged', () => {
  assert.equal(inhumanRegularity(scriptedWindows(5, 5)[0]!).inhuman, false);
});
