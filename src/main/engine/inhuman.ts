import type { KeystrokeWindow } from '../../model/keystroke-windows';

/**
 * Inhuman input: typing faster or more regularly than a person can, which is
 * what scripts and injected input (xdotool, AutoHotkey, a USB "rubber ducky")
 * look like. Judged from the order-free window aggregates alone, without the
 * profile, so it works before enrolment and cannot be trained away.
 *
 * The limits are far outside human range on purpose (a false challenge here
 * would be unexplainable to the owner):
 * - Flights: a fast typist's down-down flights rarely go under 30 ms and only
 *   under rollover; most sub-10 ms flights in a row are a machine.
 * - Holds: people hold keys 60-150 ms with a spread (SD) of 15-40 ms across
 *   keys; a spread under 2 ms over 8+ holds is a fixed hold time. The same for
 *   down-down flights: a constant inter-key interval is a `--delay` loop.
 * On Windows the hook clock ticks every 10-16 ms, so a human's holds land on a
 * few tick multiples; their spread still stays far above 2 ms.
 */

/** Fewer observations than this say nothing about regularity. */
export const MIN_REGULARITY_SAMPLES = 8;
export const FAST_FLIGHT_MS = 10;
/** Share of sub-10 ms flights that counts as "sustained". */
export const FAST_FLIGHT_SHARE = 0.6;
export const MIN_HUMAN_SPREAD_MS = 2;

export type InhumanSignal = 'fast-flights' | 'constant-holds' | 'constant-flights';

export interface InhumanVerdict {
  inhuman: boolean;
  signals: InhumanSignal[];
  /** Plain words for the audit log and the challenge screen; empty when human. */
  reason: string;
}

function all(lists: Readonly<Record<string, readonly number[]>>): number[] {
  const out: number[] = [];
  for (const id of Object.keys(lists)) for (const v of lists[id]!) out.push(v);
  return out;
}

function sd(xs: readonly number[]): number {
  let m = 0;
  for (const x of xs) m += x;
  m /= xs.length;
  let v = 0;
  for (const x of xs) v += (x - m) * (x - m);
  return Math.sqrt(v / xs.length);
}

/** Pure: looks at one window (or several merged with mergeKeystrokeWindows). */
export function inhumanRegularity(w: KeystrokeWindow): InhumanVerdict {
  const signals: InhumanSignal[] = [];
  const words: string[] = [];
  const flights = all(w.dd);
  const holds = all(w.holds);
  if (flights.length >= MIN_REGULARITY_SAMPLES) {
    const fast = flights.filter((f) => f < FAST_FLIGHT_MS).length;
    if (fast / flights.length >= FAST_FLIGHT_SHARE) {
      signals.push('fast-flights');
      words.push(`${fast} of ${flights.length} keys followed each other in under ${FAST_FLIGHT_MS} ms`);
    } else if (sd(flights) < MIN_HUMAN_SPREAD_MS) {
      signals.push('constant-flights');
      words.push(`the time between keys was the same to within ${MIN_HUMAN_SPREAD_MS} ms over ${flights.length} keys`);
    }
  }
  if (holds.length >= MIN_REGULARITY_SAMPLES && sd(holds) < MIN_HUMAN_SPREAD_MS) {
    signals.push('constant-holds');
    words.push(`every key was held for the same time to within ${MIN_HUMAN_SPREAD_MS} ms over ${holds.length} keys`);
  }
  return {
    inhuman: signals.length > 0,
    signals,
    reason: signals.length > 0 ? `Inhuman regularity (scripted or injected input): ${words.join('; ')}.` : '',
  };
}
