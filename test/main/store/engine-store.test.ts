import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { Store } from '../../../src/main/store/store';
import { engineStoreOf } from '../../../src/main/store/engine-store';
import type { EngineStore } from '../../../src/main/engine/ports';
import { MOUSE_FEATURE_NAMES } from '../../../src/model/mouse-features';
import { scratchDir } from './scratch';

test('the adapter fits the engine port and round-trips state, events, enrolment and profile', (t) => {
  const store = Store.open({ path: path.join(scratchDir(t), 'cadence.db') });
  t.after(() => store.close());
  const port: EngineStore = engineStoreOf(store, () => 42); // compile-time check of the fit
  assert.equal(port.loadState(), null);
  port.commit({ version: 1, state: 'learning' }, [{ t: 5, kind: 'state', reason: 'consent given', from: 'enrolling', to: 'learning', details: { trust: 100, step: 'done' } }]);
  assert.deepEqual(port.loadState(), { version: 1, state: 'learning' });
  assert.deepEqual(port.recentEvents(10), [{ t: 5, kind: 'state', reason: 'consent given', from: 'enrolling', to: 'learning', details: { step: 'done', trust: 100 } }]);
  assert.equal(store.recentDecisions(1)[0]!.trust, 100);
  assert.equal(store.auditEvents()[0]!.payload.to, 'learning');

  const w = { keystrokes: 25, durationMs: 3000, holds: { a: [1] }, dd: {}, ud: {} };
  port.addEnrolmentKeystrokeWindow(w);
  const action = { type: 'PC' as const, values: MOUSE_FEATURE_NAMES.map(() => 2) };
  port.addEnrolmentMouseActions([action, action]);
  const e = port.loadEnrolment();
  assert.equal(e.keystrokeWindows.length, 1);
  assert.deepEqual(JSON.parse(JSON.stringify(e.keystrokeWindows[0])), w);
  assert.deepEqual(e.mouseActions, [action, action]);
  assert.equal(port.loadProfile(), null);
  port.saveProfile({ model: 'x' });
  assert.deepEqual(port.loadProfile(), { model: 'x' });
});

test('a failing commit leaves neither the state nor any of its events', (t) => {
  const store = Store.open({ path: path.join(scratchDir(t), 'cadence.db') });
  t.after(() => store.close());
  const port = engineStoreOf(store);
  port.commit({ n: 1 }, []);
  assert.throws(() =>
    port.commit({ n: 2 }, [
      { t: 1, kind: 'state', reason: 'fine' },
      { t: 2, kind: 'Bad Kind' as never, reason: 'refused by the audit log' },
    ]),
  );
  assert.deepEqual(port.loadState(), { n: 1 });
  assert.equal(store.auditEvents().length, 0);
});

test('kill -9 in the middle of committing loses no committed state and never splits a state from its audit event', async (t) => {
  const file = path.join(scratchDir(t), 'cadence.db');
  const child = spawn(process.execPath, [path.join(__dirname, 'commit-loop.js'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let printed = 0;
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      if (lines.length > 0) printed = Number(lines.at(-1));
      if (printed >= 300 && child.exitCode === null && !child.killed) {
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`commit loop ended by itself: code ${code}, signal ${signal}`))));
  });

  const store = Store.open({ path: file });
  t.after(() => store.close());
  const state = engineStoreOf(store).loadState() as { n: number };
  assert.ok(state.n >= printed, `state ${state.n} is older than the last commit the child reported (${printed})`);
  const last = store.recentDecisions(1)[0]!;
  assert.equal(last.details?.n, state.n, 'the newest decision belongs to the newest state');
  assert.equal(store.verifyAudit().ok, true);
  assert.equal(store.auditEvents().length, state.n);
});
