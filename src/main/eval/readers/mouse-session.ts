import type { MouseButton, MouseEvent } from '../../../model/mouse-actions';
import type { CsvRow } from './csv-rows';
import { numberCell } from './csv-rows';
import { InputFileError, countSkip } from './input-error';
import type { SkipCounts } from './input-error';

export type MouseTimeUnit = 's' | 'ms';

export interface MouseSession {
  readonly events: readonly MouseEvent[];
  /** Which timestamp column was used and its detected unit. */
  readonly timeColumn: 'client timestamp' | 'record timestamp';
  readonly timeUnit: MouseTimeUnit;
}

function norm(h: string): string {
  return h.trim().toLowerCase();
}

export function isMouseHeader(header: readonly string[]): boolean {
  const h = header.map(norm);
  return (h.includes('client timestamp') || h.includes('record timestamp')) && ['button', 'state', 'x', 'y'].every((c) => h.includes(c));
}

const BUTTONS: Record<string, MouseButton | 'scroll'> = { NoButton: 'none', Left: 'left', Right: 'right', Other: 'other', Scroll: 'scroll' };
const STATES = new Set(['Move', 'Pressed', 'Released', 'Drag', 'Up', 'Down']);

/**
 * Decides whether `client timestamp` is in seconds or milliseconds. Balabit
 * files (they also carry `record timestamp`) use seconds; SapiMouse files
 * have only the client column, in ms. Without the record column the data
 * decides: pointer events come every few ms, so a median step below 0.5 can
 * only be seconds.
 */
export function detectTimeUnit(hasRecordColumn: boolean, times: readonly number[]): MouseTimeUnit {
  if (hasRecordColumn) return 's';
  const steps: number[] = [];
  for (let i = 1; i < times.length && steps.length < 2000; i++) {
    const d = times[i]! - times[i - 1]!;
    if (d > 0) steps.push(d);
  }
  if (steps.length === 0) return 'ms';
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)]! < 0.5 ? 's' : 'ms';
}

/**
 * Mouse sessions in the Balabit / SapiMouse schema: `client timestamp` and/or
 * `record timestamp`, `button`, `state`, `x`, `y`. Times become ms. Scroll
 * rows become wheel events; events whose time goes backwards are skipped and
 * counted (the segmenter needs time order); an unknown button or state is an
 * error naming the line.
 */
export function readMouseSession(rows: readonly CsvRow[], file: string, skipped: SkipCounts): MouseSession {
  const header = rows[0]!.cells.map(norm);
  const iClient = header.indexOf('client timestamp');
  const iRecord = header.indexOf('record timestamp');
  const iButton = header.indexOf('button');
  const iState = header.indexOf('state');
  const iX = header.indexOf('x');
  const iY = header.indexOf('y');
  const timeColumn = iClient >= 0 ? 'client timestamp' : 'record timestamp';
  const iTime = iClient >= 0 ? iClient : iRecord;
  const data = rows.slice(1);
  const times: number[] = [];
  for (const row of data) {
    if (row.cells.length !== header.length) throw new InputFileError(file, row.line, `expected ${header.length} columns (${header.join(',')}), found ${row.cells.length}`);
    times.push(numberCell(row, iTime, timeColumn, file));
  }
  if (data.length === 0) throw new InputFileError(file, null, 'no mouse events in the file');
  const timeUnit = detectTimeUnit(iRecord >= 0, times);
  const scale = timeUnit === 's' ? 1000 : 1;
  const events: MouseEvent[] = [];
  let last = Number.NEGATIVE_INFINITY;
  data.forEach((row, k) => {
    const b = BUTTONS[row.cells[iButton]!];
    const state = row.cells[iState]!;
    if (b === undefined) throw new InputFileError(file, row.line, `unknown button ${JSON.stringify(row.cells[iButton])} (expected NoButton, Left, Right, Other or Scroll)`);
    if (!STATES.has(state)) throw new InputFileError(file, row.line, `unknown state ${JSON.stringify(state)} (expected Move, Pressed, Released or Drag)`);
    const x = numberCell(row, iX, 'x', file);
    const y = numberCell(row, iY, 'y', file);
    const t = times[k]! * scale;
    if (t < last) {
      countSkip(skipped, 'time went backwards');
      return;
    }
    last = t;
    if (b === 'scroll') {
      events.push({ t, kind: 'wheel', x, y, button: 'none' });
      return;
    }
    const kind = state === 'Pressed' ? 'down' : state === 'Released' ? 'up' : state === 'Move' || state === 'Drag' ? 'move' : null;
    if (kind === null) throw new InputFileError(file, row.line, `state ${state} is only valid for the Scroll button`);
    events.push({ t, kind, x, y, button: b });
  });
  return { events, timeColumn, timeUnit };
}
