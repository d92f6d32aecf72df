import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../../src/main/engine/challenge-phrase';
import { CadenceModel, type CadenceProfile } from '../../../src/main/engine/cadence-model';
import { keystrokeWindows, type KeystrokeWindow } from '../../../src/model/keystroke-windows';
import { neutralEvidence, PRESETS } from '../../../src/model/trust';
import { enrol, feed, modelHarness, type ModelHarness } from './support/harness';
import { IMPOSTOR, MIMIC, mouseActions, OWNER, OWNER_MOUSE, scriptedWindows, typeText, typingWindows, type TypingStyle } from './support/synthetic';

// The engine with the REAL model (src/model/profile.ts through cadence-model.ts); only the store, lock, clock and policy are in-memory doubles of our ports.

const both = { keystroke: true, mouse: true };
const neutral = neutralEvidence(PRESETS.balanced);
const acceptance = (p: CadenceProfile, ws: readonly KeystrokeWindow[]): number => ws.filter((w) => p.keystroke!.evidence(w) >= neutral).length / ws.length;

test('assessment lists what is missing in plain words until the data is measurably good enough', () => {
  const m = new CadenceModel();
  const little = m.assess({ keystrokeWindows: typingWindows(OWNER, 200, 1), mouseActions: mouseActions(OWNER_MOUSE, 10, 1) }, both);
  assert.equal(little.quality.ready, false);
  assert.deepEqual(little.missing, ['Typing: 200 more keystrokes.', 'Mouse: 30 more mouse actions.']);
  const enough = m.assess({ keystrokeWindows: typingWindows(OWNER, 1000, 1), mouseActions: mouseActions(OWNER_MOUSE, 120, 1) }, both);
  assert.deepEqual(enough.missing, []);
  assert.equal(enough.quality.ready, true);
  assert.ok(enough.quality.digraphCoverage >= 0.6 && enough.quality.stability >= 0.85, JSON.stringify(enough.quality));
  const keysOnly = m.assess({ keystrokeWindows: typingWindows(OWNER, 1000, 1), mouseActions: [] }, { keystroke: true, mouse: false });
  assert.equal(keysOnly.quality.ready, true, 'a channel turned off by policy is not required');
});

test('the stored profile survives JSON text and a damaged one is refused naming the problem', () => {
  const m = new CadenceModel();
  const p = m.fit({ keystrokeWindows: typingWindows(OWNER, 1000, 1), mouseActions: mouseActions(OWNER_MOUSE, 120, 1) }, both);
  const back = m.fromJSON(JSON.parse(JSON.stringify(m.toJSON(p))));
  const w = typingWindows(OWNER, 100, 2)[0]!;
  assert.equal(back.keystroke!.evidence(w), p.keystroke!.evidence(w));
  assert.throws(() => m.fromJSON({ format: 'x' }), /format "x", expected "cadence-engine-profile"/);
  assert.throws(() => m.fromJSON({ ...(m.toJSON(p) as object), training: null }), /no "training" windows/);
});

test('adaptation replaces at most `rate` of the training windows per batch', () => {
  const m = new CadenceModel();
  const p = m.fit({ keystrokeWindows: typingWindows(OWNER, 1000, 1), mouseActions: [] }, { keystroke: true, mouse: false });
  const extra = typingWindows(OWNER, 500, 3);
  const q = m.adapt(p, { keystrokeWindows: extra, mouseActions: [] }, 0.05);
  const n = p.training.keystrokeWindows.length;
  assert.equal(q.training.keystrokeWindows.length, n);
  const kept = q.training.keystrokeWindows.filter((w) => p.training.keystrokeWindows.includes(w)).length;
  assert.equal(n - kept, Math.ceil(n * 0.05));
});

function enrolled(policy = {}): ModelHarness<CadenceProfile> {
  const h = modelHarness(new CadenceModel(), policy);
  enrol(h);
  assert.equal(h.engine.state, 'protected');
  return h;
}

/** The owner at work: when falsely challenged they type the phrase (their own rhythm) and go on. */
function ownerWorks(h: ModelHarness<CadenceProfile>, windows: readonly KeystrokeWindow[], gapMs: number): number {
  let challenges = 0;
  for (const w of windows) {
    h.clock.advance(gapMs);
    h.engine.addKeystrokeWindow(w);
    if (h.engine.state === 'challenge') {
      challenges++;
      // The owner's short phrase is noisier than a window: an attempt can fail (about 5%); that is what attempts are for.
      for (let attempt = 0; h.engine.state === 'challenge'; attempt++) h.engine.submitChallenge(typePhrase(h, OWNER, 50 + challenges * 10 + attempt));
    }
    assert.equal(h.engine.state, 'protected');
  }
  return challenges;
}

test('real model: the owner typing 2,000 keystrokes is never locked (a false challenge is passed); an impostor is challenged within 150 keystrokes', () => {
  const h = enrolled();
  const falseChallenges = ownerWorks(h, typingWindows(OWNER, 2000, 3), 4000);
  assert.ok(falseChallenges <= 2, `${falseChallenges} false challenges in 80 windows`);
  assert.equal(h.locker.calls.length, 0);
  const at = feed(h, typingWindows(IMPOSTOR, 2000, 5));
  assert.ok(at >= 0 && (at + 1) * 25 <= 150, `impostor challenged after ${(at + 1) * 25} keystrokes`);
  assert.match(h.store.events.at(-1)!.reason, /typing rhythm differed/);
});

test('real model: inhuman regularity is challenged within 20 keystrokes from 10-keystroke windows', () => {
  const h = enrolled();
  const windows = scriptedWindows(100, 10);
  const at = feed(h, windows, 50);
  assert.ok(at >= 0 && (at + 1) * 10 <= 20, `at window ${at}`);
});

function typePhrase(h: ModelHarness<CadenceProfile>, style: TypingStyle, seed: number): string {
  const phrase = h.engine.challenge()!.phrase;
  for (const w of keystrokeWindows(typeText(style, phrase, seededRandom(seed)), 10)) {
    h.clock.advance(1500);
    h.engine.addKeystrokeWindow(w);
  }
  return phrase;
}

test('real model: the challenge passes with the owner’s rhythm and fails with the impostor’s, then locks', async () => {
  const h = enrolled({ challengeAttempts: 2 });
  feed(h, typingWindows(IMPOSTOR, 500, 5));
  assert.equal(h.engine.state, 'challenge');
  let phrase = typePhrase(h, IMPOSTOR, 1);
  let r = h.engine.submitChallenge(phrase);
  assert.ok(r.ok && r.value.next === 'retry', JSON.stringify(r));
  phrase = typePhrase(h, OWNER, 2);
  r = h.engine.submitChallenge(phrase);
  assert.ok(r.ok && r.value.passed, JSON.stringify(r));
  feed(h, typingWindows(IMPOSTOR, 500, 6));
  assert.equal(h.engine.state, 'challenge');
  for (let i = 0; i < 2; i++) h.engine.submitChallenge(typePhrase(h, IMPOSTOR, 3 + i));
  assert.equal(h.engine.state, 'locked');
  await h.engine.settled();
  assert.equal(h.locker.calls.length, 1);
});

test('real model: a restart resumes protection from the stored profile', () => {
  const h = enrolled();
  const e = h.restart();
  assert.equal(e.state, 'protected');
  ownerWorks(h, typingWindows(OWNER, 500, 4), 4000);
  assert.equal(h.locker.calls.length, 0);
  assert.ok(feed(h, typingWindows(IMPOSTOR, 500, 5)) >= 0);
});

// Held-out streams, never fed to the engine.
const ownerTest = typingWindows(OWNER, 2000, 100);
const mimicTest = typingWindows(MIMIC, 2000, 101);
const impostorTest = typingWindows(IMPOSTOR, 2000, 102);
const rates = (p: CadenceProfile): number[] => [acceptance(p, ownerTest), 1 - acceptance(p, mimicTest), 1 - acceptance(p, impostorTest)];

for (const [style, gapMs] of [
  [MIMIC, 5_000],
  [MIMIC, 60_000],
  [IMPOSTOR, 60_000],
] as const) {
  test(`real model: 2,000 keystrokes of a ${style.name} (${gapMs / 1000} s per window) with adaptation on leave the owner's acceptance and the impostors' rejection within 2 points`, () => {
    const h = enrolled({ adaptation: true });
    const before = rates(h.model.fromJSON(h.store.loadProfile()));
    let challenges = 0;
    for (const w of typingWindows(style, 2000, 7)) {
      h.clock.advance(gapMs);
      h.engine.addKeystrokeWindow(w);
      if (h.engine.state === 'challenge') {
        challenges++;
        h.engine.dismissChallenge();
      }
      // Worst case: the attacker knows the OS password and unlocks every time.
      if (h.engine.state === 'locked') h.engine.notifyUnlocked();
    }
    assert.ok(challenges > 0);
    const after = rates(h.model.fromJSON(h.store.loadProfile()));
    before.forEach((b, i) => assert.ok(Math.abs(after[i]! - b) * 100 <= 2, `rate ${i}: ${b.toFixed(3)} → ${after[i]!.toFixed(3)}`));
    assert.equal(h.engine.status().adaptation.keystrokes, 0);
  });
}

test('real model control: the mimic’s accepted windows, adapted without the engine’s gate, move the mimic’s rejection by more than 2 points', () => {
  const m = new CadenceModel();
  let p = m.fit({ keystrokeWindows: typingWindows(OWNER, 1000, 1), mouseActions: mouseActions(OWNER_MOUSE, 120, 1) }, both);
  const before = 1 - acceptance(p, mimicTest);
  const accepted = typingWindows(MIMIC, 2000, 7).filter((w) => p.keystroke!.evidence(w) >= neutral);
  for (let i = 0; i + 8 <= accepted.length; i += 8) p = m.adapt(p, { keystrokeWindows: accepted.slice(i, i + 8), mouseActions: [] }, 0.05);
  const after = 1 - acceptance(p, mimicTest);
  assert.ok((before - after) * 100 > 2, `${before} → ${after}`);
});

test('real model: the owner’s own windows do adapt the profile', () => {
  const h = enrolled({ adaptation: true });
  ownerWorks(h, typingWindows(OWNER, 2000, 8), 60_000);
  assert.ok(h.engine.status().adaptation.batches >= 1);
});

test('real model: policy turning off the only enrolled channel sends the engine back to learning, never to a broken protected state', () => {
  const h = modelHarness(new CadenceModel(), { channels: { keystroke: true, mouse: false } });
  enrol(h);
  assert.equal(h.engine.state, 'protected');
  h.policy.set({ channels: { keystroke: false, mouse: true } });
  assert.equal(h.engine.state, 'learning');
  assert.match(h.store.events.at(-1)!.reason, /cannot run with this policy/);
  h.engine.addMouseActions(mouseActions(OWNER_MOUSE, 120, 4));
  assert.equal(h.engine.state, 'protected');
});
