import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import type { WebContents } from 'electron';
import { CSP_HEADER_VALUE, PRELOAD_PATH, lockDownContents, secureWebPreferences } from '../../../src/main/electron/window-security';
import { PAGE_CSP } from '../../../src/main/bridge/http-bridge';

const REPO = path.join(__dirname, '..', '..', '..', '..');

test('every window gets isolation, the sandbox, no Node and its own preload', () => {
  const p = secureWebPreferences();
  assert.equal(p.contextIsolation, true);
  assert.equal(p.sandbox, true);
  assert.equal(p.nodeIntegration, false);
  assert.equal(p.nodeIntegrationInWorker, false);
  assert.equal(p.nodeIntegrationInSubFrames, false);
  assert.equal(p.webviewTag, false);
  assert.equal(p.webSecurity, true);
  assert.equal(p.preload, PRELOAD_PATH);
  assert.ok(fs.existsSync(PRELOAD_PATH), 'the preload is compiled next to the shell');
  assert.notEqual(secureWebPreferences(), secureWebPreferences(), 'a fresh object per window');
});

test('navigation, redirects, webviews, new windows and permissions are all denied', () => {
  const contents = new EventEmitter() as EventEmitter & { setWindowOpenHandler?: unknown; session?: unknown };
  let openHandler: ((d: unknown) => { action: string }) | null = null;
  let permission: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
  let permissionCheck: (() => boolean) | null = null;
  contents.setWindowOpenHandler = (h: typeof openHandler) => (openHandler = h);
  contents.session = {
    setPermissionRequestHandler: (h: typeof permission) => (permission = h),
    setPermissionCheckHandler: (h: typeof permissionCheck) => (permissionCheck = h),
  };
  lockDownContents(contents as unknown as WebContents);
  for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
    let prevented = false;
    contents.emit(name, { preventDefault: () => (prevented = true) });
    assert.ok(prevented, name);
  }
  assert.deepEqual(openHandler!({ url: 'https://example.com' }), { action: 'deny' });
  let granted: boolean | null = null;
  permission!(null, 'media', (ok) => (granted = ok));
  assert.equal(granted, false);
  assert.equal(permissionCheck!(), false);
});

test('the CSP Electron sends is the one every page carries in its meta tag', () => {
  assert.equal(CSP_HEADER_VALUE, PAGE_CSP);
  for (const page of ['wizard.html', 'challenge.html', 'dashboard.html']) {
    const html = fs.readFileSync(path.join(REPO, 'src', 'renderer', page), 'utf8');
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}" />`), page);
    assert.ok(!/<script(?![^>]*\ssrc=)/.test(html), `${page}: no inline scripts`);
    assert.ok(!/\sstyle=/.test(html), `${page}: no inline styles`);
    assert.ok(!/https?:\/\//.test(html), `${page}: no external URLs`);
  }
});

test('only src/main/electron imports electron at runtime', () => {
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.includes(`${path.sep}electron${path.sep}`)) {
        const src = fs.readFileSync(p, 'utf8');
        if (/(?:^|\n)\s*import\s+(?!type\b)[^;]*from\s+'electron'|require\('electron'\)/.test(src)) offenders.push(path.relative(REPO, p));
      }
    }
  };
  walk(path.join(REPO, 'src'));
  assert.deepEqual(offenders, []);
});
