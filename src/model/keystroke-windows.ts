import type { Keystroke } from './keystrokes';

/**
 * Maps key labels to the identifiers stored in feature windows.
 *
 * In the agent this is a keyed hash (HMAC with a per-install secret, see
 * src/main/capture/feature-keyer.ts) so that no window holds a key or a
 * character pair in the clear. Evaluation on public datasets uses
 * {@link plainKeyer}.
 */
export interface FeatureKeyer {
  key(k: string): string;
  pair(a: string, b: string): string;
}

export const plainKeyer: FeatureKeyer = {
  key: (k) => k,
  pair: (a, b) => `${a}>${b}`,
};

/**
 * Two consecutive keystrokes further apart than this (press to press) are not a
 * digraph: a pause that long is thinking, not motor rhythm.
 */
export const DIGRAPH_MAX_GAP_MS = 1000;

/**
 * The features of a run of keystrokes, as order-free aggregates.
 *
 * Every list is sorted ascending, so a window says how long each key was held
 * and how fast each (hashed) pair was typed, but not in which order anything
 * happened: no text and no key sequence can be read back from it.
 */
export interface KeystrokeWindow {
  /** Keystrokes aggregated. */
  readonly keystrokes: number;
  /** Span of the window, first press to last release, ms. */
  readonly durationMs: number;
  /** key id -> hold times (release - press), ms, sorted. */
  readonly holds: Readonly<Record<string, readonly number[]>>;
  /** digraph id -> down-down flight (press2 - press1), ms, sorted. */
  readonly dd: Readonly<Record<string, readonly number[]>>;
  /** digraph id -> up-down flight (press2 - release1), ms, sorted; negative under rollover. */
  readonly ud: Readonly<Record<string, readonly number[]>>;
}

type MutableLists = Record<string, number[]>;

function push(map: MutableLists, id: string, v: number): void {
  const list = map[id];
  if (list) list.push(v);
  else map[id] = [v];
}

function sortAll(map: MutableLists): MutableLists {
  for (const id of Object.keys(map)) map[id]!.sort((a, b) => a - b);
  return map;
}

/**
 * Builds the feature window of keystrokes given in press order. `previous` is
 * the keystroke just before the window, so the digraph across the boundary is
 * not lost when a stream is cut into windows.
 */
export function keystrokeWindow(
  keystrokes: readonly Keystroke[],
  keyer: FeatureKeyer = plainKeyer,
  previous?: Keystroke,
): KeystrokeWindow {
  const holds: MutableLists = Object.create(null);
  const dd: MutableLists = Object.create(null);
  const ud: MutableLists = Object.create(null);
  let prev = previous;
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const k of keystrokes) {
    push(holds, keyer.key(k.key), k.release - k.press);
    if (prev && k.press - prev.press <= DIGRAPH_MAX_GAP_MS && k.press >= prev.press) {
      const id = keyer.pair(prev.key, k.key);
      push(dd, id, k.press - prev.press);
      push(ud, id, k.press - prev.release);
    }
    start = Math.min(start, k.press);
    end = Math.max(end, k.release);
    prev = k;
  }
  return {
    keystrokes: keystrokes.length,
    durationMs: keystrokes.length > 0 ? end - start : 0,
    holds: sortAll(holds),
    dd: sortAll(dd),
    ud: sortAll(ud),
  };
}

/** Merges windows into one (e.g. four 25-keystroke windows into a 100-keystroke one). */
export function mergeKeystrokeWindows(windows: readonly KeystrokeWindow[]): KeystrokeWindow {
  const holds: MutableLists = Object.create(null);
  const dd: MutableLists = Object.create(null);
  const ud: MutableLists = Object.create(null);
  let keystrokes = 0;
  let durationMs = 0;
  for (const w of windows) {
    keystrokes += w.keystrokes;
    durationMs += w.durationMs;
    for (const [src, dst] of [
      [w.holds, holds],
      [w.dd, dd],
      [w.ud, ud],
    ] as const) {
      for (const id of Object.keys(src)) for (const v of src[id]!) push(dst, id, v);
    }
  }
  return { keystrokes, durationMs, holds: sortAll(holds), dd: sortAll(dd), ud: sortAll(ud) };
}

/**
 * Streams keystrokes into fixed-size windows. Used live by the capture process
 * and offline by the evaluation, so both see exactly the same features.
 */
export class KeystrokeWindower {
  private buf: Keystroke[] = [];
  private last: Keystroke | undefined;

  constructor(
    private readonly size: number,
    private readonly emit: (w: KeystrokeWindow) => void,
    private readonly keyer: FeatureKeyer = plainKeyer,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`window size must be a positive integer, got ${size}`);
  }

  get buffered(): number {
    return this.buf.length;
  }

  add(k: Keystroke): void {
    this.buf.push(k);
    if (this.buf.length >= this.size) this.flush();
  }

  /** Emits what is buffered, if anything (e.g. on a long idle gap). */
  flush(): void {
    if (this.buf.length === 0) return;
    const w = keystrokeWindow(this.buf, this.keyer, this.last);
    this.last = this.buf[this.buf.length - 1];
    this.buf = [];
    this.emit(w);
  }

  /** Drops the buffer and the boundary keystroke (after a gap in capture). */
  reset(): void {
    this.buf = [];
    this.last = undefined;
  }
}

/** Cuts a recorded stream into consecutive windows of `size` keystrokes; a short tail is dropped. */
export function keystrokeWindows(
  keystrokes: readonly Keystroke[],
  size: number,
  keyer: FeatureKeyer = plainKeyer,
  stride = size,
): KeystrokeWindow[] {
  const out: KeystrokeWindow[] = [];
  for (let i = 0; i + size <= keystrokes.length; i += stride) {
    out.push(keystrokeWindow(keystrokes.slice(i, i + size), keyer, i > 0 ? keystrokes[i - 1] : undefined));
  }
  return out;
}
