import { parse } from 'csv-parse/sync';
import { InputFileError } from './input-error';

export interface CsvRow {
  /** 1-based line number in the file where the record starts. */
  readonly line: number;
  readonly cells: readonly string[];
}

/**
 * Parses delimited text with csv-parse, keeping each record's line number so
 * every later complaint can name it. A malformed record (wrong number of
 * cells, broken quoting) becomes an {@link InputFileError} naming file and line.
 * CRLF and LF line endings are both accepted; a UTF-8 BOM is dropped.
 */
export function csvRows(text: string, file: string, delimiter: ',' | '\t', quoting: boolean): CsvRow[] {
  try {
    const records = parse(text, {
      delimiter,
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: delimiter === ',',
      ...(quoting ? {} : { quote: false }),
    }) as unknown as { info: { lines: number }; record: string[] }[];
    return records.map((r) => ({ line: r.info.lines, cells: r.record }));
  } catch (err) {
    const e = err as Error & { lines?: number; code?: string };
    throw new InputFileError(file, typeof e.lines === 'number' ? e.lines : null, `not valid ${delimiter === '\t' ? 'tab-separated' : 'CSV'} text: ${e.message}`);
  }
}

/** Parses a number cell or throws naming file, line and column. */
export function numberCell(row: CsvRow, index: number, column: string, file: string): number {
  const raw = row.cells[index] ?? '';
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new InputFileError(file, row.line, `${column} is ${JSON.stringify(raw)}, expected a number`);
  return v;
}
