import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enrol, feed, harness } from './support/harness';
import { mouseActions, OWNER, OWNER_MOUSE, typingWindows } from './support/synthetic';

test('a first start is not enrolled, audited, and nothing captured before consent is kept', () => {
  const h = harness();
  assert.equal(h.engine.state, 'not-enrolled');
  assert.equal(h.store.events[0]!.to, 'not-enrolled');
  for (const w of typingWindows(OWNER, 200, 1)) h.engine.addKeystrokeWindow(w);
  h.engine.addMouseActions(mouseActions(OWNER_MOUSE, 10, 1));
  assert.equal(h.store.keystrokeWindows.length, 0);
  assert.equal(h.store.mouseActions.length, 0);
  assert.deepEqual(h.engine.status().missing, ['Open the Cadence window and give consent to start enrolment.']);
});

test('the wizard enforces its order: consent before tasks, no skipping, targets met before moving on', () => {
  const h = harness();
  const e = h.engine;
  assert.equal((e.setEnrolmentStep('typing') as { code: string }).code, 'consent-required');
  assert.equal((e.setEnrolmentStep('mouse') as { code: string }).code, 'consent-required');
  assert.ok(e.giveConsent().ok);
  assert.equal(e.state, 'enrolling');
  const n = h.store.events.length;
  assert.ok(e.giveConsent().ok, 'consent again (a reopened wizard) is fine');
  assert.equal(h.store.events.length, n, 'and not audited twice');
  assert.equal((e.setEnrolmentStep('result') as { code: string }).code, 'step-order');
  assert.ok(e.setEnrolmentStep('typing').ok);
  const r = e.setEnrolmentStep('mouse');
  assert.equal(r.ok, false);
  assert.equal((r as { code: string }).code, 'typing-incomplete');
  assert.match((r as { message: string }).message, /Type 400 more keystrokes/);
});

test('typing progress comes from the capture process counts, only during the typing step, and survives a child restart', () => {
  const h = harness();
  const e = h.engine;
  e.giveConsent();
  e.noteActivity({ keystrokes: 50, mouseActions: 3 }); // still on the consent page: not counted
  e.setEnrolmentStep('typing');
  e.noteActivity({ keystrokes: 150, mouseActions: 3 });
  assert.equal(e.enrolment().typing.captured, 100);
  e.noteActivity({ keystrokes: 20, mouseActions: 0 }); // the capture child restarted: counts from 0 again
  assert.equal(e.enrolment().typing.captured, 120);
  assert.equal(e.enrolment().typing.target, 400);
  assert.ok(e.enrolment().typing.sentences.length >= 5);
});

test('enrolment ends in learning, and protection starts only once the measured quality is ready; status lists what is missing', () => {
  const h = harness();
  const e = h.engine;
  e.giveConsent();
  e.setEnrolmentStep('typing');
  // Enough counted keystrokes for the wizard, but only 200 keystrokes of windows: the profile is not ready.
  for (const w of typingWindows(OWNER, 200, 1)) e.addKeystrokeWindow(w);
  e.noteActivity({ keystrokes: 1, mouseActions: 0 });
  e.noteActivity({ keystrokes: 401, mouseActions: 0 });
  e.setEnrolmentStep('mouse');
  e.noteActivity({ keystrokes: 401, mouseActions: 40 });
  assert.ok(e.setEnrolmentStep('result').ok);
  assert.ok(e.setEnrolmentStep('done').ok);
  assert.equal(e.state, 'learning');
  const missing = e.status().missing;
  assert.ok(missing.some((m) => /more keystrokes/.test(m)), missing.join(' | '));
  assert.ok(missing.some((m) => /more mouse actions/.test(m)), missing.join(' | '));
  assert.equal(e.status().quality!.ready, false);
  // Learning continues in the background.
  for (const w of typingWindows(OWNER, 800, 2)) e.addKeystrokeWindow(w);
  assert.equal(e.state, 'learning');
  e.addMouseActions(mouseActions(OWNER_MOUSE, 60, 2));
  assert.equal(e.state, 'protected');
  assert.deepEqual(e.status().missing, []);
  assert.ok(e.status().quality!.ready);
  assert.ok(h.store.profile !== null, 'the fitted profile is saved');
  const last = h.store.events.at(-1)!;
  assert.equal(last.from, 'learning');
  assert.match(last.reason, /good enough .*Protection starts/);
});

test('every state change has one audit entry with from and to, in order', () => {
  const h = harness();
  enrol(h);
  const changes = h.store.events.filter((x) => x.to !== undefined).map((x) => `${x.from ?? ''}>${x.to}`);
  assert.deepEqual(changes, ['>not-enrolled', 'not-enrolled>enrolling', 'enrolling>learning', 'learning>protected']);
});

test('the owner typing on stays protected', () => {
  const h = harness();
  enrol(h);
  assert.equal(feed(h, typingWindows(OWNER, 2500, 3)), -1);
  assert.equal(h.engine.state, 'protected');
  assert.ok(h.engine.status().trust! >= 60, `trust ${h.engine.status().trust}`);
  assert.equal(h.store.trust.length, 100);
});

test('a disabled keystroke channel is ignored entirely: nothing stored, scored or counted', () => {
  const h = harness({ channels: { keystroke: false, mouse: true } });
  const e = h.engine;
  e.giveConsent();
  e.setEnrolmentStep('typing');
  e.noteActivity({ keystrokes: 0, mouseActions: 0 });
  e.noteActivity({ keystrokes: 500, mouseActions: 0 });
  for (const w of typingWindows(OWNER, 500, 1)) e.addKeystrokeWindow(w);
  assert.equal(h.store.keystrokeWindows.length, 0);
  assert.equal(e.enrolment().typing.captured, 0);
  // The typing target does not block a user who cannot use the keyboard channel.
  assert.ok(e.setEnrolmentStep('mouse').ok);
  e.addMouseActions(mouseActions(OWNER_MOUSE, 60, 1));
  e.noteActivity({ keystrokes: 500, mouseActions: 60 });
  assert.ok(e.setEnrolmentStep('result').ok);
  assert.ok(e.setEnrolmentStep('done').ok);
  assert.equal(e.state, 'protected');
  const before = h.store.trust.length;
  for (const w of typingWindows(OWNER, 500, 2)) e.addKeystrokeWindow(w);
  assert.equal(h.store.trust.length, before, 'keystroke windows are not scored');
});

test('pause only where policy allows, never to escape a challenge, and resume returns to protected', () => {
  const denied = harness({ allowPause: false });
  enrol(denied);
  const r = denied.engine.setPaused(true);
  assert.equal(r.ok, false);
  assert.equal((r as { code: string }).code, 'pause-not-allowed');
  assert.equal(denied.engine.state, 'protected');

  const h = harness();
  enrol(h);
  assert.ok(h.engine.setPaused(true).ok);
  assert.equal(h.engine.state, 'paused');
  const n = h.store.trust.length;
  feed(h, typingWindows(OWNER, 200, 4));
  assert.equal(h.store.trust.length, n, 'nothing is scored while paused');
  assert.ok(h.engine.setPaused(false).ok);
  assert.equal(h.engine.state, 'protected');

  // Policy withdrawing pause while paused resumes protection, and both are audited.
  h.engine.setPaused(true);
  h.policy.set({ allowPause: false });
  assert.equal(h.engine.state, 'protected');
  const tail = h.store.events.slice(-2);
  assert.equal(tail[0]!.kind, 'policy');
  assert.match(tail[0]!.reason, /allowPause true → false/);
  assert.match(tail[1]!.reason, /no longer allows pausing/);
});

test('a capture outage and its end are audited in plain words and shown in status', () => {
  const h = harness();
  h.engine.captureOutage('no X display is reachable (DISPLAY is empty); start Cadence inside your desktop session');
  h.engine.captureOutage('no X display is reachable (DISPLAY is empty); start Cadence inside your desktop session');
  assert.equal(h.engine.status().captureAvailable, false);
  assert.match(h.engine.status().captureProblem!, /no X display/);
  h.engine.captureRestored();
  assert.equal(h.engine.status().captureAvailable, true);
  const outages = h.store.events.filter((x) => x.kind === 'capture-outage');
  assert.equal(outages.length, 2);
  assert.match(outages[1]!.reason, /working again/);
});
