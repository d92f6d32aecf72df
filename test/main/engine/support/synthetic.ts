/**
 * Synthetic typists and mouse users for engine tests. Two timing styles (the
 * owner and an impostor) differ the way two people do: per-key hold times and
 * per-digraph flights drawn around different personal means, with natural
 * noise. Windows are built with src/model/keystroke-windows.ts, exactly as
 * the capture process builds them. No dataset file is used.
 */
import { COMMON_WORDS } from '../../../../src/main/engine/common-words';
import { seededRandom, type Random } from '../../../../src/main/engine/challenge-phrase';
import { keystrokeWindows, type KeystrokeWindow } from '../../../../src/model/keystroke-windows';
import type { Keystroke } from '../../../../src/model/keystrokes';
import { MOUSE_FEATURE_NAMES, type MouseActionFeatures } from '../../../../src/model/mouse-features';

export interface TypingStyle {
  name: string;
  seed: number;
  holdMs: number;
  holdSpreadMs: number;
  flightMs: number;
  flightSpreadMs: number;
  holdNoiseMs: number;
  flightNoiseMs: number;
}

export const OWNER: TypingStyle = { name: 'owner', seed: 11, holdMs: 95, holdSpreadMs: 25, flightMs: 170, flightSpreadMs: 60, holdNoiseMs: 10, flightNoiseMs: 25 };
/** Someone close to the owner: same per-key pattern, a little slower. Some of their windows pass on their own. */
export const MIMIC: TypingStyle = { ...OWNER, name: 'mimic', holdMs: 103, flightMs: 185 };
export const IMPOSTOR: TypingStyle = { name: 'impostor', seed: 29, holdMs: 125, holdSpreadMs: 25, flightMs: 235, flightSpreadMs: 60, holdNoiseMs: 10, flightNoiseMs: 25 };

function hash01(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return ((h >>> 0) % 100000) / 100000;
}

function gauss(r: Random): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** Text of common words (the labels are characters; tests use the plain keyer as the evaluation does). */
export function text(chars: number, r: Random): string {
  let s = '';
  while (s.length < chars) s += COMMON_WORDS[Math.floor(r() * COMMON_WORDS.length)]! + ' ';
  return s.slice(0, chars);
}

export function typeText(style: TypingStyle, s: string, r: Random, start = 0): Keystroke[] {
  const out: Keystroke[] = [];
  let t = start;
  let prev: string | null = null;
  for (const ch of s) {
    const hold = Math.max(20, style.holdMs + (hash01(`${style.seed}h${ch}`) - 0.5) * 2 * style.holdSpreadMs + gauss(r) * style.holdNoiseMs);
    if (prev !== null) {
      const f = style.flightMs + (hash01(`${style.seed}f${prev}${ch}`) - 0.5) * 2 * style.flightSpreadMs + gauss(r) * style.flightNoiseMs;
      t += Math.max(40, f);
    }
    out.push({ key: ch, press: Math.round(t), release: Math.round(t + hold) });
    prev = ch;
  }
  return out;
}

/** `n` keystrokes of `style` cut into capture windows of `size`. */
export function typingWindows(style: TypingStyle, n: number, seed: number, size = 25): KeystrokeWindow[] {
  const r = seededRandom(seed);
  return keystrokeWindows(typeText(style, text(n, r), r), size);
}

/** Scripted input: every key held `holdMs`, keys `flightMs` apart (xdotool type --delay style). */
export function scriptedWindows(n: number, size: number, holdMs = 3, flightMs = 5): KeystrokeWindow[] {
  const r = seededRandom(5);
  const ks: Keystroke[] = [...text(n, r)].map((key, i) => ({ key, press: i * flightMs, release: i * flightMs + holdMs }));
  return keystrokeWindows(ks, size);
}

export interface MouseStyle {
  seed: number;
  scale: number;
}
export const OWNER_MOUSE: MouseStyle = { seed: 3, scale: 1 };
export const IMPOSTOR_MOUSE: MouseStyle = { seed: 3, scale: 1.6 };

export function mouseActions(style: MouseStyle, n: number, seed: number): MouseActionFeatures[] {
  const r = seededRandom(seed);
  const types = ['MM', 'PC', 'DD'] as const;
  return Array.from({ length: n }, (_, i) => {
    const type = types[i % 3]!;
    const values = MOUSE_FEATURE_NAMES.map((f) => {
      const base = (10 + 200 * hash01(`${style.seed}${type}${f}`)) * style.scale;
      return base * (1 + 0.15 * gauss(r));
    });
    return { type, values };
  });
}
