import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Keystroke } from '../../src/model/keystrokes';
import { startRig, beginEnrolment, finishEnrolment, asStream, type Rig } from './driver';
import { syntheticTypist } from '../model/keystroke/synthetic-typist';
import { xvfbAvailable, NO_XVFB_REASON } from '../support/xvfb';
import { xtestUnavailableReason } from '../support/replay';

/**
 * Scripted or injected input (a rubber-ducky, a macro) types faster and more
 * regularly than a human: the real agent, already protecting its owner, must
 * challenge it within 20 keystrokes, whatever the profile says.
 */
const skip = !xvfbAvailable() ? NO_XVFB_REASON : xtestUnavailableReason() ?? false;

test('input at inhuman regularity is challenged within 20 keystrokes', { skip, timeout: 300_000 }, async () => {
  const rig: Rig = await startRig();
  try {
    // A synthetic owner (no dataset needed) enrols until the profile protects.
    const owner = syntheticTypist(4242);
    await beginEnrolment(rig);
    let seed = 1;
    await rig.type(asStream([owner.type(420, seed++)]));
    for (let i = 0; i < 6 && !(await finishEnrolment(rig)); i++) await rig.type(asStream([owner.type(60, seed++)]));
    for (let i = 0; i < 8 && rig.runtime.engine.state !== 'protected'; i++) await rig.type(asStream([owner.type(100, seed++)]));
    assert.equal(rig.runtime.engine.state, 'protected', `protected before the script runs (${rig.runtime.engine.status().missing.join('; ')})`);

    // The script: every hold exactly 40 ms, every press 60 ms after the last, over 12 different keys.
    // (Paced so the agent's activity counter, updated every 250 ms, can tell how many keys it took.)
    const keys = 'qwertyuiopas'.split('');
    const script: Keystroke[] = Array.from({ length: 40 }, (_, i) => ({ key: keys[i % keys.length]!, press: i * 60, release: i * 60 + 40 }));
    const start = rig.keystrokes();
    await rig.type(script);
    const challenge = rig.states.find((s) => s.state === 'challenge');
    assert.ok(challenge, `challenged (states: ${rig.states.map((s) => s.state).join(' > ')})`);
    const after = challenge.at - start;
    console.log(`inhuman: challenged after ${after} scripted keystrokes (${challenge.reason})`);
    assert.ok(after <= 20, `challenged after ${after} scripted keystrokes`);
    assert.match(challenge.reason, /regular|inhuman|script|faster/i);
  } finally {
    await rig.stop();
  }
});
