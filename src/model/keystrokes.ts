/**
 * Keystrokes: one press paired with its release.
 *
 * `key` is an opaque label. The capture process uses the libuiohook key code
 * as a string; dataset readers use the dataset's key label. Nothing downstream
 * interprets it except through a {@link FeatureKeyer}.
 */
export interface Keystroke {
  readonly key: string;
  /** Press time, ms on a monotonic clock (only differences mean anything). */
  readonly press: number;
  /** Release time, ms on the same clock; >= press. */
  readonly release: number;
}

/** A key was held longer than this without a release: the release was lost. */
export const MAX_HOLD_MS = 5000;

export interface PairerCounts {
  /** Paired keystrokes emitted. */
  keystrokes: number;
  /** Repeated presses of a key already down (OS auto-repeat), ignored. */
  autoRepeats: number;
  /** Releases with no matching press (e.g. pressed before capture started). */
  strayReleases: number;
  /** Presses whose release never came within MAX_HOLD_MS, dropped. */
  lostReleases: number;
}

interface Pending {
  key: string;
  press: number;
  release: number | null;
}

/**
 * Pairs presses with releases and emits keystrokes in press order.
 *
 * Copes with rollover (the next key goes down before the last is up: each key
 * is tracked on its own and emission waits for the earliest press), auto-repeat
 * (a second press of a key already down is not a new keystroke) and releases
 * that never come (a press older than MAX_HOLD_MS is dropped so it cannot hold
 * back every later keystroke).
 */
export class KeystrokePairer {
  private readonly pending: Pending[] = [];
  private readonly down = new Map<string, Pending>();
  readonly counts: PairerCounts = { keystrokes: 0, autoRepeats: 0, strayReleases: 0, lostReleases: 0 };

  constructor(
    private readonly emit: (k: Keystroke) => void,
    private readonly maxHoldMs = MAX_HOLD_MS,
  ) {}

  press(key: string, t: number): void {
    this.expire(t);
    if (this.down.has(key)) {
      this.counts.autoRepeats++;
      return;
    }
    const p: Pending = { key, press: t, release: null };
    this.down.set(key, p);
    this.pending.push(p);
  }

  release(key: string, t: number): void {
    this.expire(t);
    const p = this.down.get(key);
    if (!p) {
      this.counts.strayReleases++;
      return;
    }
    this.down.delete(key);
    p.release = Math.max(t, p.press);
    this.flush();
  }

  /** Drop presses whose release is overdue at time `now`, then emit what is ready. */
  expire(now: number): void {
    let dropped = false;
    for (const p of this.pending) {
      if (p.release === null && now - p.press > this.maxHoldMs) {
        this.down.delete(p.key);
        p.release = -1; // marker: lost
        this.counts.lostReleases++;
        dropped = true;
      }
    }
    if (dropped) this.flush();
  }

  /** Forget everything in flight (e.g. when capture restarts). */
  reset(): void {
    this.pending.length = 0;
    this.down.clear();
  }

  private flush(): void {
    while (this.pending.length > 0) {
      const head = this.pending[0]!;
      if (head.release === null) return;
      this.pending.shift();
      if (head.release >= 0) {
        this.counts.keystrokes++;
        this.emit({ key: head.key, press: head.press, release: head.release });
      }
    }
  }
}

/** Pairs a whole recorded list of press/release events (tests, dataset replay). */
export function pairEvents(events: ReadonlyArray<{ key: string; t: number; down: boolean }>): Keystroke[] {
  const out: Keystroke[] = [];
  const pairer = new KeystrokePairer((k) => out.push(k));
  for (const e of events) {
    if (e.down) pairer.press(e.key, e.t);
    else pairer.release(e.key, e.t);
  }
  pairer.expire(Number.POSITIVE_INFINITY);
  return out;
}
