import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * End to end: `cadence eval --json` on synthetic people the test generates.
 * People with clearly different timing must be told apart (EER well below
 * 0.5); people drawn from one timing distribution must not be (EER near 0.5).
 */
const BIN = path.resolve(__dirname, '..', '..', '..', '..', 'bin', 'cadence.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-eval-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Typist {
  holdMs: number;
  flightMs: number;
  /** Per-key hold offsets and per-digraph flight offsets: a person's rhythm beyond overall speed. */
  keyOffsets: number[];
  pairOffsets: number[];
}

const KEYS = 'etaoinshrdlu'.split('');

function typist(holdMs: number, flightMs: number, seed: number): Typist {
  const r = rng(seed);
  return { holdMs, flightMs, keyOffsets: KEYS.map(() => (r() - 0.5) * 40), pairOffsets: KEYS.flatMap(() => KEYS.map(() => (r() - 0.5) * 120)) };
}

/** A keystroke log CSV of `n` keystrokes typed by `p` (noise from `seed`). */
function typeLog(file: string, user: string, p: Typist, n: number, seed: number): string {
  const r = rng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  let t = 1_000_000;
  let text = 'user,session,key,press_ms,release_ms\n';
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const k = Math.floor(r() * KEYS.length);
    if (i > 0) t += Math.max(30, p.flightMs + p.pairOffsets[prev * KEYS.length + k]! + gauss() * 25);
    const hold = Math.max(20, p.holdMs + p.keyOffsets[k]! + gauss() * 12);
    text += `${user},s1,${KEYS[k]},${t.toFixed(0)},${(t + hold).toFixed(0)}\n`;
    prev = k;
  }
  const f = path.join(dir, file);
  fs.writeFileSync(f, text);
  return file;
}

function manifestFor(name: string, a: Typist, b: Typist): string {
  const rows = ['subject,role,path'];
  for (const [id, p, other, seed] of [
    ['A', a, 'B', 1],
    ['B', b, 'A', 2],
  ] as const) {
    rows.push(`${id},enroll,${typeLog(`${name}-${id}-enroll.csv`, id, p, 1500, seed * 10 + 1)}`);
    rows.push(`${id},genuine,${typeLog(`${name}-${id}-genuine.csv`, id, p, 1000, seed * 10 + 2)}`);
    rows.push(`${id},impostor,${name}-${other}-impostor.csv`);
  }
  typeLog(`${name}-A-impostor.csv`, 'A', a, 1000, 13);
  typeLog(`${name}-B-impostor.csv`, 'B', b, 1000, 23);
  const f = path.join(dir, `${name}.csv`);
  fs.writeFileSync(f, rows.join('\n') + '\n');
  return f;
}

interface Summary {
  keystroke: {
    cadence: string;
    baselines: string[];
    windows: Record<string, Record<string, { eer: number; auc: number; fnmrAt1pctFmr: number }>>;
    trust: Record<string, { ania: number; impostorStreamsMissed: number; impostorStreams: number; genuineStreams: number }>;
  };
}

function evalJson(manifest: string, ...extra: string[]): { summary: Summary; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'eval', manifest, '--json', '--workers', '1', ...extra], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'stdout holds exactly one JSON object');
  return { summary: JSON.parse(lines[0]!) as Summary, stderr: r.stderr };
}

test('cadence eval --json tells two people with clearly different timing apart', () => {
  const { summary } = evalJson(manifestFor('diff', typist(75, 140, 7), typist(140, 260, 8)));
  const k = summary.keystroke;
  assert.ok(k.cadence !== '', 'the Cadence detector is named');
  for (const size of ['25', '50', '100', '200']) {
    for (const d of [...k.baselines, k.cadence]) {
      const m = k.windows[size]![d]!;
      assert.ok(m.eer < 0.15, `${d} at ${size}: EER ${m.eer} should be well below 0.5`);
      assert.ok(m.auc > 0.9, `${d} at ${size}: AUC ${m.auc}`);
    }
  }
  // The trust model, on Cadence's profile, must lock both impostor streams well before they end (1,000 keystrokes each).
  const t = k.trust[k.cadence]!;
  assert.equal(t.impostorStreams, 2);
  assert.equal(t.genuineStreams, 2);
  assert.equal(t.impostorStreamsMissed, 0, `impostor streams missed: ${t.impostorStreamsMissed}`);
  assert.ok(t.ania < 500, `ANIA ${t.ania}`);
});

test('cadence eval --json cannot tell apart two people with the same timing', () => {
  const { summary } = evalJson(manifestFor('same', typist(100, 180, 7), typist(100, 180, 7)));
  const k = summary.keystroke;
  for (const d of [...k.baselines, k.cadence]) {
    const m = k.windows['25']![d]!;
    assert.ok(m.eer > 0.3 && m.eer < 0.7, `${d}: EER ${m.eer} should be near 0.5 for identical typists`);
  }
});

test('cadence eval names a bad input file and line and exits non-zero', () => {
  const bad = path.join(dir, 'broken.csv');
  fs.writeFileSync(bad, 'user,session,key,press_ms,release_ms\nX,s,a,1,2\nX,s,b,x,2\n');
  typeLog('ok-enroll.csv', 'X', typist(90, 150, 1), 200, 1);
  const m = path.join(dir, 'broken-manifest.csv');
  fs.writeFileSync(m, 'subject,role,path\nX,enroll,ok-enroll.csv\nX,genuine,broken.csv\n');
  const r = spawnSync(process.execPath, [BIN, 'eval', m, '--workers', '1'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: press_ms is "x"`));
});

test('cadence eval refuses an unknown detector name and lists the known ones', () => {
  const r = spawnSync(process.execPath, [BIN, 'eval', path.join(dir, 'x.csv'), '--detectors', 'nope'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown detector nope; keystroke detectors: /);
});

test('two worker threads give the same figures as one, and --report writes a self-contained HTML file', () => {
  const m = manifestFor('workers', typist(80, 150, 3), typist(120, 220, 4));
  const one = evalJson(m).summary as unknown as Record<string, unknown>;
  const report = path.join(dir, 'report.html');
  const r = spawnSync(process.execPath, [BIN, 'eval', m, '--json', '--workers', '2', '--report', report], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const two = JSON.parse(r.stdout) as Record<string, unknown>;
  delete one.seconds;
  delete two.seconds;
  assert.deepEqual(two, one);
  const html = fs.readFileSync(report, 'utf8');
  assert.ok((html.match(/<svg/g) ?? []).length >= 2, 'the report holds inline SVG plots');
  // Nothing is loaded from elsewhere: no src/href attributes with a URL, no <script>/<link> tags.
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
  assert.doesNotMatch(html, /<script|<link/);
});
