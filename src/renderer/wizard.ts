import type { EnrolmentStep, EnrolmentView, Result } from '../main/api/agent-api';
import { agent, byId, clearError, reportFatal, showError } from './cadence-api.js';
import { percent, plural, qualitySummary } from './plain-words.js';
import { MouseArena } from './mouse-arena.js';

/**
 * First-run wizard. The step shown always comes from the engine
 * (getEnrolment().step), so closing the window halfway and opening it again
 * resumes where the engine says. Task progress is what the AGENT captured,
 * polled from getEnrolment(); this page never counts its own key events.
 */

const POLL_MS = 500;
const api = agent();
const errorBox = byId('error');
const STEPS: readonly EnrolmentStep[] = ['welcome', 'consent', 'typing', 'mouse', 'result', 'done'];

let shown: EnrolmentStep | null = null;
let pollTimer: number | undefined;
let sentenceIndex = 0;
let sentences: string[] = [];
const announced = { typing: -1, mouse: -1 };
let arena: MouseArena | null = null;
/** Channels IT turned off: that task has nothing to capture, so it is not required. */
const channelOff = { typing: false, mouse: false };

async function apply(r: Result<EnrolmentView>): Promise<void> {
  if (!r.ok) {
    showError(errorBox, r.message);
    return;
  }
  clearError(errorBox);
  render(r.value);
}

function render(view: EnrolmentView): void {
  byId('loading').hidden = true;
  if (view.step !== shown) enter(view);
  if (view.step === 'typing') renderTyping(view);
  if (view.step === 'mouse') renderMouse(view);
  if (view.step === 'result') renderResult(view);
}

function enter(view: EnrolmentView): void {
  const previous = shown;
  shown = view.step;
  for (const s of STEPS) byId(`step-${s}`).hidden = s !== view.step;
  for (const li of byId('steps').querySelectorAll<HTMLLIElement>('li')) {
    const idx = STEPS.indexOf(li.dataset['step'] as EnrolmentStep);
    const cur = STEPS.indexOf(view.step);
    li.classList.toggle('current', idx === cur);
    li.classList.toggle('complete', idx < cur);
    if (idx === cur) li.setAttribute('aria-current', 'step');
    else li.removeAttribute('aria-current');
  }
  window.clearInterval(pollTimer);
  pollTimer = undefined;
  arena?.stop();
  arena = null;
  if (view.step === 'typing' || view.step === 'mouse') {
    pollTimer = window.setInterval(() => void api.getEnrolment().then(apply), POLL_MS);
  }
  if (view.step === 'typing') {
    sentences = view.typing.sentences.length > 0 ? view.typing.sentences : ['Type anything you like, at your normal pace.'];
    sentenceIndex = 0;
    byId('typing-sentence').textContent = sentences[0]!;
    byId<HTMLTextAreaElement>('typing-input').value = '';
  }
  if (view.step === 'mouse') arena = new MouseArena(byId('mouse-arena'));
  if (view.step === 'typing' || view.step === 'mouse' || view.step === 'result' || view.step === 'done') void checkCapture(view.step);
  // Move focus to the new step's heading area so keyboard and screen-reader users start at the top of it.
  if (previous !== null) {
    const target = view.step === 'typing' ? byId('typing-input') : byId('main');
    target.focus();
  }
}

async function checkCapture(step: EnrolmentStep): Promise<void> {
  if (step !== 'typing' && step !== 'mouse') return;
  const [status, policy] = await Promise.all([api.getStatus(), api.getPolicy()]);
  const hint = byId(`${step}-hint`);
  if (policy.ok) channelOff[step] = step === 'typing' ? !policy.value.channels.keystroke : !policy.value.channels.mouse;
  if (channelOff[step]) {
    hint.textContent = `Your IT team has turned off ${step === 'typing' ? 'typing' : 'mouse'} measuring, so there is nothing to do here. Continue when you are ready.`;
    hint.hidden = false;
    byId<HTMLButtonElement>(`${step}-next`).disabled = false;
  } else if (status.ok && !status.value.captureAvailable) {
    hint.textContent = `Cadence cannot see your ${step === 'typing' ? 'typing' : 'mouse'} right now: ${status.value.captureProblem ?? 'capture is unavailable'}`;
    hint.hidden = false;
  } else {
    hint.hidden = true;
  }
}

function progress(kind: 'typing' | 'mouse', captured: number, target: number, unit: [string, string]): void {
  const bar = byId<HTMLProgressElement>(`${kind}-progress`);
  bar.max = Math.max(1, target);
  bar.value = Math.min(captured, target);
  const text = `${plural(captured, unit[0], unit[1])} of ${target.toLocaleString()}`;
  byId(`${kind}-count`).textContent = text;
  // Announce in tenths so a screen reader is told about progress without being flooded.
  const tenth = target > 0 ? Math.min(10, Math.floor((captured / target) * 10)) : 10;
  if (tenth !== announced[kind]) {
    announced[kind] = tenth;
    byId(`${kind}-live`).textContent = captured >= target ? `Done: ${text} captured.` : `${text} captured.`;
  }
  byId<HTMLButtonElement>(`${kind}-next`).disabled = captured < target && !channelOff[kind];
}

function renderTyping(view: EnrolmentView): void {
  progress('typing', view.typing.captured, view.typing.target, ['key press', 'key presses']);
}

function renderMouse(view: EnrolmentView): void {
  progress('mouse', view.mouse.captured, view.mouse.target, ['action', 'actions']);
}

function renderResult(view: EnrolmentView): void {
  const q = view.quality;
  byId('result-summary').textContent = q ? qualitySummary(q) : 'Cadence is still working out how good your profile is.';
  const facts = byId('result-facts');
  facts.replaceChildren();
  if (!q) return;
  const rows: [string, string][] = [
    ['Key presses learned', q.keystrokes.toLocaleString()],
    ['Mouse actions learned', q.mouseActions.toLocaleString()],
    ['Key pairs covered', `${percent(q.digraphCoverage)} of the ones you type most`],
    ['Consistency', percent(q.stability)],
    ['Ready to protect', q.ready ? 'Yes' : 'Not yet'],
  ];
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    facts.append(dt, dd);
  }
}

function go(step: EnrolmentStep): () => void {
  return () => void api.setEnrolmentStep(step).then(apply);
}

byId('welcome-next').addEventListener('click', go('consent'));
byId('consent-back').addEventListener('click', go('welcome'));
// Consent is recorded once; after that (or when resuming) agreeing just moves on to the typing task.
byId('consent-agree').addEventListener('click', () => {
  void (async () => {
    const view = await api.getEnrolment();
    if (view.ok && !view.value.consentGiven) {
      const given = await api.giveConsent();
      if (!given.ok) return apply(given);
    }
    await apply(await api.setEnrolmentStep('typing'));
  })();
});
byId('typing-next').addEventListener('click', go('mouse'));
byId('mouse-next').addEventListener('click', go('result'));
byId('result-finish').addEventListener('click', go('done'));
byId('done-close').addEventListener('click', () => window.close());

// Enter moves to the next sentence; the text itself is thrown away (the agent measures timing, not words).
byId<HTMLTextAreaElement>('typing-input').addEventListener('keydown', (e) => {
  if (e.key !== 'Enter' || e.shiftKey) return;
  e.preventDefault();
  const input = e.currentTarget as HTMLTextAreaElement;
  input.value = '';
  sentenceIndex = (sentenceIndex + 1) % sentences.length;
  byId('typing-sentence').textContent = sentences[sentenceIndex]!;
});

api.getEnrolment().then(apply, reportFatal);
