import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Start at login for an AppImage, which no package manager installs: a
 * per-user XDG autostart entry pointing at the AppImage file. deb and rpm
 * installs use /etc/xdg/autostart (build/linux/after-install.sh) instead, and
 * Windows and macOS use app.setLoginItemSettings. Electron-free, tested in Node.
 */
export function appImageAutostartEntry(appImagePath: string): string {
  // Desktop Entry Exec quoting: double quotes, with \ " ` $ escaped.
  const quoted = `"${appImagePath.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Cadence',
    'Comment=Locks the computer when someone else types on it',
    `Exec=${quoted} --hidden`,
    'Terminal=false',
    'NoDisplay=true',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes ~/.config/autostart/cadence.desktop when running from an AppImage; returns the file written, or null. */
export function ensureAppImageAutostart(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string | null {
  const appImage = env.APPIMAGE;
  if (!appImage || !path.isAbsolute(appImage)) return null;
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  const file = path.join(configHome, 'autostart', 'cadence.desktop');
  const content = appImageAutostartEntry(appImage);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode: 0o644 });
  return file;
}
