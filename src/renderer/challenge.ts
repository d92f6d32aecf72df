import type { ChallengeOutcome, ChallengeView } from '../main/api/agent-api';
import { agent, byId, clearError, reportFatal, showError } from './cadence-api.js';
import { duration, plural } from './plain-words.js';

/**
 * The lock-screen challenge. A courtesy, not a wall (DESIGN.md): the engine
 * decides, and on failure or timeout the OS lock takes over. The typed phrase
 * goes to the engine once, is compared in memory and is never stored.
 */

const api = agent();
const errorBox = byId('error');
const form = byId<HTMLFormElement>('challenge-form');
const input = byId<HTMLInputElement>('typed');
let challenge: ChallengeView | null = null;
let ticker: number | undefined;
let warned = new Set<number>();

function whatNext(attemptsLeft: number): string {
  return (
    `If it matches how you usually type, you carry on where you were. ` +
    `After ${plural(attemptsLeft, 'more try that does', 'more tries that do')} not match, or when the time runs out, ` +
    `the computer locks and you sign in with your password as usual.`
  );
}

function show(view: ChallengeView): void {
  challenge = view;
  form.hidden = false;
  byId('no-challenge').hidden = true;
  byId('phrase').textContent = view.phrase;
  byId('attempts').textContent = String(view.attemptsLeft);
  byId('what-next').textContent = whatNext(view.attemptsLeft);
  tick();
  window.clearInterval(ticker);
  ticker = window.setInterval(tick, 1000);
  input.focus();
}

function tick(): void {
  if (!challenge) return;
  const left = challenge.expiresAt - Date.now();
  byId('time-left').textContent = left > 0 ? duration(left) : 'none';
  // Speak the countdown only at a few moments; every second would drown the reader.
  for (const mark of [30, 10]) {
    if (left <= mark * 1000 && left > (mark - 1) * 1000 && !warned.has(mark)) {
      warned.add(mark);
      byId('time-live').textContent = `${mark} seconds left.`;
    }
  }
  if (left <= 0) {
    window.clearInterval(ticker);
    input.disabled = true;
    byId<HTMLButtonElement>('submit').disabled = true;
    byId('outcome').textContent = 'Time is up. The computer is locking; sign in with your password as usual.';
  }
}

function showOutcome(o: ChallengeOutcome): void {
  const out = byId('outcome');
  byId('attempts').textContent = String(o.attemptsLeft);
  if (o.next === 'protected') {
    window.clearInterval(ticker);
    out.textContent = `Thank you, that was you. ${o.reason}`;
    form.hidden = true;
  } else if (o.next === 'retry') {
    // The engine's reason names what differed (the words, the rhythm, or too little typing seen) and the attempts left.
    out.textContent = o.reason;
    byId('what-next').textContent = whatNext(o.attemptsLeft);
    input.value = '';
    input.focus();
  } else {
    window.clearInterval(ticker);
    out.textContent = `${o.reason} Sign in with your password as usual.`;
    input.disabled = true;
    byId<HTMLButtonElement>('submit').disabled = true;
    form.hidden = true;
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const typed = input.value;
  void api.submitChallenge(typed).then((r) => {
    if (!r.ok) return showError(errorBox, r.message);
    clearError(errorBox);
    showOutcome(r.value);
  });
});

// The phrase must be typed: a paste carries no rhythm and would only burn an attempt.
input.addEventListener('paste', (e) => {
  e.preventDefault();
  byId('outcome').textContent = 'Please type the phrase; pasting cannot show your typing rhythm.';
});

api.getChallenge().then((r) => {
  if (!r.ok) return showError(errorBox, r.message);
  warned = new Set();
  if (r.value) show(r.value);
  else byId('no-challenge').hidden = false;
}, reportFatal);
