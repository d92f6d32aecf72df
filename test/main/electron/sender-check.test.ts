import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APP_ORIGIN, CHANNEL_PREFIX, checkSender } from '../../../src/main/electron/sender-check';

const own = `${APP_ORIGIN}/dashboard.html`;

test('a call from our own page’s main frame on a Cadence channel is accepted', () => {
  assert.deepEqual(checkSender({ channel: `${CHANNEL_PREFIX}getStatus`, frameUrl: own, isMainFrame: true }), { ok: true, value: 'getStatus' });
});

test('calls from any other origin are refused: file, web, localhost, look-alike hosts', () => {
  for (const url of ['file:///home/u/dist/renderer/dashboard.html', 'https://example.com/', 'http://127.0.0.1:8080/', 'app://cadence.evil/x.html', 'app://evil/x.html', 'about:blank', 'devtools://devtools/']) {
    const r = checkSender({ channel: `${CHANNEL_PREFIX}getStatus`, frameUrl: url, isMainFrame: true });
    assert.equal(r.ok, false, url);
    assert.equal(!r.ok && r.code, 'forbidden', url);
  }
});

test('a sub-frame of our own page is refused', () => {
  const r = checkSender({ channel: `${CHANNEL_PREFIX}giveConsent`, frameUrl: own, isMainFrame: false });
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.message : '', /sub-frame/);
});

test('a frame without a URL (gone, or never loaded) is refused', () => {
  assert.equal(checkSender({ channel: `${CHANNEL_PREFIX}getStatus`, frameUrl: null, isMainFrame: true }).ok, false);
});

test('channels without the Cadence prefix, or naming no AgentApi method, are refused', () => {
  assert.equal(checkSender({ channel: 'other:getStatus', frameUrl: own, isMainFrame: true }).ok, false);
  const r = checkSender({ channel: `${CHANNEL_PREFIX}constructor`, frameUrl: own, isMainFrame: true });
  assert.equal(!r.ok && r.code, 'unknown-method');
});
