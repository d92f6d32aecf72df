import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enrol, feed, harness } from './support/harness';
import { IMPOSTOR, IMPOSTOR_MOUSE, mouseActions, OWNER, OWNER_MOUSE, scriptedWindows, typingWindows } from './support/synthetic';
import { DEFAULT_TUNING } from '../../../src/main/engine/engine';

test('an impostor taking over is challenged, with a reason naming the typing rhythm', () => {
  const h = harness();
  enrol(h);
  feed(h, typingWindows(OWNER, 500, 3));
  const at = feed(h, typingWindows(IMPOSTOR, 500, 5));
  assert.ok(at >= 0 && at < 8, `challenged at impostor window ${at}`);
  assert.equal(h.engine.state, 'challenge');
  const e = h.store.events.at(-1)!;
  assert.equal(e.kind, 'challenge');
  assert.equal(e.from, 'protected');
  assert.match(e.reason, /typing rhythm differed from the owner’s in \d of the last \d checks/);
  assert.ok(h.engine.challenge()!.phrase.split(' ').length === 4);
});

test('an impostor on the mouse alone is challenged, with mouse movement named', () => {
  const h = harness();
  enrol(h);
  const actions = mouseActions(IMPOSTOR_MOUSE, 100, 8);
  for (let i = 0; i < actions.length && h.engine.state === 'protected'; i += 5) {
    h.clock.advance(3000);
    h.engine.addMouseActions(actions.slice(i, i + 5));
  }
  assert.equal(h.engine.state, 'challenge');
  assert.match(h.store.events.at(-1)!.reason, /mouse movement differed/);
});

test('inhuman regularity is challenged within 20 keystrokes when capture sends 10-keystroke windows', () => {
  const h = harness();
  enrol(h);
  feed(h, typingWindows(OWNER, 300, 3));
  const windows = scriptedWindows(100, 10);
  const at = feed(h, windows, 50);
  assert.ok(at >= 0, 'challenged');
  const keystrokes = windows.slice(0, at + 1).reduce((a, w) => a + w.keystrokes, 0);
  assert.ok(keystrokes <= 20, `challenged after ${keystrokes} scripted keystrokes`);
  assert.equal(h.engine.state, 'challenge');
  assert.match(h.store.events.at(-1)!.reason, /Inhuman regularity/);
  assert.equal(h.store.events.at(-1)!.details!.cause, 'inhuman-regularity');
});

test('with 25-keystroke capture windows the first scripted window is challenged (25 keystrokes: capture must send smaller windows to meet 20)', () => {
  const h = harness();
  enrol(h);
  const at = feed(h, scriptedWindows(100, 25), 50);
  assert.equal(at, 0);
});

test('inhuman input is challenged even when its timing is close to the owner’s (independent of the profile)', () => {
  const h = harness();
  enrol(h);
  // A replay at the owner's average speed but with a fixed hold and a fixed interval.
  const at = feed(h, scriptedWindows(100, 10, 95, 170), 2000);
  assert.ok(at >= 0 && at <= 1, `at ${at}`);
});

test('after an idle period the first windows weigh more: an impostor is challenged sooner', () => {
  const idle = (gapMinutes: number): { at: number; weights: number[]; firstTrust: number } => {
    const h = harness({ idleMinutes: 5 });
    enrol(h);
    feed(h, typingWindows(OWNER, 500, 3));
    h.clock.advance(gapMinutes * 60_000);
    const before = h.store.trust.length;
    const at = feed(h, typingWindows(IMPOSTOR, 500, 5), 3000);
    return { at, weights: h.model.sessions.at(-1)!.weights.slice(-(at + 1)), firstTrust: h.store.trust[before]!.trust };
  };
  const after = idle(6);
  const before = idle(1);
  assert.ok(after.weights.every((w) => w === DEFAULT_TUNING.idleWeight && w > 1), `weights after idle ${after.weights}`);
  assert.ok(before.weights.every((w) => w === 1), `weights without idle ${before.weights}`);
  // The first impostor window costs more trust after idle, so the challenge comes no later.
  assert.ok(after.firstTrust < before.firstTrust, `trust after the first window: ${after.firstTrust} after idle vs ${before.firstTrust} without`);
  assert.ok(after.at <= before.at, `challenged at window ${after.at} after idle vs ${before.at} without`);
});

test('after idle, mouse steps are not weighted and do not use up the weighted typing steps', () => {
  const h = harness({ idleMinutes: 5 });
  enrol(h);
  feed(h, typingWindows(OWNER, 500, 3));
  h.clock.advance(6 * 60_000);
  const session = h.model.sessions.at(-1)!;
  const before = session.weights.length;
  // The person who sat down moves the mouse first (the owner's movement), then types.
  const actions = mouseActions(OWNER_MOUSE, 20, 21);
  for (let i = 0; i < actions.length; i += 5) {
    h.clock.advance(1000);
    h.engine.addMouseActions(actions.slice(i, i + 5));
  }
  const mouseWeights = session.weights.slice(before);
  assert.ok(mouseWeights.length > 0 && mouseWeights.every((w) => w === 1), `mouse step weights after idle ${mouseWeights}`);
  feed(h, typingWindows(OWNER, 25 * (DEFAULT_TUNING.idleWeightedSteps + 2), 22), 3000);
  const typing = session.weights.slice(before + mouseWeights.length);
  assert.deepEqual(
    typing,
    [...Array(DEFAULT_TUNING.idleWeightedSteps).fill(DEFAULT_TUNING.idleWeight), 1, 1],
    'the first typing steps after idle still carry the first-activity weight',
  );
});

test('a policy change of sensitivity is audited and restarts the trust session with the new preset', () => {
  const h = harness();
  enrol(h);
  const n = h.model.sessions.length;
  h.policy.set({ sensitivity: 'strict', source: '/etc/cadence/policy.json' });
  assert.equal(h.model.sessions.length, n + 1);
  const e = h.store.events.at(-1)!;
  assert.equal(e.kind, 'policy');
  assert.equal(e.reason, 'Policy changed (/etc/cadence/policy.json): sensitivity "balanced" → "strict".');
});
