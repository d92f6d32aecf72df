/**
 * uiohook's `event.time` on X11 is the X server's 32-bit millisecond timestamp:
 * it wraps to 0 after 2^32 ms (about 49.7 days of uptime). On Windows it is the
 * hook's 32-bit tick count, which wraps the same way. This turns it into one
 * continuous millisecond timeline for the life of the capture process.
 *
 * Timing features come ONLY from `event.time` (arrival time can be seconds
 * late, TESTBED.md). The arrival clock is used for one thing: deciding how
 * many wraps happened since the last event, which it can do even if it is off
 * by seconds, because wraps are 49.7 days apart. Without it, an idle gap longer
 * than half the wrap period (24.8 days) would be ambiguous.
 *
 * macOS documents `time` as nanoseconds; pass `scale: 1e-6` there (untested:
 * no macOS machine here) and the 64-bit value is used without unwrapping.
 */
export const WRAP_MS = 2 ** 32;

export interface EventTimeOptions {
  /** Multiplier from raw units to ms (1 on X11 and Windows). */
  readonly scale?: number;
  /** False where the raw clock does not wrap (macOS). */
  readonly wraps?: boolean;
}

export class EventTimeUnwrapper {
  private lastRaw: number | null = null;
  private lastUnwrapped = 0;
  private lastArrival = 0;
  private readonly scale: number;
  private readonly wraps: boolean;
  /** Number of 2^32 wraps seen so far. */
  wrapCount = 0;

  constructor(opts: EventTimeOptions = {}) {
    this.scale = opts.scale ?? 1;
    this.wraps = opts.wraps ?? true;
  }

  /**
   * @param raw the event's `time` field
   * @param arrivalMs a monotonic clock of this process (e.g. performance.now()),
   *   used only to count wraps across long idle gaps
   * @returns ms on a continuous clock; events that arrive slightly out of order
   *   keep their true (slightly earlier) time rather than being clamped, because
   *   clamping would falsify hold and flight times.
   */
  unwrap(raw: number, arrivalMs: number): number {
    if (!this.wraps) return raw * this.scale;
    const r = ((raw % WRAP_MS) + WRAP_MS) % WRAP_MS;
    if (this.lastRaw === null) {
      this.lastRaw = r;
      this.lastUnwrapped = r;
      this.lastArrival = arrivalMs;
      return r * this.scale;
    }
    // Where the arrival clock says we should be, give or take delivery delays.
    const expected = this.lastUnwrapped + Math.max(0, arrivalMs - this.lastArrival);
    // The candidate r + k*2^32 nearest to that expectation.
    const k = Math.round((expected - r) / WRAP_MS);
    const unwrapped = r + k * WRAP_MS;
    this.wrapCount = Math.max(this.wrapCount, k);
    this.lastRaw = r;
    if (unwrapped > this.lastUnwrapped) {
      this.lastUnwrapped = unwrapped;
      this.lastArrival = arrivalMs;
    }
    return unwrapped * this.scale;
  }
}
