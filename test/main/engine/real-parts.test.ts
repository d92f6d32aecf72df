import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../../src/main/engine/engine';
import { CadenceModel } from '../../../src/main/engine/cadence-model';
import { seededRandom } from '../../../src/main/engine/challenge-phrase';
import type { EngineStore, Locker, PolicySource } from '../../../src/main/engine/ports';
import { lockSession } from '../../../src/main/lock/lock';
import { PolicyManager } from '../../../src/main/policy/policy-manager';
import { filePolicySource } from '../../../src/main/policy/source-file';
import { engineStoreOf } from '../../../src/main/store/engine-store';
import { Store } from '../../../src/main/store/store';
import { enrol, feed } from './support/harness';
import { ManualClock } from './support/memory-ports';
import { IMPOSTOR, OWNER, typingWindows } from './support/synthetic';

/*
 * The engine over the REAL store (SQLite file), REAL policy manager (a policy
 * file), REAL lockSession (running the policy's lock command) and the REAL
 * model. Only the clock is ours. This is how the headless agent wires it, and
 * a compile-time check that the real parts fit the ports.
 */
const fits = {
  policy: (m: PolicyManager): PolicySource => m,
  store: (s: Store): EngineStore => engineStoreOf(s),
  locker: (): Locker => ({ lock: (command) => lockSession(command ? { command } : {}) }),
};

test('real store, policy, lock and model: an impostor is locked out through the policy lock command, and a restart over the same database stays locked', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-engine-'));
  try {
    const marker = path.join(dir, 'locked');
    const policyFile = path.join(dir, 'policy.json');
    fs.writeFileSync(policyFile, JSON.stringify({ lockCommand: ['/bin/sh', '-c', `echo locked >> '${marker}'`], challengeAttempts: 2 }));
    const policy = new PolicyManager({ source: filePolicySource(policyFile), persistence: null });
    policy.load();
    const clock = new ManualClock();
    const model = new CadenceModel();
    let store = Store.open({ path: path.join(dir, 'cadence.db') });
    const make = (): Engine<ReturnType<CadenceModel['fit']>> =>
      new Engine({ store: fits.store(store), locker: fits.locker(), clock, model, policy: fits.policy(policy), random: seededRandom(1) });
    const h = { engine: make(), clock };
    enrol(h);
    assert.equal(h.engine.state, 'protected');
    feed(h, typingWindows(IMPOSTOR, 500, 5));
    assert.equal(h.engine.state, 'challenge');
    h.engine.dismissChallenge();
    await h.engine.settled();
    assert.equal(h.engine.state, 'locked');
    assert.equal(fs.readFileSync(marker, 'utf8'), 'locked\n');
    const lockEvent = h.engine.decisions(1)[0]!;
    assert.equal(lockEvent.kind, 'lock');
    assert.match(lockEvent.reason, /^The (OS session was locked|lock command ran)/);

    // A restart over the same database file (the store's own test covers a real kill -9 of a committing child).
    h.engine.dispose();
    store.close();
    store = Store.open({ path: path.join(dir, 'cadence.db') });
    h.engine = make();
    await h.engine.settled();
    assert.equal(h.engine.state, 'locked');
    assert.equal(fs.readFileSync(marker, 'utf8'), 'locked\n', 'a confirmed lock is not repeated');
    assert.ok(h.engine.notifyUnlocked());
    assert.equal(feed(h, typingWindows(OWNER, 100, 9)), -1);
    store.close();
    policy.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
