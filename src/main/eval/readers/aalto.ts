import type { Keystroke } from '../../../model/keystrokes';
import type { CsvRow } from './csv-rows';
import { numberCell } from './csv-rows';
import { InputFileError, countSkip } from './input-error';
import type { SkipCounts } from './input-error';
import type { KeystrokeSession } from './keystroke-log';
import { sessionsOf } from './keystroke-log';

export const AALTO_COLUMNS = ['PARTICIPANT_ID', 'TEST_SECTION_ID', 'PRESS_TIME', 'RELEASE_TIME', 'LETTER', 'KEYCODE'] as const;

export function isAaltoHeader(header: readonly string[]): boolean {
  return AALTO_COLUMNS.every((c) => header.includes(c));
}

/**
 * The Aalto 136M keystroke files (Dhakal et al. 2018): tab-separated, one row
 * per keystroke, one session per TEST_SECTION_ID (a transcribed sentence).
 * Quotes are text in these files, not CSV quoting. Known quirk: some rows
 * release at or before their press; those releasing strictly before are
 * skipped and counted, the rest kept (a zero hold is a measured value).
 * The key is the browser KEYCODE (the physical key, as the agent's key code),
 * not LETTER: LETTER is empty in some participants' files and distinguishes
 * 't' from 'T' on one key.
 */
export function readAalto(rows: readonly CsvRow[], file: string, skipped: SkipCounts): KeystrokeSession[] {
  const header = rows[0]!.cells;
  const col = Object.fromEntries(AALTO_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof AALTO_COLUMNS)[number], number>;
  const groups = new Map<string, { user: string; session: string; keystrokes: Keystroke[] }>();
  for (const row of rows.slice(1)) {
    if (row.cells.length !== header.length) throw new InputFileError(file, row.line, `expected ${header.length} tab-separated columns, found ${row.cells.length}`);
    const user = row.cells[col.PARTICIPANT_ID]!;
    const session = row.cells[col.TEST_SECTION_ID]!;
    const code = row.cells[col.KEYCODE]!.trim();
    if (user === '' || session === '') throw new InputFileError(file, row.line, 'PARTICIPANT_ID and TEST_SECTION_ID must not be empty');
    if (code === '') {
      countSkip(skipped, 'empty KEYCODE');
      continue;
    }
    const key = `k${code}`;
    const press = numberCell(row, col.PRESS_TIME, 'PRESS_TIME', file);
    const release = numberCell(row, col.RELEASE_TIME, 'RELEASE_TIME', file);
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
