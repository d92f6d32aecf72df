import type { Keystroke } from '../../../model/keystrokes';
import type { CsvRow } from './csv-rows';
import { numberCell } from './csv-rows';
import { InputFileError, countSkip } from './input-error';
import type { SkipCounts } from './input-error';

/** One typing session: keystrokes in press order. */
export interface KeystrokeSession {
  readonly user: string;
  readonly session: string;
  readonly keystrokes: readonly Keystroke[];
}

export const KEYSTROKE_LOG_HEADER = ['user', 'session', 'key', 'press_ms', 'release_ms'] as const;

export function isKeystrokeLogHeader(header: readonly string[]): boolean {
  return header.length === KEYSTROKE_LOG_HEADER.length && KEYSTROKE_LOG_HEADER.every((h, i) => header[i]?.trim().toLowerCase() === h);
}

/** Groups keystrokes into sessions in order of first appearance, each sorted by press time. */
export function sessionsOf(groups: Map<string, { user: string; session: string; keystrokes: Keystroke[] }>): KeystrokeSession[] {
  return [...groups.values()].map((g) => ({ ...g, keystrokes: g.keystrokes.sort((a, b) => a.press - b.press) }));
}

/**
 * The keystroke log CSV `user,session,key,press_ms,release_ms`, one row per
 * keystroke, one or several sessions per file. A row whose release comes
 * before its press is skipped and counted (it cannot be a keystroke);
 * anything unreadable is an error naming the line.
 */
export function readKeystrokeLog(rows: readonly CsvRow[], file: string, skipped: SkipCounts): KeystrokeSession[] {
  const groups = new Map<string, { user: string; session: string; keystrokes: Keystroke[] }>();
  for (const row of rows.slice(1)) {
    if (row.cells.length !== 5) throw new InputFileError(file, row.line, `expected 5 columns (user,session,key,press_ms,release_ms), found ${row.cells.length}`);
    const [user, session, key] = row.cells as [string, string, string];
    if (user === '' || session === '' || key === '') throw new InputFileError(file, row.line, 'user, session and key must not be empty');
    const press = numberCell(row, 3, 'press_ms', file);
    const release = numberCell(row, 4, 'release_ms', file);
    if (release < press) {
      countSkip(skipped, 'release before press');
      continue;
    }
    const id = JSON.stringify([user, session]);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { user, session, keystrokes: [] }));
    g.keystrokes.push({ key, press, release });
  }
  if (groups.size === 0) throw new InputFileError(file, null, 'no keystrokes in the file');
  return sessionsOf(groups);
}
