import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EngineRig } from './engine-rig';
import { chromiumMissingReason, openPage, screenshot, rigFor, startRig } from './browser';

const skip = chromiumMissingReason() ?? false;

/* eslint-disable @typescript-eslint/no-explicit-any */

test('a page cannot reach Node, the file system or the network beyond its own API', { skip }, async (t) => {
  const agent = new EngineRig();
  const rig = await rigFor(t, agent);
  const page = await openPage(rig, 'dashboard.html', []);
  await page.locator('body[data-loaded="true"]').waitFor();
  const probe = await page.evaluate(async () => {
    const g: any = globalThis;
    const attempt = async (f: () => Promise<unknown>): Promise<string> => {
      try {
        await f();
        return 'reached';
      } catch (e: any) {
        return `refused: ${e?.name ?? 'error'}`;
      }
    };
    return {
      require: typeof g.require,
      process: typeof g.process,
      module: typeof g.module,
      buffer: typeof g.Buffer,
      file: await attempt(() => g.fetch('file:///etc/passwd').then((r: any) => r.text())),
      external: await attempt(() => g.fetch('https://example.com/')),
      // Its own origin, but not the API: CSP allows connect-src 'self', the bridge still checks the token.
      sameOriginNoToken: await g
        .fetch('/api/getStatus', { method: 'POST', body: '[]' })
        .then((r: any) => String(r.status), () => 'refused'),
      cadenceKeys: Object.keys(g.cadence).sort(),
      cadenceFrozen: Object.isFrozen(g.cadence),
    };
  });
  assert.equal(probe.require, 'undefined');
  assert.equal(probe.process, 'undefined');
  assert.equal(probe.module, 'undefined');
  assert.equal(probe.buffer, 'undefined');
  assert.match(probe.file, /^refused/);
  assert.match(probe.external, /^refused/, 'CSP blocks every other origin');
  assert.equal(probe.sameOriginNoToken, '403');
  assert.deepEqual(probe.cadenceKeys, [...Object.keys(agent.api)].sort(), 'window.cadence is exactly the AgentApi');
  assert.equal(probe.cadenceFrozen, true);
  await screenshot(page, 'isolation-dashboard');
});

test('a page from a foreign origin cannot call the agent, even holding the token', { skip }, async (t) => {
  const agent = new EngineRig();
  const rig = await startRig(agent.api);
  // A foreign site on another port: a different origin, as a web page in the user's browser would be.
  const foreign = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><html lang="en"><title>foreign</title><main><h1>Some other site</h1></main></html>');
  });
  await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
  t.after(async () => {
    await rig.close();
    agent.dispose();
    await new Promise((r) => foreign.close(r));
  });
  const foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  const context = await rig.browser.newContext();
  const page = await context.newPage();
  await page.goto(foreignOrigin);
  const stateBefore = agent.engine.state;
  const outcome = await page.evaluate(
    async ([bridge, token]) => {
      const g: any = globalThis;
      const results: string[] = [];
      // With the custom header: the browser's preflight is refused, so the call never happens.
      await g
        .fetch(`${bridge}/api/giveConsent`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cadence-token': token }, body: '[]' })
        .then((r: any) => results.push(`status ${r.status}`), (e: any) => results.push(`refused: ${e.name}`));
      // A "simple" request needs no preflight: it reaches the server, which must refuse the Origin.
      await g
        .fetch(`${bridge}/api/giveConsent`, { method: 'POST', mode: 'no-cors', body: '[]' })
        .then((r: any) => results.push(`opaque ${r.type}`), (e: any) => results.push(`refused: ${e.name}`));
      // Loading the client script to borrow its token is blocked by Cross-Origin-Resource-Policy.
      const loaded = await new Promise<string>((resolve) => {
        const s = g.document.createElement('script');
        s.src = `${bridge}/bridge-client.js`;
        s.onload = () => resolve(typeof g.cadence);
        s.onerror = () => resolve('script refused');
        g.document.head.append(s);
      });
      results.push(loaded);
      return results;
    },
    [rig.bridge.origin, rig.bridge.token] as const,
  );
  assert.match(outcome[0]!, /^refused: TypeError/);
  // Cross-Origin-Resource-Policy hides even the opaque response, but the request did reach the bridge:
  assert.match(outcome[1]!, /^refused: TypeError/);
  assert.ok((rig.bridge.refusals.get('foreign or missing Origin') ?? 0) >= 1, 'the bridge refused the foreign Origin itself');
  assert.equal(outcome[2], 'script refused');
  assert.equal(agent.engine.state, stateBefore, 'nothing the foreign page sent reached the engine');
  assert.equal(agent.engine.enrolment().consentGiven, false);
  assert.equal(rig.bridge.calls.get('giveConsent') ?? 0, 0);
  await screenshot(page, 'isolation-foreign-origin');
  await context.close();
});
