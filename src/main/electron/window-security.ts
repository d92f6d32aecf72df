import type { BrowserWindowConstructorOptions, WebContents } from 'electron';
import path from 'node:path';

/** The pages' own CSP (each page also carries it in a meta tag). No connect-src: pages talk only through the preload. */
export const CSP_HEADER_VALUE = "default-src 'none'; script-src 'self'; style-src 'self'";

export const PRELOAD_PATH = path.join(__dirname, 'preload.js');

/** The webPreferences every Cadence window gets (DESIGN.md, Electron security). */
export function secureWebPreferences(): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: PRELOAD_PATH,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: process.env.CADENCE_DEVTOOLS === '1',
  };
}

/** No navigation away from the page, no new windows, no permission prompts. */
export function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}
