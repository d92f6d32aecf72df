/**
 * Capture benchmark (`node dist/bench/capture.js`, or `npm run bench -- capture`).
 *
 * (a) The in-process capture-to-window path (hook event -> pairer -> windower
 *     with HMAC ids -> JSON as IPC would serialise it; mouse -> segmenter ->
 *     features), fed with synthetic uiohook-shaped events: cost per event and
 *     events per second on one core.
 * (b) The real capture child on a private Xvfb, driven by one long-lived
 *     `xdotool -` at 10 keys/s plus 60 Hz pointer movement (a click every 2 s
 *     so actions close): CPU as % of one core from /proc/<pid>/stat and
 *     resident memory (VmRSS) from /proc/<pid>/status.
 *
 * Prints markdown. CADENCE_BENCH_SECONDS sets the length of (b) (default 20).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { CapturePipeline, routeHookEvent, type HookEvent } from '../src/main/capture/capture-pipeline';
import { HmacFeatureKeyer } from '../src/main/capture/feature-keyer';
import type { CaptureStats } from '../src/main/capture/protocol';
import { startCapture } from '../src/main/capture/supervisor';
import { startXvfb, xvfbAvailable, NO_XVFB_REASON } from '../test/support/xvfb';

const GOAL_CPU_PCT = 1;
const GOAL_RSS_MB = 80;

// ---------- (a) synthetic events through the pipeline ----------

/** Random-ish typing: 26 keys, holds 60-140 ms, press-to-press 80-250 ms, with rollover. */
function keyEvents(n: number, seed = 1): HookEvent[] {
  let s = seed;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const codes = [30, 48, 46, 32, 18, 33, 34, 35, 23, 36, 37, 38, 50, 49, 24, 25, 16, 19, 31, 20, 22, 47, 17, 45, 21, 44, 57];
  const raw: Array<{ t: number; type: 4 | 5; keycode: number }> = [];
  let t = 1000;
  for (let i = 0; i < n / 2; i++) {
    const code = codes[Math.floor(rnd() * codes.length)]!;
    raw.push({ t, type: 4, keycode: code }, { t: t + 60 + rnd() * 80, type: 5, keycode: code });
    t += 80 + rnd() * 170;
  }
  raw.sort((a, b) => a.t - b.t);
  return raw.map((r) => ({ type: r.type, keycode: r.keycode, time: Math.round(r.t), altKey: false, ctrlKey: false, metaKey: false, shiftKey: false }) as HookEvent);
}

/** 60 Hz movement in strokes of 40 samples, each ended by a click. */
function mouseEvents(n: number): HookEvent[] {
  const out: HookEvent[] = [];
  let t = 1000;
  let x = 100;
  let y = 100;
  const ev = (type: number, button = 0): HookEvent =>
    ({ type, x: Math.round(x), y: Math.round(y), time: Math.round(t), button, clicks: 0, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false }) as unknown as HookEvent;
  for (let i = 0; out.length < n; i++) {
    x += 6 * Math.cos(i / 15);
    y += 4 * Math.sin(i / 11);
    t += 1000 / 60;
    out.push(ev(9));
    if (i % 40 === 39) {
      out.push(ev(7, 1));
      t += 90;
      out.push(ev(8, 1));
    }
  }
  return out;
}

interface PathResult {
  name: string;
  events: number;
  nsPerEvent: number;
  windows: number;
  actions: number;
}

function runPath(name: string, events: readonly HookEvent[], rounds = 5): PathResult {
  const keyer = new HmacFeatureKeyer(randomBytes(32));
  let bytes = 0;
  let windows = 0;
  let actions = 0;
  const once = (): number => {
    const p = new CapturePipeline({
      keyer,
      windowSize: 25,
      onWindow: (w) => {
        windows++;
        bytes += JSON.stringify({ type: 'keystroke-window', window: w }).length; // what IPC serialises
      },
    });
    // CPU time, not wall time: the machines are shared and wall time counts other processes' turns.
    const c0 = process.cpuUsage();
    for (const e of events) routeHookEvent(p, e, 0);
    const batch = p.takeMouseBatch();
    actions += batch.length;
    bytes += JSON.stringify({ type: 'mouse-actions', actions: batch }).length;
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  once(); // warm-up: JIT and the id cache
  const times: number[] = [];
  windows = 0;
  actions = 0;
  for (let r = 0; r < rounds; r++) times.push(once());
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  if (bytes < 0) throw new Error('unreachable'); // keep the serialisation from being optimised away
  return { name, events: events.length, nsPerEvent: (median * 1e6) / events.length, windows: windows / rounds, actions: actions / rounds };
}

// ---------- (b) the real capture child ----------

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface LoadResult {
  seconds: number;
  idleCpuPct: number;
  cpuPct: number;
  rssStartMb: number;
  rssMaxMb: number;
  rssEndMb: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function xEnv(display: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: display };
  delete env.WAYLAND_DISPLAY;
  delete env.XDG_SESSION_TYPE;
  return env;
}

/**
 * Measures `pid` idle for 5 s, then for `seconds` under 10 keys/s (held 80 ms)
 * and 60 Hz pointer movement with a click every 2 s, written as commands to
 * one long-lived `xdotool -` and scheduled on a monotonic clock.
 */
async function measureUnderLoad(pid: number, display: string, seconds: number): Promise<LoadResult> {
  const xdo = spawn('xdotool', ['-'], { env: xEnv(display), stdio: ['pipe', 'ignore', 'inherit'] });
  try {
    await sleep(1000); // let start-up settle
    const rssStartMb = rssMb(pid);
    const idle0 = cpuTicks(pid);
    const idleT0 = performance.now();
    await sleep(5000);
    const idleCpuPct = (((cpuTicks(pid) - idle0) / CLK_TCK) * 1000 * 100) / (performance.now() - idleT0);

    const keys = 'asdfghjklqwertyuiopzxcvbnm';
    const startTicks = cpuTicks(pid);
    const start = performance.now();
    let rssMaxMb = rssStartMb;
    let nextMove = start;
    let nextKey = start;
    let nextClick = start + 2000;
    let pendingUp: { at: number; key: string } | null = null;
    let i = 0;
    let k = 0;
    let lastRssAt = start;
    while (performance.now() - start < seconds * 1000) {
      const now = performance.now();
      let cmd = '';
      if (now >= nextMove) {
        cmd += `mousemove ${Math.round(640 + 300 * Math.cos(i / 40))} ${Math.round(400 + 200 * Math.sin(i / 25))}\n`;
        i++;
        nextMove += 1000 / 60;
      }
      if (now >= nextKey) {
        const key = keys[k++ % keys.length]!;
        cmd += `keydown --delay 0 ${key}\n`;
        pendingUp = { at: now + 80, key };
        nextKey += 100;
      }
      if (pendingUp && now >= pendingUp.at) {
        cmd += `keyup --delay 0 ${pendingUp.key}\n`;
        pendingUp = null;
      }
      if (now >= nextClick) {
        cmd += 'click --delay 0 1\n';
        nextClick += 2000;
      }
      if (cmd) xdo.stdin.write(cmd);
      if (now - lastRssAt >= 1000) {
        rssMaxMb = Math.max(rssMaxMb, rssMb(pid));
        lastRssAt = now;
      }
      await sleep(Math.max(0, Math.min(nextMove, nextKey, pendingUp?.at ?? Infinity) - performance.now()));
    }
    const elapsed = (performance.now() - start) / 1000;
    const cpuPct = (((cpuTicks(pid) - startTicks) / CLK_TCK) * 100) / elapsed;
    const rssEndMb = rssMb(pid);
    return { seconds: elapsed, idleCpuPct, cpuPct, rssStartMb, rssMaxMb: Math.max(rssMaxMb, rssEndMb), rssEndMb };
  } finally {
    xdo.stdin.end();
    if (xdo.exitCode === null) await new Promise((r) => xdo.once('exit', r));
  }
}

interface ChildResult extends LoadResult {
  hookEventsPerSec: number;
  keystrokesPerSec: number;
  windows: number;
  mouseActions: number;
}

async function runChild(seconds: number): Promise<ChildResult> {
  const x = await startXvfb();
  let windows = 0;
  let mouseActions = 0;
  let stats: CaptureStats | null = null;
  const handle = startCapture({
    secret: randomBytes(32),
    env: xEnv(x.display),
    statsMs: 1000,
    onKeystrokeWindow: () => windows++,
    onMouseActions: (a) => (mouseActions += a.length),
    onStats: (s) => (stats = s),
  });
  try {
    const t0 = Date.now();
    while (handle.status.state !== 'running') {
      if (Date.now() - t0 > 10_000) throw new Error(`capture did not start: ${handle.status.message}`);
      await sleep(20);
    }
    const before = (): CaptureStats | null => stats;
    await sleep(1100);
    const s0 = before();
    const load = await measureUnderLoad(handle.pid!, x.display, seconds);
    await sleep(1200); // one more stats message
    const s1 = before();
    // the idle part is in the span between s0 and s1 but has no events
    return {
      ...load,
      hookEventsPerSec: ((s1?.hookEvents ?? 0) - (s0?.hookEvents ?? 0)) / load.seconds,
      keystrokesPerSec: ((s1?.pairer.keystrokes ?? 0) - (s0?.pairer.keystrokes ?? 0)) / load.seconds,
      windows,
      mouseActions,
    };
  } finally {
    await handle.dispose();
    await x.stop();
  }
}

/** The floor: a bare Node process with a no-op uiohook listener, under the same load. */
async function runBareListener(seconds: number): Promise<LoadResult> {
  const x = await startXvfb();
  const script = "const { uIOhook } = require('uiohook-napi'); uIOhook.on('input', () => {}); uIOhook.start(); setInterval(() => {}, 1 << 30);";
  const proc = spawn(process.execPath, ['-e', script], { env: xEnv(x.display), stdio: 'ignore', cwd: process.cwd() });
  try {
    return await measureUnderLoad(proc.pid!, x.display, seconds);
  } finally {
    proc.kill('SIGKILL');
    await x.stop();
  }
}

async function main(): Promise<void> {
  const seconds = Number(process.env.CADENCE_BENCH_SECONDS ?? 20);
  const keys = keyEvents(200_000);
  const mouse = mouseEvents(200_000);
  const mixed = [...keys.slice(0, 100_000), ...mouse.slice(0, 100_000)];
  const paths = [runPath('keys (press/release)', keys), runPath('mouse (60 Hz moves, clicks)', mouse), runPath('mixed', mixed)];

  const out: string[] = [];
  out.push('## Capture', '');
  out.push('### (a) capture-to-window path, synthetic events, one core', '');
  out.push('| stream | events | CPU ns/event (median of 5) | events/s on one core | windows | mouse actions |');
  out.push('|---|---:|---:|---:|---:|---:|');
  for (const p of paths) {
    out.push(`| ${p.name} | ${p.events} | ${p.nsPerEvent.toFixed(0)} | ${Math.round(1e9 / p.nsPerEvent).toLocaleString('en')} | ${p.windows} | ${p.actions} |`);
  }
  out.push('');
  process.stdout.write(out.join('\n') + '\n');

  const res: string[] = ['### (b) real capture child on a private Xvfb, 10 keys/s + 60 Hz pointer via `xdotool -`', ''];
  if (!xvfbAvailable()) {
    res.push(`skipped: ${NO_XVFB_REASON}`);
  } else {
    const r = await runChild(seconds);
    const bare = await runBareListener(seconds);
    const ok = (v: boolean): string => (v ? 'met' : '**NOT met**');
    res.push('| measure | value | goal |', '|---|---:|---|');
    res.push(`| measured span | ${r.seconds.toFixed(1)} s | >= 20 s |`);
    res.push(`| hook events seen | ${r.hookEventsPerSec.toFixed(1)} /s | ~80 /s (20 key + 60 move) |`);
    res.push(`| keystrokes paired | ${r.keystrokesPerSec.toFixed(1)} /s | 10 /s |`);
    res.push(`| keystroke windows / mouse actions sent | ${r.windows} / ${r.mouseActions} | |`);
    res.push(`| CPU, idle (5 s, no input) | ${r.idleCpuPct.toFixed(2)} % of one core | |`);
    res.push(`| CPU under load | ${r.cpuPct.toFixed(2)} % of one core | < ${GOAL_CPU_PCT} % (${ok(r.cpuPct < GOAL_CPU_PCT)}) |`);
    res.push(`| VmRSS start / max / end | ${r.rssStartMb.toFixed(1)} / ${r.rssMaxMb.toFixed(1)} / ${r.rssEndMb.toFixed(1)} MB | < ${GOAL_RSS_MB} MB (${ok(r.rssMaxMb < GOAL_RSS_MB)}) |`);
    res.push(`| floor: bare uiohook listener, CPU idle / under the same load | ${bare.idleCpuPct.toFixed(2)} / ${bare.cpuPct.toFixed(2)} % of one core | |`);
    res.push(`| floor: bare uiohook listener, VmRSS max | ${bare.rssMaxMb.toFixed(1)} MB | |`);
    res.push('', `CPU from utime+stime in /proc/<pid>/stat (CLK_TCK ${CLK_TCK}, so ±${(100 / CLK_TCK / r.seconds).toFixed(2)} points of resolution).`);
  }
  process.stdout.write(res.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench/capture: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
