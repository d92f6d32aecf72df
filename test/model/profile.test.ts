import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Detector } from '../../src/model/detector';
import type { Keystroke } from '../../src/model/keystrokes';
import { keystrokeWindows } from '../../src/model/keystroke-windows';
import type { KeystrokeWindow } from '../../src/model/keystroke-windows';
import {
  fitKeystrokeProfile,
  fitMouseProfile,
  MIN_ENROLMENT_WINDOWS,
  MOUSE_WINDOW_ACTIONS,
  profileFromJSON,
  profileQuality,
  profileToJSON,
  TrustSession,
} from '../../src/model/profile';
import type { KeystrokeProfile, MouseProfile } from '../../src/model/profile';
import { chunks, DIFFERENT_HABITS, seededRandom, syntheticUser, TYPICAL_HABITS } from './mouse/synthetic-mouse';

/** A synthetic typist: hold and flight habits, typing random letters of a small alphabet. */
function typist(holdMs: number, flightMs: number, n: number, seed: number): Keystroke[] {
  const rnd = seededRandom(seed);
  const keys = 'etaoinshr';
  const out: Keystroke[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    const key = keys[Math.floor(rnd() * keys.length)]!;
    // Each key has its own offset, as real typists do.
    const k = keys.indexOf(key);
    const hold = holdMs + 4 * k + 12 * (rnd() - 0.5) * 2;
    out.push({ key, press: t, release: t + hold });
    t += flightMs + 6 * k + 40 * (rnd() - 0.5) * 2;
  }
  return out;
}

/** Test detector: mean absolute difference from the owner's mean hold per key (deterministic and small). */
const meanHold: Detector<KeystrokeWindow> = {
  name: 'test-mean-hold',
  fit(enrolment) {
    const sums: Record<string, [number, number]> = {};
    for (const w of enrolment) {
      for (const [k, v] of Object.entries(w.holds)) {
        const s = (sums[k] ??= [0, 0]);
        for (const x of v) {
          s[0] += x;
          s[1]++;
        }
      }
    }
    return this.load(Object.fromEntries(Object.entries(sums).map(([k, [s, n]]) => [k, s / n])));
  },
  load(json) {
    if (typeof json !== 'object' || json === null) throw new TypeError('means must be an object');
    const means = json as Record<string, number>;
    return {
      distance(w) {
        let s = 0;
        let n = 0;
        for (const [k, v] of Object.entries(w.holds)) {
          const m = means[k];
          if (m === undefined) continue;
          for (const x of v) {
            s += Math.abs(x - m);
            n++;
          }
        }
        return n > 0 ? s / n : 1e6;
      },
      toJSON: () => means,
    };
  },
};

const ownerEnrol = keystrokeWindows(typist(90, 160, 400, 1), 25);
const ownerLater = keystrokeWindows(typist(90, 160, 350, 2), 25);
const impostor = keystrokeWindows(typist(140, 220, 350, 3), 25);

function keystrokeProfile(): KeystrokeProfile {
  return fitKeystrokeProfile(ownerEnrol, meanHold);
}

test('a keystroke profile measures its quality from held-back enrolment windows', () => {
  const p = keystrokeProfile();
  assert.equal(p.modality, 'keystroke');
  assert.equal(p.windowSize, 25);
  assert.equal(p.quality.samples, 400);
  assert.equal(p.quality.windows, 16);
  assert.ok(p.quality.coverage > 0.9, `coverage ${p.quality.coverage}`);
  assert.ok(p.quality.stability >= 0.85, `stability ${p.quality.stability}`);
  assert.equal(p.quality.ready, true);
  assert.deepEqual(p.quality.missing, []);
});

test('an owner whose enrolment changes halfway is not ready, and is told why', () => {
  const drifting = [...keystrokeWindows(typist(90, 160, 200, 4), 25), ...keystrokeWindows(typist(150, 160, 200, 5), 25)];
  const p = fitKeystrokeProfile(drifting, meanHold);
  assert.equal(p.quality.ready, false);
  assert.match(p.quality.missing.join('\n'), /held-back enrolment windows/);
});

test('too little enrolment is refused with what to do', () => {
  assert.throws(() => fitKeystrokeProfile(ownerEnrol.slice(0, MIN_ENROLMENT_WINDOWS - 1), meanHold), /at least 10 enrolment windows.*collect more/);
  assert.throws(() => fitMouseProfile(syntheticUser(TYPICAL_HABITS, 20, 1)), /at least 10 enrolment windows/);
});

test('owner windows get positive evidence, an impostor negative', () => {
  const p = keystrokeProfile();
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(ownerLater.map((w) => p.evidence(w))) > 0.3);
  assert.ok(mean(impostor.map((w) => p.evidence(w))) < -0.5);
});

test('the trust session leaves the owner alone and locks an impostor', () => {
  const p = keystrokeProfile();
  const owner = new TrustSession({ keystroke: p }, 'balanced');
  for (const w of ownerLater) assert.equal(owner.addKeystrokeWindow(w).locked, false);
  const s = new TrustSession({ keystroke: p }, 'balanced');
  const lockedAfter = impostor.findIndex((w) => s.addKeystrokeWindow(w).locked);
  assert.ok(lockedAfter >= 0 && lockedAfter < 4, `locked after window ${lockedAfter}`);
});

test('the first window after idle can weigh more, and a partial window weighs less', () => {
  const p = keystrokeProfile();
  const once = new TrustSession({ keystroke: p }).addKeystrokeWindow(impostor[0]!);
  const heavy = new TrustSession({ keystroke: p }).addKeystrokeWindow(impostor[0]!, 2);
  assert.ok(100 - heavy.trust > 100 - once.trust);
  const partial = keystrokeWindows(typist(140, 220, 10, 6), 10)[0]!;
  const full = keystrokeWindows(typist(140, 220, 25, 6), 25)[0]!;
  const dp = 100 - new TrustSession({ keystroke: p }).addKeystrokeWindow(partial).trust;
  const df = 100 - new TrustSession({ keystroke: p }).addKeystrokeWindow(full).trust;
  assert.ok(dp < df, `partial ${dp} vs full ${df}`);
});

test('keystroke and mouse evidence move one trust level; mouse actions are scored per full window', () => {
  const mouse = fitMouseProfile(syntheticUser(TYPICAL_HABITS, 300, 1));
  const s = new TrustSession({ keystroke: keystrokeProfile(), mouse }, 'strict');
  const other = syntheticUser(DIFFERENT_HABITS, 40, 7);
  const u1 = s.addMouseActions(other.slice(0, MOUSE_WINDOW_ACTIONS - 1));
  assert.equal(u1.scored, false);
  assert.equal(u1.trust, 100);
  const u2 = s.addMouseActions(other.slice(MOUSE_WINDOW_ACTIONS - 1, MOUSE_WINDOW_ACTIONS));
  assert.equal(u2.scored, true);
  assert.ok(u2.evidence < 0 && u2.trust < 100);
  const u3 = s.addKeystrokeWindow(impostor[0]!);
  assert.ok(u3.trust < u2.trust, 'keystroke evidence lowers the same level');
  assert.throws(() => new TrustSession({}), /needs a keystroke or a mouse profile/);
});

test('profile JSON round-trip gives identical distances and evidence', () => {
  const k = keystrokeProfile();
  const k2 = profileFromJSON(profileToJSON(k), { keystroke: [meanHold] }) as KeystrokeProfile;
  assert.equal(k2.modality, 'keystroke');
  for (const w of [...ownerLater, ...impostor]) {
    assert.equal(k2.distance(w), k.distance(w));
    assert.equal(k2.evidence(w), k.evidence(w));
  }
  assert.deepEqual(k2.quality, k.quality);

  const m = fitMouseProfile(syntheticUser(TYPICAL_HABITS, 200, 8));
  const m2 = profileFromJSON(profileToJSON(m)) as MouseProfile;
  assert.equal(m2.detector, 'cadence');
  for (const w of chunks(syntheticUser(DIFFERENT_HABITS, 50, 9), 5)) {
    assert.equal(m2.distance(w), m.distance(w));
    assert.equal(m2.evidence(w), m.evidence(w));
  }
});

test('a corrupt profile blob gives a clear error naming what is wrong', () => {
  const good = JSON.parse(profileToJSON(keystrokeProfile())) as Record<string, unknown>;
  const load = (o: unknown): unknown => profileFromJSON(typeof o === 'string' ? o : JSON.stringify(o), { keystroke: [meanHold] });
  assert.throws(() => load('{"format": "cadence-prof'), /stored profile is invalid: not JSON/);
  assert.throws(() => load({ ...good, format: 'other' }), /"format"/);
  assert.throws(() => load({ ...good, version: 2 }), /version 2 is newer than this build reads/);
  assert.throws(() => load({ ...good, modality: 'voice' }), /"modality"/);
  assert.throws(() => load({ ...good, detector: 'nope' }), /no keystroke detector named "nope"/);
  assert.throws(() => load({ ...good, calibration: { version: 1, distances: [1, 2, 'x'] } }), /"calibration"/);
  assert.throws(() => load({ ...good, model: null }), /"model" for detector "test-mean-hold": means must be an object/);
  assert.throws(() => load({ ...good, quality: { ...(good.quality as object), ready: 'yes' } }), /"quality.ready"/);
  const mouse = JSON.parse(profileToJSON(fitMouseProfile(syntheticUser(TYPICAL_HABITS, 100, 10)))) as { model: Record<string, unknown> };
  assert.throws(() => profileFromJSON(JSON.stringify({ ...mouse, model: { ...mouse.model, kind: 'x' } })), /"model" for detector "cadence".*kind/);
});

test('the quality the agent shows combines both modalities', () => {
  const k = keystrokeProfile();
  const m = fitMouseProfile(syntheticUser(TYPICAL_HABITS, 300, 11));
  const q = profileQuality({ keystroke: k, mouse: m });
  assert.equal(q.keystrokes, 400);
  assert.equal(q.mouseActions, 300);
  assert.equal(q.digraphCoverage, k.quality.coverage);
  assert.equal(q.stability, Math.min(k.quality.stability, m.quality.stability));
  assert.equal(q.ready, k.quality.ready && m.quality.ready);
  assert.equal(profileQuality({}).ready, false);
});
