import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { CSP, MAX_BODY_BYTES, PAGE_CSP, TOKEN_HEADER, forBridge, startBridge, type Bridge } from '../../../src/main/bridge/http-bridge';
import type { AgentApi, Result } from '../../../src/main/api/agent-api';

/** Just enough of an AgentApi to see what reaches it; the pages' tests use the real engine. */
function recordingApi(): { api: AgentApi; seen: string[] } {
  const seen: string[] = [];
  const ok = async (name: string, args: unknown[]): Promise<Result<unknown>> => {
    seen.push(`${name}(${JSON.stringify(args).slice(1, -1)})`);
    return { ok: true, value: name };
  };
  const api = new Proxy({} as AgentApi, {
    get: (_t, name: string) => (...args: unknown[]) => (name === 'getPolicy' ? Promise.reject(new Error('boom')) : ok(name, args)),
  });
  return { api, seen };
}

let dir: string;
let bridge: Bridge;
let seen: string[];

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-bridge-'));
  fs.writeFileSync(path.join(dir, 'page.html'), `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}"><script type="module" src="page.js"></script></head></html>`);
  fs.writeFileSync(path.join(dir, 'nocsp.html'), '<!doctype html><html><head></head></html>');
  fs.writeFileSync(path.join(dir, 'page.js'), 'export {};');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a served type');
  fs.writeFileSync(path.join(path.dirname(dir), `${path.basename(dir)}-secret.html`), 'outside');
  const r = recordingApi();
  seen = r.seen;
  bridge = await startBridge({ api: r.api, staticDir: dir });
});
after(async () => {
  await bridge.close();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(path.join(path.dirname(dir), `${path.basename(dir)}-secret.html`), { force: true });
});

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function request(p: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  const url = new URL(p, bridge.origin);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const call = (method: string, body: string, headers: Record<string, string> = {}): Promise<Reply> =>
  request(`/api/${method}`, { method: 'POST', body, headers: { origin: bridge.origin, [TOKEN_HEADER]: bridge.token, 'content-type': 'application/json', ...headers } });

test('listens on the loopback address only, on a port the OS picked', () => {
  assert.match(bridge.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(new URL(bridge.origin).port, '0');
});

test('an API call with the token from its own origin reaches the AgentApi and returns its Result', async () => {
  const r = await call('setEnrolmentStep', '["consent"]');
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.body), { ok: true, value: 'setEnrolmentStep' });
  assert.ok(seen.includes('setEnrolmentStep("consent")'));
});

test('a foreign Origin is refused with 403 even with the right token', async () => {
  const before = seen.length;
  const r = await call('giveConsent', '[]', { origin: 'http://evil.example' });
  assert.equal(r.status, 403);
  assert.equal(seen.length, before, 'nothing reached the API');
});

test('a request with no Origin is refused: only pages call the bridge', async () => {
  const r = await request('/api/getStatus', { method: 'POST', body: '[]', headers: { [TOKEN_HEADER]: bridge.token } });
  assert.equal(r.status, 403);
});

test('a missing or wrong token is refused with 403', async () => {
  assert.equal((await call('getStatus', '[]', { [TOKEN_HEADER]: '' })).status, 403);
  const wrong = bridge.token.slice(0, -1) + (bridge.token.endsWith('A') ? 'B' : 'A');
  assert.equal((await call('getStatus', '[]', { [TOKEN_HEADER]: wrong })).status, 403);
  assert.equal((await call('getStatus', '[]', { [TOKEN_HEADER]: bridge.token + 'A' })).status, 403);
});

test('a Host other than its own (DNS rebinding) is refused', async () => {
  const r = await call('getStatus', '[]', { host: `localhost:${new URL(bridge.origin).port}` });
  assert.equal(r.status, 403);
});

test('only AgentApi methods are routable', async () => {
  for (const m of ['constructor', '__proto__', 'toString', 'dispose', 'getStatus/../x']) {
    const r = await call(m, '[]');
    assert.equal(r.status, 404, m);
  }
});

test('API calls must be POST', async () => {
  const r = await request('/api/getStatus', { headers: { origin: bridge.origin, [TOKEN_HEADER]: bridge.token } });
  assert.equal(r.status, 405);
});

test('a body over the limit is refused with 413, declared or streamed', async () => {
  const big = JSON.stringify(['x'.repeat(MAX_BODY_BYTES)]);
  assert.equal((await call('submitChallenge', big)).status, 413);
  // Chunked: no content-length to trust, the running count still stops it.
  const r = await request('/api/submitChallenge', {
    method: 'POST',
    body: Buffer.from(big),
    headers: { origin: bridge.origin, [TOKEN_HEADER]: bridge.token, 'transfer-encoding': 'chunked' },
  });
  assert.equal(r.status, 413);
});

test('bad JSON and bad arguments come back as Results naming the problem', async () => {
  const bad = await call('getDecisions', '[1,');
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.body).code, 'bad-json');
  const wrong = JSON.parse((await call('getDecisions', '["ten"]')).body);
  assert.equal(wrong.ok, false);
  assert.equal(wrong.code, 'bad-arguments');
  assert.match(wrong.message, /getDecisions: argument 0/);
  const extra = JSON.parse((await call('getStatus', '[1]')).body);
  assert.equal(extra.code, 'bad-arguments');
  const notArray = JSON.parse((await call('setPaused', '{"paused":true}')).body);
  assert.match(notArray.message, /must be a JSON array/);
});

test('an AgentApi that throws becomes an internal-error Result, not a crash', async () => {
  const r = JSON.parse((await call('getPolicy', '[]')).body);
  assert.deepEqual(r, { ok: false, code: 'internal', message: 'getPolicy failed inside the agent: boom' });
});

test('pages are served with the client script first and the API allowed by CSP', async () => {
  const r = await request('/page.html');
  assert.equal(r.status, 200);
  assert.ok(r.body.indexOf('/bridge-client.js') < r.body.indexOf('page.js'));
  assert.ok(r.body.includes(`content="${CSP}"`));
  assert.equal(r.headers['content-security-policy'], CSP);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.equal(r.headers['cross-origin-resource-policy'], 'same-origin');
});

test('a page without the required CSP meta is not served', async () => {
  assert.equal((await request('/nocsp.html')).status, 500);
  assert.equal(forBridge('<html><head></head></html>'), null);
});

test('nothing outside the renderer folder, and no unknown file types, are served', async () => {
  for (const p of ['/../' + path.basename(dir) + '-secret.html', '/%2e%2e/' + path.basename(dir) + '-secret.html', '/notes.txt', '/missing.js']) {
    assert.equal((await request(p)).status, 404, p);
  }
});

test('the client script carries this run’s token and every AgentApi method', async () => {
  const r = await request('/bridge-client.js');
  assert.equal(r.status, 200);
  assert.ok(r.body.includes(JSON.stringify(bridge.token)));
  for (const m of ['getStatus', 'submitChallenge', 'setPaused']) assert.ok(r.body.includes(`"${m}"`));
});

test('each bridge gets its own random token', async () => {
  const other = await startBridge({ api: recordingApi().api, staticDir: dir });
  try {
    assert.notEqual(other.token, bridge.token);
    assert.ok(Buffer.from(other.token, 'base64url').length >= 32);
  } finally {
    await other.close();
  }
});
