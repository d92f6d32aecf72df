import { randomInt } from 'node:crypto';
import { COMMON_WORDS } from './common-words';
import { mulberry32 } from '../../model/seeded-random';

/** A source of uniform numbers in [0, 1); tests inject a seeded one. */
export type Random = () => number;

/** Words per challenge phrase: about 25 keystrokes, one capture window's worth of rhythm. */
export const PHRASE_WORDS = 4;

/** Draws `n` distinct words. */
export function challengePhrase(random: Random, n = PHRASE_WORDS, words: readonly string[] = COMMON_WORDS): string {
  if (n > words.length) throw new RangeError(`cannot draw ${n} distinct words from a list of ${words.length}`);
  const picked = new Set<string>();
  while (picked.size < n) {
    const i = Math.floor(random() * words.length);
    picked.add(words[Math.min(i, words.length - 1)]!);
  }
  return [...picked].join(' ');
}

function normalise(s: string): string {
  return s.normalize('NFKC').toLowerCase().trim().split(/\s+/u).join(' ');
}

/**
 * Case- and whitespace-insensitive comparison. The typed text lives only in
 * this call's arguments: callers must not store or log it.
 */
export function phraseMatches(typed: string, phrase: string): boolean {
  return normalise(typed) === normalise(phrase);
}

/** Mulberry32: a small seeded generator for reproducible tests (not for secrets). */
export function seededRandom(seed: number): Random {
  return mulberry32(seed);
}

/** The production source: crypto-strength, so the phrase cannot be predicted. */
export function cryptoRandom(): number {
  return randomInt(0, 2 ** 47) / 2 ** 47;
}
