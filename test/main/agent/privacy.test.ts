import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Keystroke } from '../../../src/model/keystrokes';
import { startXvfb, xvfbAvailable, NO_XVFB_REASON } from '../../support/xvfb';
import { replay, keystrokesToEvents, xtestUnavailableReason } from '../../support/replay';
import { keyForLabel } from '../../support/keymap';

/**
 * The promise to the employee, checked: type a known sentence through the real
 * X server into the real agent (the `cadence agent` command), then search
 * everything the agent wrote or printed for the sentence and for every run of
 * 3 consecutive keys of it, in every encoding the agent could plausibly use.
 */

const skip = !xvfbAvailable() ? NO_XVFB_REASON : xtestUnavailableReason() ?? false;
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const CLI = path.join(ROOT, 'bin', 'cadence.js');

// Letter runs that English messages, numbers and JSON do not contain, so a hit means a leak.
const SENTENCE = 'zqv xjw kfz qpx vjk wzq jxz';

/** X keycodes (evdev + 8) of the letters used, for the X-level encoding. */
const X_KEYCODES: Record<string, number> = { z: 52, q: 24, v: 55, x: 53, j: 44, w: 25, k: 45, f: 41, p: 33, ' ': 65 };

/** Every needle: each run of 3 keys of SENTENCE, in each encoding. */
function needles(): { what: string; bytes: Buffer }[] {
  const keys = [...SENTENCE];
  const out: { what: string; bytes: Buffer }[] = [];
  const add = (what: string, s: string, enc: BufferEncoding = 'utf8'): void => void out.push({ what, bytes: Buffer.from(s, enc) });
  add('whole sentence', SENTENCE);
  for (let i = 0; i + 3 <= keys.length; i++) {
    const run = keys.slice(i, i + 3);
    const text = run.join('');
    if (text.trim().length === 3) {
      add(`text "${text}"`, text);
      add(`text "${text}" upper`, text.toUpperCase());
      add(`UTF-16LE "${text}"`, text, 'utf16le');
    }
    const codes = run.map((k) => keyForLabel(k).uiohook);
    const xcodes = run.map((k) => X_KEYCODES[k]!);
    const syms = run.map((k) => keyForLabel(k).keysym);
    for (const sep of [',', ', ', ' ', '-', '>', '|', '\t']) {
      add(`uiohook codes ${codes.join(sep)}`, codes.join(sep));
      add(`X keycodes ${xcodes.join(sep)}`, xcodes.join(sep));
      add(`keysyms ${syms.join(sep)}`, syms.join(sep));
    }
    add(`uiohook JSON ${JSON.stringify(codes.map(String))}`, JSON.stringify(codes.map(String)));
    add('uiohook hex', codes.map((c) => c.toString(16).padStart(2, '0')).join(''));
    add('uiohook hex (4)', codes.map((c) => c.toString(16).padStart(4, '0')).join(''));
  }
  return out;
}

/** Hashed feature ids are random base64url; blank them so chance letter runs inside a hash do not count. */
function blankIds(buf: Buffer, ids: readonly string[]): Buffer {
  let s = buf.toString('latin1');
  for (const id of ids) s = s.split(id).join('#'.repeat(id.length));
  return Buffer.from(s, 'latin1');
}

function scan(label: string, buf: Buffer, ids: readonly string[]): string[] {
  const clean = blankIds(buf, ids);
  const lower = Buffer.from(clean.toString('latin1').toLowerCase(), 'latin1');
  return needles()
    .filter((n) => clean.includes(n.bytes) || (n.what.startsWith('text') && lower.includes(Buffer.from(n.bytes.toString('utf8').toLowerCase()))))
    .map((n) => `${label}: ${n.what}`);
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? filesUnder(p) : [p];
  });
}

async function waitFor(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the scanner finds a planted sentence and planted key codes (it can fail)', () => {
  assert.ok(scan('planted', Buffer.from(`log: ${SENTENCE}\n`), []).length > 0);
  const codes = [...'zqv'].map((k) => keyForLabel(k).uiohook).join(',');
  assert.ok(scan('planted', Buffer.from(`{"keys":[${codes}]}`), []).some((h) => h.includes('uiohook codes')));
  assert.ok(scan('planted', Buffer.from('kfz', 'utf16le'), []).some((h) => h.includes('UTF-16LE')));
  assert.deepEqual(scan('clean', Buffer.from('Cadence started for the first time: not enrolled yet. [60,71,88]'), []), []);
});

test('typing a known sentence leaves no trace of it in the database, WAL, logs, status or audit export', { skip, timeout: 120_000 }, async () => {
  const x = await startXvfb();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-privacy-'));
  const data = path.join(dir, 'data');
  const policyFile = path.join(dir, 'policy.json');
  fs.writeFileSync(policyFile, '{}\n');
  const env = { ...process.env, DISPLAY: x.display, CADENCE_POLICY_FILE: policyFile };
  let agent: ChildProcess | null = null;
  let out = '';
  try {
    agent = spawn(process.execPath, [CLI, 'agent', '--data-dir', data, '--ui', '--status-every', '1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    agent.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
    agent.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
    await waitFor('the pages URL', () => /pages: (http:\/\/127\.0\.0\.1:\d+)\//.test(out));
    const origin = /pages: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)![1]!;
    const client = await (await fetch(`${origin}/bridge-client.js`)).text();
    const token = /const token = "([^"]+)"/.exec(client)![1]!;
    const call = async (method: string, ...args: unknown[]): Promise<{ ok: boolean }> => {
      const res = await fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin, 'x-cadence-token': token },
        body: JSON.stringify(args),
      });
      return (await res.json()) as { ok: boolean };
    };
    assert.equal((await call('setEnrolmentStep', 'consent')).ok, true);
    assert.equal((await call('giveConsent')).ok, true);
    assert.equal((await call('setEnrolmentStep', 'typing')).ok, true);
    await waitFor('capture to run', () => out.includes('capture running'));

    // Type the sentence four times (108 keystrokes: several stored windows), at a human pace.
    const strokes: Keystroke[] = [];
    let t = 0;
    for (let rep = 0; rep < 4; rep++) {
      for (const ch of SENTENCE + ' ') {
        strokes.push({ key: ch, press: t, release: t + 70 + ((t / 7) % 40) });
        t += 120 + ((t / 3) % 60);
      }
    }
    await replay(x.display, keystrokesToEvents(strokes));
    // 108 keystrokes: stored as 25-keystroke windows, so 100 reach the database; wait for 90.
    const storedKeystrokes = (): number => {
      const db = new Database(path.join(data, 'cadence.db'), { readonly: true, fileMustExist: true });
      try {
        return (db.prepare('SELECT coalesce(sum(keystrokes), 0) AS n FROM keystroke_windows').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    await waitFor('the typing to be stored', () => storedKeystrokes() >= 90);

    agent.kill('SIGINT');
    await new Promise((r) => agent!.once('exit', r));
    agent = null;

    const status = spawnSync(process.execPath, [CLI, 'status', '--data-dir', data, '--json'], { env, encoding: 'utf8' });
    const audit = spawnSync(process.execPath, [CLI, 'audit', 'export', '--format', 'jsonl', '--data-dir', data], { env, encoding: 'utf8' });
    assert.equal(status.status, 0, status.stderr);
    assert.equal(audit.status, 0, audit.stderr);
    const st = JSON.parse(status.stdout) as { enrolment: { keystrokes: number } };
    assert.ok(st.enrolment.keystrokes >= 90, `the typing was stored as features (${st.enrolment.keystrokes} keystrokes)`);

    // The feature ids present, so chance letter runs inside a hash can be told apart from a leak.
    const db = new Database(path.join(data, 'cadence.db'), { readonly: true });
    const ids = new Set<string>();
    for (const row of db.prepare('SELECT window FROM keystroke_windows').all() as { window: string }[]) {
      const w = JSON.parse(row.window) as Record<string, unknown>;
      for (const part of ['holds', 'dd', 'ud']) for (const id of Object.keys((w[part] ?? {}) as object)) ids.add(id);
    }
    db.close();
    assert.ok(ids.size > 0, 'the database holds feature windows');

    const hits: string[] = [];
    for (const f of filesUnder(dir)) if (f !== policyFile) hits.push(...scan(path.relative(dir, f), fs.readFileSync(f), [...ids]));
    hits.push(...scan('agent output', Buffer.from(out), [...ids]));
    hits.push(...scan('cadence status --json', Buffer.from(status.stdout + status.stderr), [...ids]));
    hits.push(...scan('cadence audit export', Buffer.from(audit.stdout + audit.stderr), [...ids]));
    assert.deepEqual(hits, [], 'nothing the agent wrote or printed may contain the typed keys');
  } finally {
    agent?.kill('SIGKILL');
    await x.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
