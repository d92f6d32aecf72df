import { Menu, Tray, nativeImage } from 'electron';
import path from 'node:path';
import type { PolicyView, StatusView } from '../api/agent-api';
import { trayView, type TrayAction, type TrayIcon } from './tray-model';

/** Icons generated into build/icons/ (build/icons/make-tray-icons.sh), shipped as extraResources. */
export function trayIconPath(icon: TrayIcon, resourcesPath: string | null): string {
  const dir = resourcesPath ? path.join(resourcesPath, 'icons') : path.join(__dirname, '..', '..', '..', '..', 'build', 'icons');
  return path.join(dir, `tray-${icon}.png`);
}

export class CadenceTray {
  private readonly tray: Tray;
  private last = '';

  constructor(
    private readonly onAction: (action: TrayAction) => void,
    private readonly resourcesPath: string | null,
  ) {
    this.tray = new Tray(nativeImage.createFromPath(trayIconPath('learning', resourcesPath)));
    this.tray.on('click', () => onAction('open-dashboard'));
  }

  update(status: StatusView | null, policy: PolicyView | null): void {
    const view = trayView(status, policy);
    const key = JSON.stringify(view);
    if (key === this.last) return; // rebuilding an open menu closes it on some desktops
    this.last = key;
    this.tray.setImage(nativeImage.createFromPath(trayIconPath(view.icon, this.resourcesPath)));
    this.tray.setToolTip(view.tooltip);
    this.tray.setContextMenu(
      Menu.buildFromTemplate(
        view.items.map((item) => ({
          label: item.label,
          enabled: item.enabled,
          click: item.action ? () => this.onAction(item.action!) : undefined,
        })),
      ),
    );
  }

  destroy(): void {
    this.tray.destroy();
  }
}
