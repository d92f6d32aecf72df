import type { DecisionView, PolicyView, ProfileQuality, StatusView, TrustPoint } from '../main/api/agent-api';
import { agent, byId, clearError, reportFatal, showError } from './cadence-api.js';
import { DECISION_LABEL, SENSITIVITY_LABEL, reasonAfterLabel, STATE_EXPLANATION, STATE_LABEL, clockTime, percent, plural, qualitySummary } from './plain-words.js';
import { renderTrustChart } from './trust-chart.js';

const REFRESH_MS = 5000;
const DECISIONS = 20;
const api = agent();
const errorBox = byId('error');
let policy: PolicyView | null = null;
let status: StatusView | null = null;

function facts(list: HTMLElement, rows: readonly (readonly [string, string])[]): void {
  list.replaceChildren();
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    list.append(dt, dd);
  }
}

function renderStatus(s: StatusView): void {
  status = s;
  const state = byId('state');
  state.textContent = STATE_LABEL[s.state];
  state.className = `state state-${s.state}`;
  byId('trust-value').textContent = s.trust === null ? '–' : String(Math.round(s.trust));
  byId('state-explanation').textContent = STATE_EXPLANATION[s.state];
  const problem = byId('capture-problem');
  problem.hidden = s.captureAvailable;
  problem.textContent = s.captureAvailable ? '' : `Cadence cannot see typing or the mouse: ${s.captureProblem ?? 'capture is unavailable.'}`;
  // The agent could not lock the screen: say so, with what to do (the text ends with it).
  const lockProblem = byId('lock-problem');
  lockProblem.hidden = s.lockProblem === null;
  // Set only on change: the box is an alert, and rewriting it on every refresh would announce it again.
  if (lockProblem.textContent !== (s.lockProblem ?? '')) lockProblem.textContent = s.lockProblem ?? '';
  const missing = byId('missing');
  missing.replaceChildren(
    ...s.missing.map((m) => {
      const li = document.createElement('li');
      li.textContent = m;
      return li;
    }),
  );
  renderQuality(s.quality, s);
  renderPause();
}

function renderQuality(q: ProfileQuality | null, s: StatusView): void {
  byId('quality-summary').textContent = q ? qualitySummary(q) : 'No profile yet.';
  facts(byId('quality'), [
    ['Key presses learned', (q?.keystrokes ?? s.keystrokesCollected).toLocaleString()],
    ['Mouse actions learned', (q?.mouseActions ?? s.mouseActionsCollected).toLocaleString()],
    ...(q
      ? ([
          ['Key pairs covered', percent(q.digraphCoverage)],
          ['Consistency', percent(q.stability)],
        ] as const)
      : []),
  ]);
}

function renderPolicy(p: PolicyView): void {
  policy = p;
  facts(byId('policy'), [
    ['Sensitivity', SENSITIVITY_LABEL[p.sensitivity]],
    ['Typing watched', p.channels.keystroke ? 'Yes' : 'No'],
    ['Mouse watched', p.channels.mouse ? 'Yes' : 'No'],
    ['Check after idle', plural(p.idleMinutes, 'minute', 'minutes')],
    ['Tries in a check', String(p.challengeAttempts)],
    ['Time to answer a check', plural(p.challengeTimeoutSeconds, 'second', 'seconds')],
    ['Keeps learning after setup', p.adaptation ? 'Yes' : 'No'],
    ['You may pause Cadence', p.allowPause ? 'Yes' : 'No'],
    ['You may quit Cadence', p.allowQuit ? 'Yes' : 'No'],
    ['Timings kept for', plural(p.retentionDays, 'day', 'days')],
    ['Policy comes from', p.source],
  ]);
  renderPause();
}

function renderPause(): void {
  const row = byId('pause-row');
  // Offered only where the engine accepts it: policy allows, and Cadence is learning, protecting or paused.
  const pausable = status !== null && ['learning', 'protected', 'paused'].includes(status.state);
  row.hidden = !(policy?.allowPause ?? false) || !pausable;
  if (!status) return;
  byId('pause').textContent = status.state === 'paused' ? 'Resume Cadence' : 'Pause Cadence';
}

function renderDecisions(list: readonly DecisionView[]): void {
  byId('no-decisions').hidden = list.length > 0;
  byId('decisions').replaceChildren(
    ...list.map((d) => {
      const li = document.createElement('li');
      li.className = `decision decision-${d.kind}`;
      const time = document.createElement('time');
      time.dateTime = new Date(d.t).toISOString();
      time.textContent = clockTime(d.t);
      const what = document.createElement('strong');
      what.textContent = DECISION_LABEL[d.kind];
      const why = document.createElement('span');
      why.textContent = reasonAfterLabel(d.kind, d.reason);
      li.append(time, ' ', what, ': ', why);
      return li;
    }),
  );
}

function renderChart(points: readonly TrustPoint[], from: number): void {
  byId('chart').replaceChildren(renderTrustChart(points, { from, to: Date.now() }));
}

async function refresh(): Promise<void> {
  const startOfDay = new Date();
  startOfDay.setHours(0, 0, 0, 0);
  const from = startOfDay.getTime();
  const [s, h, d, p] = await Promise.all([api.getStatus(), api.getTrustHistory(from), api.getDecisions(DECISIONS), api.getPolicy()]);
  const firstError = [s, h, d, p].find((r) => !r.ok);
  if (firstError && !firstError.ok) showError(errorBox, firstError.message);
  else clearError(errorBox);
  if (p.ok) renderPolicy(p.value);
  if (s.ok) renderStatus(s.value);
  if (h.ok) renderChart(h.value, from);
  if (d.ok) renderDecisions(d.value);
  document.body.dataset['loaded'] = 'true';
}

byId('pause').addEventListener('click', () => {
  const paused = status?.state !== 'paused';
  void api.setPaused(paused).then((r) => {
    if (!r.ok) return showError(errorBox, r.message);
    clearError(errorBox);
    renderStatus(r.value);
  });
});

refresh().catch(reportFatal);
window.setInterval(() => void refresh().catch(reportFatal), REFRESH_MS);
