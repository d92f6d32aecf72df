import { BrowserWindow, screen } from 'electron';
import { pageUrl, type PageName } from './renderer-files';
import { lockDownContents, secureWebPreferences } from './window-security';

/**
 * The app's windows: one wizard, one dashboard, and during a challenge one
 * full-screen challenge window per display. Each is created with the same
 * locked-down preferences and its own instance of the one preload.
 */
export class Windows {
  private wizard: BrowserWindow | null = null;
  private dashboard: BrowserWindow | null = null;
  private challenge: BrowserWindow[] = [];

  /** Called when a challenge window is closed by the user (not by us): the engine hands over to the OS lock. */
  constructor(private readonly onChallengeClosedByUser: () => void) {}

  openWizard(): void {
    this.wizard = this.focusOrCreate(this.wizard, 'wizard', { width: 900, height: 760, title: 'Set up Cadence' }, () => (this.wizard = null));
  }

  openDashboard(): void {
    this.dashboard = this.focusOrCreate(this.dashboard, 'dashboard', { width: 980, height: 860, title: 'Cadence' }, () => (this.dashboard = null));
  }

  /**
   * Full screen on every display, above everything at screen-saver level, on
   * every workspace. A courtesy, not a wall: the OS lock is the real barrier.
   */
  showChallenge(): void {
    if (this.challenge.length > 0) return;
    const primary = screen.getPrimaryDisplay().id;
    for (const display of screen.getAllDisplays()) {
      const { x, y, width, height } = display.bounds;
      const win = new BrowserWindow({
        x,
        y,
        width,
        height,
        show: false,
        frame: false,
        fullscreen: true,
        kiosk: false,
        resizable: false,
        movable: false,
        minimizable: false,
        closable: true,
        skipTaskbar: true,
        alwaysOnTop: true,
        title: 'Cadence: is this you?',
        backgroundColor: '#111827',
        webPreferences: secureWebPreferences(),
      });
      win.setAlwaysOnTop(true, 'screen-saver');
      win.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
      lockDownContents(win.webContents);
      win.on('closed', () => {
        const wasOurs = this.challenge.includes(win);
        this.challenge = this.challenge.filter((w) => w !== win);
        if (wasOurs) this.onChallengeClosedByUser();
      });
      win.once('ready-to-show', () => {
        win.show();
        // The phrase is typed on the primary display's window.
        if (display.id === primary) win.focus();
      });
      void win.loadURL(pageUrl('challenge'));
      this.challenge.push(win);
    }
  }

  /** The engine left the challenge state (passed, locked): close every challenge window quietly. */
  closeChallenge(): void {
    const wins = this.challenge;
    this.challenge = [];
    for (const w of wins) if (!w.isDestroyed()) w.destroy();
  }

  closeAll(): void {
    this.closeChallenge();
    for (const w of [this.wizard, this.dashboard]) if (w && !w.isDestroyed()) w.destroy();
    this.wizard = null;
    this.dashboard = null;
  }

  private focusOrCreate(
    existing: BrowserWindow | null,
    page: PageName,
    size: { width: number; height: number; title: string },
    onClosed: () => void,
  ): BrowserWindow {
    if (existing && !existing.isDestroyed()) {
      existing.show();
      existing.focus();
      return existing;
    }
    const win = new BrowserWindow({
      ...size,
      show: false,
      autoHideMenuBar: true,
      backgroundColor: '#f6f7f9',
      webPreferences: secureWebPreferences(),
    });
    lockDownContents(win.webContents);
    win.once('ready-to-show', () => win.show());
    win.on('closed', onClosed);
    void win.loadURL(pageUrl(page));
    return win;
  }
}
