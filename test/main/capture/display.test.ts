import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { checkDisplay, parseXDisplay } from '../../../src/main/capture/display';
import { startXvfb, xvfbAvailable, NO_XVFB_REASON } from '../../support/xvfb';

test('display names parse as Xlib reads them', () => {
  assert.deepEqual(parseXDisplay(':0'), { host: '', number: 0, screen: 0 });
  assert.deepEqual(parseXDisplay('unix:12.1'), { host: '', number: 12, screen: 1 });
  assert.deepEqual(parseXDisplay('localhost:10.0'), { host: 'localhost', number: 10, screen: 0 });
  assert.equal(parseXDisplay('wayland-0'), null);
  assert.equal(parseXDisplay(':x'), null);
});

test('no DISPLAY is refused with a one-line message saying what to do', async () => {
  const r = await checkDisplay({ env: {}, platform: 'linux' });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.cause, 'no-display');
  assert.doesNotMatch(r.message, /\n/);
  assert.match(r.message, /DISPLAY is not set/);
});

test('a Wayland session is refused even when XWayland provides a DISPLAY', async () => {
  for (const env of [{ XDG_SESSION_TYPE: 'wayland', DISPLAY: ':0' }, { WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' }]) {
    const r = await checkDisplay({ env, platform: 'linux' });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.cause, 'wayland');
      assert.match(r.message, /without root/);
      assert.match(r.message, /X11/);
    }
  }
});

test('a malformed DISPLAY is named', async () => {
  const r = await checkDisplay({ env: { DISPLAY: 'nonsense' }, platform: 'linux' });
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.cause, 'bad-display-name');
});

test('Windows needs no DISPLAY; macOS passes with the permission it needs named; others are unsupported', async () => {
  assert.deepEqual(await checkDisplay({ env: {}, platform: 'win32' }), { ok: true });
  const mac = await checkDisplay({ env: {}, platform: 'darwin' });
  assert.equal(mac.ok, true);
  if (mac.ok) assert.match(mac.note ?? '', /Input Monitoring/);
  const bsd = await checkDisplay({ env: { DISPLAY: ':0' }, platform: 'freebsd' });
  assert.equal(bsd.ok, false);
  if (!bsd.ok) assert.equal(bsd.cause, 'unsupported-platform');
});

async function withSocketDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-x11-'));
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a dead X server is detected: missing socket, stale socket file, and a server that accepts but never answers', async () => {
  await withSocketDir(async (dir) => {
    const missing = await checkDisplay({ env: { DISPLAY: ':7' }, platform: 'linux', socketDir: dir });
    assert.equal(missing.ok, false);
    if (!missing.ok) assert.match(missing.message, /X7 \(ENOENT\)/);

    // A crashed server leaves its socket file behind: nobody listens on it.
    fs.writeFileSync(path.join(dir, 'X8'), '');
    const stale = await checkDisplay({ env: { DISPLAY: ':8' }, platform: 'linux', socketDir: dir });
    assert.equal(stale.ok, false);
    if (!stale.ok) assert.equal(stale.cause, 'dead-x-server');

    const hung = net.createServer(() => undefined); // accepts, never replies
    await new Promise<void>((r) => hung.listen(path.join(dir, 'X9'), r));
    try {
      const t0 = Date.now();
      const r = await checkDisplay({ env: { DISPLAY: ':9' }, platform: 'linux', socketDir: dir, timeoutMs: 300 });
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.message, /no answer within 300 ms/);
      assert.ok(Date.now() - t0 < 2000);
    } finally {
      hung.close();
    }
  });
});

test('a server that answers the X connection setup counts as alive, even when it wants credentials', async () => {
  await withSocketDir(async (dir) => {
    const srv = net.createServer((s) => s.once('data', () => s.end(Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]))));
    await new Promise<void>((r) => srv.listen(path.join(dir, 'X3'), r));
    try {
      assert.deepEqual(await checkDisplay({ env: { DISPLAY: ':3' }, platform: 'linux', socketDir: dir }), { ok: true });
    } finally {
      srv.close();
    }
  });
});

test('a TCP display whose port is closed is a dead X server', async () => {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const r = await checkDisplay({ env: { DISPLAY: `127.0.0.1:${port - 6000}` }, platform: 'linux' });
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.cause, 'dead-x-server');
    assert.match(r.message, new RegExp(`127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
  }
});

test('a real Xvfb passes the check', { skip: !xvfbAvailable() && NO_XVFB_REASON }, async () => {
  const x = await startXvfb();
  try {
    assert.deepEqual(await checkDisplay({ env: { DISPLAY: x.display }, platform: 'linux' }), { ok: true });
  } finally {
    await x.stop();
  }
});
