import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT_API_METHODS } from '../../../src/main/api/agent-api';
import { createAgentApi } from '../../../src/main/engine/agent-api-impl';
import { enrol, feed, harness } from './support/harness';
import { IMPOSTOR, typingWindows } from './support/synthetic';

test('every AgentApi method exists and answers with {ok, value}', async () => {
  const h = harness();
  const api = createAgentApi(h.engine);
  for (const m of AGENT_API_METHODS) assert.equal(typeof api[m], 'function', m);
  const s = await api.getStatus();
  assert.ok(s.ok);
  assert.equal(s.value.state, 'not-enrolled');
  assert.equal(s.value.trust, null);
  const p = await api.getPolicy();
  assert.ok(p.ok);
  assert.deepEqual(p.value.channels, { keystroke: true, mouse: true });
  assert.equal(p.value.source, 'test');
});

test('bad arguments from a page come back as errors naming the argument, never thrown', async () => {
  const api = createAgentApi(harness().engine);
  const bad = [
    await api.getDecisions(0),
    await api.getDecisions(1.5),
    await api.getTrustHistory(Number.NaN),
    await api.setPaused('yes' as unknown as boolean),
    await api.submitChallenge(42 as unknown as string),
    await api.setEnrolmentStep('finale' as never),
  ];
  assert.deepEqual(
    bad.map((r) => (r.ok ? 'ok' : r.code)),
    ['bad-argument', 'bad-argument', 'bad-argument', 'bad-argument', 'bad-argument', 'bad-step'],
  );
  const d = bad[0]!;
  assert.ok(!d.ok && /limit must be an integer from 1 to 1000/.test(d.message));
});

test('an exception inside the engine becomes an internal error as data', async () => {
  const h = harness();
  h.store.trustSince = () => {
    throw new Error('database is locked');
  };
  const r = await createAgentApi(h.engine).getTrustHistory(0);
  assert.deepEqual(r, { ok: false, code: 'internal', message: 'getTrustHistory failed inside the agent: database is locked' });
});

test('the dashboard sees trust history and decisions newest first, in plain words', async () => {
  const h = harness();
  enrol(h);
  const api = createAgentApi(h.engine);
  const from = h.clock.now();
  feed(h, typingWindows(IMPOSTOR, 500, 5));
  const t = await api.getTrustHistory(from);
  assert.ok(t.ok && t.value.length >= 1 && t.value.every((p) => p.t >= from && p.trust >= 0 && p.trust <= 100));
  const d = await api.getDecisions(3);
  assert.ok(d.ok);
  assert.equal(d.value[0]!.kind, 'challenge');
  assert.match(d.value[0]!.reason, /typing rhythm differed/);
  assert.deepEqual(Object.keys(d.value[0]!).sort(), ['kind', 'reason', 't']);
  const c = await api.getChallenge();
  assert.ok(c.ok && c.value !== null && c.value.attemptsLeft === 3);
  const pause = await api.setPaused(true);
  assert.ok(!pause.ok && pause.code === 'pause-not-now');
  const wrong = await api.submitChallenge('not the phrase');
  assert.ok(wrong.ok && wrong.value.next === 'retry');
});
