import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The `cadence` command as a person meets it: help, errors, status, and surviving kill -9. */

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const CLI = path.join(ROOT, 'bin', 'cadence.js');

function run(args: string[], env: NodeJS.ProcessEnv = process.env): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-cli-'));
}

async function waitFor(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('cadence --help lists the commands; each command has its own help', () => {
  const top = run(['--help']);
  assert.equal(top.code, 0);
  for (const c of ['agent', 'status', 'eval', 'audit']) assert.match(top.out, new RegExp(`\\b${c}\\b`));
  const agent = run(['agent', '--help']);
  assert.equal(agent.code, 0);
  assert.match(agent.out, /--data-dir/);
  assert.match(agent.out, /--ui/);
});

test('an unknown flag or a bad value exits 2 with a message naming it', () => {
  const unknown = run(['status', '--bogus']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown option '--bogus'/);
  const bad = run(['agent', '--status-every', 'soon']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--status-every.*must be a number of seconds/);
  const cmd = run(['lock-now']);
  assert.equal(cmd.code, 2);
  assert.match(cmd.err, /unknown command 'lock-now'/);
});

test('cadence status on a folder with no database says what to do and exits 2, creating nothing', () => {
  const dir = tmp();
  const r = run(['status', '--data-dir', path.join(dir, 'none')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /no Cadence database/);
  assert.match(r.err, /has the agent run/);
  assert.equal(fs.existsSync(path.join(dir, 'none')), false);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the agent survives kill -9: the state it reached is there after a restart, and the database opens cleanly', { timeout: 60_000 }, async () => {
  const dir = tmp();
  const data = path.join(dir, 'data');
  const policyFile = path.join(dir, 'policy.json');
  fs.writeFileSync(policyFile, '{}\n');
  // No display: capture is unavailable (and says so), the rest of the agent runs.
  const env: NodeJS.ProcessEnv = { ...process.env, CADENCE_POLICY_FILE: policyFile };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const start = (): { child: ChildProcess; output: () => string } => {
    let out = '';
    const child = spawn(process.execPath, [CLI, 'agent', '--data-dir', data, '--ui'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (out += d));
    child.stderr!.on('data', (d: Buffer) => (out += d));
    return { child, output: () => out };
  };
  let a = start();
  try {
    await waitFor('the pages URL', () => /pages: (http:\/\/127\.0\.0\.1:\d+)\//.test(a.output()));
    await waitFor('the missing display to be reported', () => /capture unavailable/i.test(a.output()));
    const origin = /pages: (http:\/\/127\.0\.0\.1:\d+)\//.exec(a.output())![1]!;
    const token = /const token = "([^"]+)"/.exec(await (await fetch(`${origin}/bridge-client.js`)).text())![1]!;
    for (const [m, args] of [['setEnrolmentStep', ['consent']], ['giveConsent', []], ['setEnrolmentStep', ['typing']]] as const) {
      const res = await fetch(`${origin}/api/${m}`, { method: 'POST', headers: { 'content-type': 'application/json', origin, 'x-cadence-token': token }, body: JSON.stringify(args) });
      assert.equal(((await res.json()) as { ok: boolean }).ok, true, m);
    }
    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.once('exit', r));

    const st = run(['status', '--data-dir', data, '--json']);
    assert.equal(st.code, 0, st.err);
    const status = JSON.parse(st.out) as { state: string; decisions: { reason: string }[] };
    assert.equal(status.state, 'enrolling');
    assert.ok(status.decisions.some((d) => /consent/i.test(d.reason)), 'the consent decision was committed with the state');

    // Restart: the engine resumes in the same state; no quarantine of the database.
    a = start();
    await waitFor('the restarted agent', () => /pages: /.test(a.output()));
    assert.doesNotMatch(a.output(), /moved aside|corrupt/i);
    const origin2 = /pages: (http:\/\/127\.0\.0\.1:\d+)\//.exec(a.output())![1]!;
    const token2 = /const token = "([^"]+)"/.exec(await (await fetch(`${origin2}/bridge-client.js`)).text())![1]!;
    const res = await fetch(`${origin2}/api/getEnrolment`, { method: 'POST', headers: { 'content-type': 'application/json', origin: origin2, 'x-cadence-token': token2 }, body: '[]' });
    const view = (await res.json()) as { ok: boolean; value: { step: string; consentGiven: boolean } };
    assert.equal(view.value.step, 'typing');
    assert.equal(view.value.consentGiven, true);
    a.child.kill('SIGINT');
    await new Promise((r) => a.child.once('exit', r));
    const verify = run(['audit', 'verify', '--data-dir', data]);
    assert.equal(verify.code, 0, verify.out + verify.err);
  } finally {
    a.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
