import type { AgentState, PolicyView, StatusView } from '../api/agent-api';

/**
 * What the tray shows, as data: icon, tooltip and menu entries. Electron-free
 * so the rules (pause and quit only when policy allows) are tested in Node;
 * tray.ts turns this into a Tray and a Menu.
 */

export type TrayIcon = 'learning' | 'protected' | 'challenge' | 'paused' | 'unavailable';

export type TrayAction = 'open-dashboard' | 'open-wizard' | 'pause' | 'resume' | 'quit';

export interface TrayItem {
  label: string;
  /** Null for a status line that does nothing. */
  action: TrayAction | null;
  enabled: boolean;
}

export interface TrayView {
  icon: TrayIcon;
  tooltip: string;
  items: TrayItem[];
}

const STATE_LINE: Record<AgentState, string> = {
  'not-enrolled': 'Not set up yet',
  enrolling: 'Setting up',
  learning: 'Learning how you type',
  protected: 'Protecting this computer',
  challenge: 'Checking it is you',
  locked: 'Locked',
  paused: 'Paused',
};

export function trayIcon(status: StatusView | null): TrayIcon {
  if (!status || !status.captureAvailable) return 'unavailable';
  switch (status.state) {
    case 'protected':
      return 'protected';
    case 'challenge':
    case 'locked':
      return 'challenge';
    case 'paused':
      return 'paused';
    default:
      return 'learning';
  }
}

export function trayView(status: StatusView | null, policy: PolicyView | null): TrayView {
  const icon = trayIcon(status);
  let line: string;
  if (!status) line = 'Cadence is not answering';
  else if (!status.captureAvailable) line = `Cannot see typing: ${status.captureProblem ?? 'capture unavailable'}`;
  else if (status.lockProblem !== null) line = 'Could not lock the screen: see the dashboard';
  else line = status.trust === null ? STATE_LINE[status.state] : `${STATE_LINE[status.state]} (trust ${Math.round(status.trust)})`;
  const items: TrayItem[] = [{ label: line, action: null, enabled: false }];
  if (status && (status.state === 'not-enrolled' || status.state === 'enrolling')) {
    items.push({ label: 'Continue setup…', action: 'open-wizard', enabled: true });
  }
  items.push({ label: 'Open dashboard', action: 'open-dashboard', enabled: true });
  // Pause and quit are offered only when IT allows them; an unknown policy allows neither.
  if (policy?.allowPause && status) {
    if (status.state === 'paused') items.push({ label: 'Resume', action: 'resume', enabled: true });
    else items.push({ label: 'Pause', action: 'pause', enabled: status.state === 'learning' || status.state === 'protected' });
  }
  if (policy?.allowQuit) items.push({ label: 'Quit Cadence', action: 'quit', enabled: true });
  return { icon, tooltip: `Cadence: ${line}`, items };
}
