import type { FileFeatures } from './features';
import type { SubjectFiles } from './manifest';
import type { SkipCounts } from './readers/input-error';
import type { EvalOptions, SubjectResult } from './subject-eval';

/** What the runner learns about each input file once. */
export interface FileSummary {
  readonly file: string;
  readonly modality: 'keystroke' | 'mouse';
  readonly format: string;
  readonly streams: number;
  /** Keystrokes in complete capture windows, or mouse actions. */
  readonly units: number;
  readonly skipped: SkipCounts;
  readonly timeUnit?: string;
}

export function fileSummary(f: FileFeatures): FileSummary {
  const base = { file: f.file, modality: f.modality, format: f.format, streams: f.streams.length, units: f.units, skipped: f.skipped };
  return f.modality === 'mouse' ? { ...base, timeUnit: f.timeUnit } : base;
}

export type ToWorker = { type: 'init'; options: EvalOptions } | { type: 'subject'; index: number; files: SubjectFiles; trace: boolean };

export type FromWorker =
  | { type: 'result'; index: number; result: SubjectResult; files: FileSummary[] }
  | { type: 'error'; index: number; message: string };
