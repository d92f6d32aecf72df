import { app, dialog, ipcMain, powerMonitor } from 'electron';
import type { PolicyView, StatusView } from '../api/agent-api';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { loadAgentRuntime, type AgentRuntime } from './agent-runtime';
import { utilityCaptureSpawner } from './capture-utility';
import { registerAgentIpc } from './ipc';
import { ensureAppImageAutostart } from './linux-autostart';
import { CadenceTray } from './tray';
import type { TrayAction } from './tray-model';
import { Windows } from './windows';

/**
 * Electron main: one instance per user session, a tray icon, windows on
 * demand, start at login. Everything the agent does lives in the agent
 * runtime; this file only shows it. UNTESTED on this machine: the Electron
 * binary cannot be installed here (TESTBED.md); test/main/electron/ holds the
 * _electron end-to-end tests that run where it can, and the Electron-free
 * parts (sender checks, file mapping, tray rules) are tested in Node.
 */

const STATUS_POLL_MS = 1000;
const POLICY_POLL_MS = 15_000;

if (!app.requestSingleInstanceLock()) {
  // Another Cadence already runs in this session; it gets our 'second-instance' and shows its dashboard.
  app.quit();
} else {
  registerAppScheme();
  void main();
}

async function main(): Promise<void> {
  let runtime: AgentRuntime | null = null;
  let disposeIpc: (() => void) | null = null;
  let tray: CadenceTray | null = null;
  let status: StatusView | null = null;
  let policy: PolicyView | null = null;
  let policyAt = 0;
  let quitting = false;
  // Set on OS shutdown so before-quit lets the app go even when policy forbids quitting.
  let shuttingDown = false;
  const timers: NodeJS.Timeout[] = [];
  const windows = new Windows(() => runtime?.challengeDismissed());

  app.on('second-instance', () => windows.openDashboard());
  // A tray app keeps running with no windows open.
  app.on('window-all-closed', () => undefined);
  // Any webContents created anywhere (even by a bug) gets no webviews and no new windows.
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  await app.whenReady();
  powerMonitor.on('shutdown', () => {
    shuttingDown = true;
    app.quit();
  });
  serveRenderer();
  try {
    runtime = await loadAgentRuntime()({ captureSpawner: utilityCaptureSpawner });
  } catch (err) {
    dialog.showErrorBox('Cadence cannot start', (err as Error).message);
    app.exit(1);
    return;
  }
  disposeIpc = registerAgentIpc(ipcMain, runtime.api);

  // Start at login, hidden: the tray is the way in. Installers also write autostart entries
  // (build/linux/cadence-autostart.desktop); this covers per-user installs.
  if (process.platform !== 'linux') app.setLoginItemSettings({ openAtLogin: true, openAsHidden: true, args: ['--hidden'] });
  else {
    try {
      ensureAppImageAutostart();
    } catch (err) {
      // Not fatal: the user can still start Cadence by hand; say why autostart is missing.
      process.stderr.write(`cadence: could not write the autostart entry: ${(err as Error).message}\n`);
    }
  }

  const act = (action: TrayAction): void => {
    switch (action) {
      case 'open-dashboard':
        return windows.openDashboard();
      case 'open-wizard':
        return windows.openWizard();
      case 'pause':
      case 'resume':
        void runtime?.api.setPaused(action === 'pause').then(refresh);
        return;
      case 'quit':
        // Re-checked at the moment of quitting: policy may have changed since the menu was built.
        if (policy?.allowQuit) app.quit();
        return;
    }
  };
  tray = new CadenceTray(act, app.isPackaged ? process.resourcesPath : null);

  async function refresh(): Promise<void> {
    if (!runtime || quitting) return;
    const s = await runtime.api.getStatus();
    status = s.ok ? s.value : null;
    if (Date.now() - policyAt > POLICY_POLL_MS || !policy) {
      const p = await runtime.api.getPolicy();
      policy = p.ok ? p.value : null;
      policyAt = Date.now();
    }
    tray?.update(status, policy);
    if (status?.state === 'challenge') windows.showChallenge();
    else windows.closeChallenge();
  }
  timers.push(setInterval(() => void refresh(), STATUS_POLL_MS));
  await refresh();
  // First run, or setup closed halfway: the wizard opens where the engine says it stands.
  const first = await runtime.api.getStatus();
  if (first.ok && (first.value.state === 'not-enrolled' || first.value.state === 'enrolling')) windows.openWizard();

  app.on('before-quit', (event) => {
    if (quitting) return;
    // Quit is allowed only by policy (the OS shutting down is not stopped here: the session ends anyway).
    if (!policy?.allowQuit && !shuttingDown) {
      event.preventDefault();
      return;
    }
    quitting = true;
    event.preventDefault();
    for (const t of timers) clearInterval(t);
    windows.closeAll();
    tray?.destroy();
    disposeIpc?.();
    void (runtime?.dispose() ?? Promise.resolve()).finally(() => app.exit(0));
  });
}
