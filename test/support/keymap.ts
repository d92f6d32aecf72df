/**
 * Key labels (as keystroke logs write them) -> the X keysym to press on a US
 * layout and the libuiohook key code the capture process will then see.
 *
 * A label names a physical key, not a character: "A" and "a" are the same key
 * (loggers such as the Aalto 136M set record SHIFT as its own keystroke), and
 * "!" is the "1" key. That is what uiohook reports too, so integration tests
 * can compute the feature ids the agent will store for a replayed keystroke.
 *
 * The uiohook codes are written out (uiohook-napi cannot be loaded in a test
 * process without an X display, TESTBED.md) and checked against its
 * `UiohookKey` table at compile time by the `satisfies` clause below.
 */
import type { UiohookKey } from 'uiohook-napi';

export interface KeyMapping {
  /** X keysym name (exact case), e.g. "a", "Shift_L", "BackSpace". */
  readonly keysym: string;
  /** libuiohook key code (`UiohookKeyboardEvent.keycode`). */
  readonly uiohook: number;
}

// Compile-time check: every value here must equal uiohook-napi's own.
const U = {
  A: 30, B: 48, C: 46, D: 32, E: 18, F: 33, G: 34, H: 35, I: 23, J: 36, K: 37, L: 38, M: 50,
  N: 49, O: 24, P: 25, Q: 16, R: 19, S: 31, T: 20, U: 22, V: 47, W: 17, X: 45, Y: 21, Z: 44,
  0: 11, 1: 2, 2: 3, 3: 4, 4: 5, 5: 6, 6: 7, 7: 8, 8: 9, 9: 10,
  Space: 57, Backspace: 14, Enter: 28, Tab: 15, Escape: 1, CapsLock: 58, Delete: 3667,
  Shift: 42, ShiftRight: 54, Ctrl: 29, Alt: 56,
  ArrowLeft: 57419, ArrowUp: 57416, ArrowRight: 57421, ArrowDown: 57424,
  Backquote: 41, Minus: 12, Equal: 13, BracketLeft: 26, BracketRight: 27, Backslash: 43,
  Semicolon: 39, Quote: 40, Comma: 51, Period: 52, Slash: 53,
} as const satisfies Partial<typeof UiohookKey>;

const byLabel = new Map<string, KeyMapping>();
const uiohookByKeysym = new Map<string, number>();

function add(keysym: string, uiohook: number, ...labels: string[]): void {
  const m: KeyMapping = { keysym, uiohook };
  uiohookByKeysym.set(keysym, uiohook);
  for (const l of [keysym, ...labels]) byLabel.set(l, m);
}

for (const ch of 'abcdefghijklmnopqrstuvwxyz') {
  add(ch, U[ch.toUpperCase() as keyof typeof U], ch.toUpperCase());
}
// Digits with their US shifted symbols.
const digitShifted = [')', '!', '@', '#', '$', '%', '^', '&', '*', '('];
for (let d = 0; d <= 9; d++) add(String(d), U[d as keyof typeof U], digitShifted[d]!);
// Punctuation keys: [keysym, uiohook, unshifted char, shifted char].
const punctuation: Array<[string, number, string, string]> = [
  ['grave', U.Backquote, '`', '~'],
  ['minus', U.Minus, '-', '_'],
  ['equal', U.Equal, '=', '+'],
  ['bracketleft', U.BracketLeft, '[', '{'],
  ['bracketright', U.BracketRight, ']', '}'],
  ['backslash', U.Backslash, '\\', '|'],
  ['semicolon', U.Semicolon, ';', ':'],
  ['apostrophe', U.Quote, "'", '"'],
  ['comma', U.Comma, ',', '<'],
  ['period', U.Period, '.', '>'],
  ['slash', U.Slash, '/', '?'],
];
for (const [keysym, code, plain, shifted] of punctuation) add(keysym, code, plain, shifted);

add('space', U.Space, ' ', 'SPACE', 'Space');
add('Shift_L', U.Shift, 'SHIFT', 'Shift', 'shift', 'shift_l');
add('Shift_R', U.ShiftRight, 'shift_r');
add('BackSpace', U.Backspace, 'BKSP', 'Backspace', 'backspace');
add('Return', U.Enter, '\n', '\r', 'ENTER', 'Enter', 'enter', 'return');
add('Tab', U.Tab, '\t', 'TAB', 'tab');
add('Escape', U.Escape, 'ESC', 'Esc', 'escape');
add('Caps_Lock', U.CapsLock, 'CAPS_LOCK', 'CapsLock');
add('Delete', U.Delete, 'DELETE', 'Del');
add('Control_L', U.Ctrl, 'CTRL', 'Ctrl', 'ctrl');
add('Alt_L', U.Alt, 'ALT', 'Alt', 'alt');
add('Left', U.ArrowLeft, 'ARW_LEFT', 'ArrowLeft');
add('Right', U.ArrowRight, 'ARW_RIGHT', 'ArrowRight');
add('Up', U.ArrowUp, 'ARW_UP', 'ArrowUp');
add('Down', U.ArrowDown, 'ARW_DOWN', 'ArrowDown');

export function hasKeyLabel(label: string): boolean {
  return byLabel.has(label);
}

/** The key for a label; throws naming the label when it has no mapping. */
export function keyForLabel(label: string): KeyMapping {
  const m = byLabel.get(label);
  if (!m) {
    throw new Error(
      `no X key for key label ${JSON.stringify(label)}: test/support/keymap.ts maps letters, digits, US punctuation, ` +
        'space, shift, backspace, enter, tab, escape, caps lock, delete, ctrl, alt and arrows',
    );
  }
  return m;
}

/** The libuiohook key code for an X keysym mapped here (exact keysym case). */
export function uiohookCodeForKeysym(keysym: string): number {
  const code = uiohookByKeysym.get(keysym);
  if (code === undefined) throw new Error(`keysym ${JSON.stringify(keysym)} is not in test/support/keymap.ts`);
  return code;
}

/** Every keysym mapped here, e.g. to build synthetic text from. */
export const MAPPED_KEYSYMS: readonly string[] = [...uiohookByKeysym.keys()];
