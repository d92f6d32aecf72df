/** A problem in an evaluation input file, always naming the file and, when known, the line. */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    problem: string,
  ) {
    super(`${file}${line !== null ? `:${line}` : ''}: ${problem}`);
    this.name = 'InputFileError';
  }
}

/** Rows left out of a file, by reason. Every reader reports these; the CLI prints them. */
export type SkipCounts = Record<string, number>;

export function countSkip(s: SkipCounts, reason: string): void {
  s[reason] = (s[reason] ?? 0) + 1;
}
