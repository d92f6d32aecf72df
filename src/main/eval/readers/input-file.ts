import fs from 'node:fs';
import { csvRows } from './csv-rows';
import { InputFileError } from './input-error';
import type { SkipCounts } from './input-error';
import { isAaltoHeader, readAalto } from './aalto';
import { isKeystrokeLogHeader, readKeystrokeLog } from './keystroke-log';
import type { KeystrokeSession } from './keystroke-log';
import { isMouseHeader, readMouseSession } from './mouse-session';
import type { MouseSession } from './mouse-session';

export type InputFile =
  | { readonly modality: 'keystroke'; readonly format: 'keystroke-log' | 'aalto'; readonly file: string; readonly sessions: readonly KeystrokeSession[]; readonly skipped: SkipCounts }
  | { readonly modality: 'mouse'; readonly format: 'mouse-session'; readonly file: string; readonly session: MouseSession; readonly skipped: SkipCounts };

function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return (end < 0 ? text : text.slice(0, end)).replace(/^\uFEFF/, '');
}

/** Reads one evaluation input, its format detected from the header line. */
export function readInputFile(file: string): InputFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputFileError(file, null, `cannot read: ${(err as Error).message}`);
  }
  const head = firstLine(text);
  const skipped: SkipCounts = {};
  if (head.includes('\t')) {
    const header = head.split('\t');
    if (!isAaltoHeader(header)) throw new InputFileError(file, 1, `tab-separated header is not the Aalto 136M one (needs PARTICIPANT_ID, TEST_SECTION_ID, PRESS_TIME, RELEASE_TIME, LETTER, KEYCODE)`);
    return { modality: 'keystroke', format: 'aalto', file, sessions: readAalto(csvRows(text, file, '\t', false), file, skipped), skipped };
  }
  const header = head.split(',').map((h) => h.trim());
  if (isKeystrokeLogHeader(header)) {
    return { modality: 'keystroke', format: 'keystroke-log', file, sessions: readKeystrokeLog(csvRows(text, file, ',', true), file, skipped), skipped };
  }
  if (isMouseHeader(header)) {
    return { modality: 'mouse', format: 'mouse-session', file, session: readMouseSession(csvRows(text, file, ',', true), file, skipped), skipped };
  }
  throw new InputFileError(
    file,
    1,
    `unrecognised header ${JSON.stringify(head.slice(0, 120))}; expected the keystroke log (user,session,key,press_ms,release_ms), an Aalto 136M file, or a Balabit/SapiMouse mouse session (client timestamp,button,state,x,y)`,
  );
}
