/**
 * Sentences the wizard's typing task prompts. Plain, varied English so the
 * owner types the common digraphs; together about 450 keystrokes, a little
 * over the default typing target. The page shows them; the engine never sees
 * what is typed, only the capture process's counts and windows.
 */
export const ENROLMENT_SENTENCES: readonly string[] = [
  'The quick brown fox jumps over the lazy dog near the river bank.',
  'Every morning she walks to the station and buys a fresh cup of coffee.',
  'We should plan the garden before the spring rain starts to fall.',
  'My brother left his green bicycle outside the old school yesterday.',
  'Please write the answer on the board and then read it out loud.',
  'A small boat sailed across the quiet lake just after the sun went down.',
  'They found seven letters hidden inside the wooden box in the kitchen.',
];

export const TYPING_TARGET_KEYSTROKES = 400;
export const MOUSE_TARGET_ACTIONS = 40;
