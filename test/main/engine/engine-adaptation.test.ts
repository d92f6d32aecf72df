import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeystrokeWindow } from '../../../src/model/keystroke-windows';
import { enrol, feed, harness, type Harness } from './support/harness';
import { acceptanceRate, keystrokeDistance, type DoubleProfile } from './support/model-double';
import { IMPOSTOR, MIMIC, OWNER, typingWindows, type TypingStyle } from './support/synthetic';

// Held-out test streams, 2,000 keystrokes each, never fed to the engine.
const ownerTest = typingWindows(OWNER, 2000, 100);
const mimicTest = typingWindows(MIMIC, 2000, 101);
const impostorTest = typingWindows(IMPOSTOR, 2000, 102);

interface Rates {
  ownerAcceptance: number;
  mimicRejection: number;
  impostorRejection: number;
}
function rates(p: DoubleProfile): Rates {
  return {
    ownerAcceptance: acceptanceRate(p, ownerTest),
    mimicRejection: 1 - acceptanceRate(p, mimicTest),
    impostorRejection: 1 - acceptanceRate(p, impostorTest),
  };
}
const stored = (h: Harness): DoubleProfile => h.model.fromJSON(h.store.loadProfile());

function assertWithin2Points(before: Rates, after: Rates, label: string): void {
  for (const k of Object.keys(before) as (keyof Rates)[]) {
    const moved = Math.abs(after[k] - before[k]) * 100;
    assert.ok(moved <= 2, `${label}: ${k} moved ${moved.toFixed(1)} points (${before[k].toFixed(3)} → ${after[k].toFixed(3)})`);
  }
}

/**
 * The attacker types 2,000 keystrokes with adaptation on. When challenged they
 * dismiss it; when locked, the worst case: they know the OS password and unlock.
 */
function attack(h: Harness, style: TypingStyle, gapMs: number): { challenges: number } {
  let challenges = 0;
  for (const w of typingWindows(style, 2000, 7)) {
    h.clock.advance(gapMs);
    h.engine.addKeystrokeWindow(w);
    if (h.engine.state === 'challenge') {
      challenges++;
      h.engine.dismissChallenge();
    }
    if (h.engine.state === 'locked') h.engine.notifyUnlocked();
  }
  return { challenges };
}

for (const [style, gapMs] of [
  [MIMIC, 5_000],
  [MIMIC, 60_000],
  [IMPOSTOR, 60_000],
] as const) {
  test(`2,000 keystrokes of a ${style.name} (${gapMs / 1000} s per window) cannot move the owner's acceptance or the impostors' rejection by 2 points`, () => {
    const h = harness({ adaptation: true });
    enrol(h);
    const before = rates(stored(h));
    const { challenges } = attack(h, style, gapMs);
    assert.ok(challenges > 0, 'the attacker was challenged');
    assertWithin2Points(before, rates(stored(h)), style.name);
    assert.equal(h.engine.status().adaptation.keystrokes, 0, 'no attacker window was used');
  });
}

test('control: the same mimic windows fed to adaptation without the engine’s gate DO move the rates (the test above can fail)', () => {
  const h = harness();
  enrol(h);
  let p = stored(h);
  const before = rates(p);
  const accepted = typingWindows(MIMIC, 2000, 7).filter((w) => keystrokeDistance(p.k!, w) <= p.k!.threshold);
  for (let i = 0; i + 8 <= accepted.length; i += 8) p = h.model.adapt(p, { keystrokeWindows: accepted.slice(i, i + 8), mouseActions: [] }, 0.05);
  const after = rates(p);
  assert.ok((before.mimicRejection - after.mimicRejection) * 100 > 2, `ungated adaptation moved mimic rejection ${before.mimicRejection} → ${after.mimicRejection}`);
});

test('the owner’s own accepted windows do adapt the profile, at a bounded rate', () => {
  const h = harness({ adaptation: true });
  enrol(h);
  const p0 = h.store.profile;
  feed(h, typingWindows(OWNER, 2000, 8), 60_000); // 80 windows over 80 minutes
  const a = h.engine.status().adaptation;
  assert.ok(a.batches >= 1, 'adapted');
  assert.ok(a.batches <= 3, `at most one batch per 30 minutes, got ${a.batches}`);
  assert.equal(a.keystrokes, a.batches * 8 * 25);
  assert.notEqual(h.store.profile, p0);
  assert.equal(h.engine.state, 'protected');
});

test('no adaptation when policy turns it off, during extra scrutiny, or in the first windows after idle', async () => {
  const off = harness({ adaptation: false });
  enrol(off);
  feed(off, typingWindows(OWNER, 2000, 8), 60_000);
  assert.equal(off.engine.status().adaptation.batches, 0);

  const scrutiny = harness({ adaptation: true });
  enrol(scrutiny);
  feed(scrutiny, typingWindows(IMPOSTOR, 500, 5));
  scrutiny.engine.dismissChallenge();
  await scrutiny.engine.settled();
  scrutiny.engine.notifyUnlocked();
  feed(scrutiny, typingWindows(OWNER, 1000, 9), 10_000); // 40 windows in 400 s: all inside the 10 minutes
  assert.equal(scrutiny.engine.status().adaptation.batches, 0);

  // After idle (and after a restart) the first 4 steps are weighted and do not count; 4 + 8 + 4 steps are needed for a batch.
  const idle = harness({ adaptation: true });
  enrol(idle);
  const ws: KeystrokeWindow[] = typingWindows(OWNER, 25 * 15, 10);
  feed(idle, ws, 10_000);
  assert.equal(idle.engine.status().adaptation.batches, 0);
  feed(idle, typingWindows(OWNER, 25 * 2, 11), 10_000);
  assert.equal(idle.engine.status().adaptation.batches, 1);
});
