import type { Keystroke } from '../../../src/model/keystrokes';
import { keystrokeWindows, type KeystrokeWindow } from '../../../src/model/keystroke-windows';
import { mulberry32 } from '../../../src/model/seeded-random';

/**
 * A synthetic typist for tests and benchmarks (no dataset file may be used as
 * a fixture). Each typist has their own hold time per key and their own
 * flight per key pair, drawn from a seed, and types a Zipf-like stream of 30
 * keys with log-normal jitter and the odd long pause.
 */
export { mulberry32 };

function gaussian(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

const KEYS = 'etaoinshrdlucmfwypvbgkqjxz ,.;'.split('');

export interface Typist {
  readonly type: (count: number, seed: number) => Keystroke[];
}

export function syntheticTypist(seed: number): Typist {
  const rnd = mulberry32(seed);
  const hold = KEYS.map(() => 70 + 60 * rnd());
  const reach = KEYS.map(() => 60 + 120 * rnd());
  const jitter = 0.15 + 0.1 * rnd();
  return {
    type(count, streamSeed) {
      const r = mulberry32(streamSeed);
      const out: Keystroke[] = [];
      let t = 1_000_000;
      let prev = -1;
      for (let i = 0; i < count; i++) {
        // Zipf-like choice: low indices (common letters) far more often.
        const k = Math.min(KEYS.length - 1, Math.floor(KEYS.length * Math.pow(r(), 2)));
        const base = prev < 0 ? 300 : reach[k]! + 0.5 * reach[prev]! + (k === prev ? 40 : 0);
        t += r() < 0.02 ? 1500 + 2000 * r() : base * Math.exp(jitter * gaussian(r));
        const h = hold[k]! * Math.exp(jitter * gaussian(r));
        out.push({ key: KEYS[k]!, press: Math.round(t), release: Math.round(t + h) });
        prev = k;
      }
      return out;
    },
  };
}

/** `count` keystrokes of a typist cut into windows of `size`. */
export function typistWindows(typist: Typist, count: number, size: number, seed: number): KeystrokeWindow[] {
  return keystrokeWindows(typist.type(count, seed), size);
}
