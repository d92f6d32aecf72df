import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentState, PolicyView, StatusView } from '../../../src/main/api/agent-api';
import { trayIcon, trayView } from '../../../src/main/electron/tray-model';

const status = (state: AgentState, extra: Partial<StatusView> = {}): StatusView => ({
  state,
  trust: state === 'protected' ? 93.4 : null,
  captureAvailable: true,
  captureProblem: null,
  keystrokesCollected: 0,
  mouseActionsCollected: 0,
  quality: null,
  missing: [],
  since: 0,
  lockProblem: null,
  ...extra,
});
const policy = (allowPause: boolean, allowQuit: boolean): PolicyView => ({
  sensitivity: 'balanced',
  idleMinutes: 10,
  challengeAttempts: 3,
  challengeTimeoutSeconds: 60,
  channels: { keystroke: true, mouse: true },
  adaptation: true,
  allowPause,
  allowQuit,
  retentionDays: 30,
  source: 'defaults',
});
const actions = (s: StatusView | null, p: PolicyView | null): string[] => trayView(s, p).items.flatMap((i) => (i.action ? [i.action] : []));

test('pause and quit appear only when policy allows them', () => {
  assert.deepEqual(actions(status('protected'), policy(false, false)), ['open-dashboard']);
  assert.deepEqual(actions(status('protected'), policy(true, false)), ['open-dashboard', 'pause']);
  assert.deepEqual(actions(status('protected'), policy(false, true)), ['open-dashboard', 'quit']);
  assert.deepEqual(actions(status('paused'), policy(true, true)), ['open-dashboard', 'resume', 'quit']);
});

test('with policy unknown (agent not answering) neither pause nor quit is offered', () => {
  assert.deepEqual(actions(status('protected'), null), ['open-dashboard']);
  assert.deepEqual(actions(null, null), ['open-dashboard']);
});

test('pause is shown but disabled during a challenge, where the engine refuses it', () => {
  const pause = trayView(status('challenge'), policy(true, false)).items.find((i) => i.action === 'pause');
  assert.equal(pause?.enabled, false);
});

test('the first line states what Cadence is doing, with trust when there is one', () => {
  assert.equal(trayView(status('protected'), null).items[0]!.label, 'Protecting this computer (trust 93)');
  assert.equal(trayView(status('protected'), null).items[0]!.enabled, false);
  assert.match(trayView(status('learning', { captureAvailable: false, captureProblem: 'Wayland session' }), null).tooltip, /Cannot see typing: Wayland/);
});

test('setup not finished: the menu offers to continue it', () => {
  assert.ok(actions(status('enrolling'), null).includes('open-wizard'));
  assert.ok(!actions(status('protected'), null).includes('open-wizard'));
});

test('one icon per state the issue names: learning, protected, challenge, paused, capture unavailable', () => {
  assert.equal(trayIcon(status('learning')), 'learning');
  assert.equal(trayIcon(status('enrolling')), 'learning');
  assert.equal(trayIcon(status('protected')), 'protected');
  assert.equal(trayIcon(status('challenge')), 'challenge');
  assert.equal(trayIcon(status('paused')), 'paused');
  assert.equal(trayIcon(status('protected', { captureAvailable: false })), 'unavailable');
  assert.equal(trayIcon(null), 'unavailable');
});

test('a failed OS lock shows in the tray line and points to the dashboard', () => {
  const view = trayView(status('locked', { lockProblem: 'The OS lock failed: no lock method worked.' }), null);
  assert.equal(view.items[0]!.label, 'Could not lock the screen: see the dashboard');
  assert.equal(view.icon, 'challenge');
});
