/**
 * A small but working model behind the engine's ProfileFactory port, for
 * engine tests. It is a test double of OUR port, not of src/model/profile.ts:
 * that module is being written in parallel and was not committed when these
 * tests were written (the agent's adapter will put the real model behind the
 * same port). It really measures: a scaled-Manhattan distance over per-key
 * holds and per-digraph flights (Killourhy & Maxion style), a threshold from
 * the owner's own windows, a Mondal & Bours style trust walk, a held-back
 * quality measure, and adaptation that moves means by a bounded step.
 */
import type { Sensitivity } from '../../../../src/main/api/agent-api';
import type { Channels, EnrolmentAssessment, EnrolmentData, ProfileFactory, SessionOptions, TrustSessionPort, TrustStep } from '../../../../src/main/engine/ports';
import { mergeKeystrokeWindows, type KeystrokeWindow } from '../../../../src/model/keystroke-windows';
import type { MouseActionFeatures } from '../../../../src/model/mouse-features';

type Stats = Record<string, [mean: number, sd: number]>;
interface KStats {
  holds: Stats;
  dd: Stats;
  threshold: number;
}
interface MStats {
  byType: Record<string, [number, number][]>;
  threshold: number;
}
export interface DoubleProfile {
  k: KStats | null;
  m: MStats | null;
}

const MIN_SD_MS = 8;
const MOUSE_BATCH = 5;

function stats(lists: Readonly<Record<string, readonly number[]>>): Stats {
  const out: Stats = {};
  for (const [id, v] of Object.entries(lists)) {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : 20;
    out[id] = [m, Math.max(sd, MIN_SD_MS)];
  }
  return out;
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

export function keystrokeDistance(k: KStats, w: KeystrokeWindow): number {
  let sum = 0;
  let n = 0;
  for (const [src, st] of [
    [w.holds, k.holds],
    [w.dd, k.dd],
  ] as const) {
    for (const [id, v] of Object.entries(src)) {
      const s = st[id];
      if (!s) continue;
      for (const x of v) {
        sum += Math.min(10, Math.abs(x - s[0]) / s[1]);
        n++;
      }
    }
  }
  return n > 0 ? sum / n : 10;
}

function fitK(windows: readonly KeystrokeWindow[]): KStats {
  const m = mergeKeystrokeWindows(windows);
  const k: KStats = { holds: stats(m.holds), dd: stats(m.dd), threshold: 0 };
  k.threshold = quantile(windows.map((w) => keystrokeDistance(k, w)), 0.99) * 1.5;
  return k;
}

export function mouseDistance(m: MStats, actions: readonly MouseActionFeatures[]): number {
  let sum = 0;
  let n = 0;
  for (const a of actions) {
    const st = m.byType[a.type];
    if (!st) continue;
    a.values.forEach((x, i) => {
      const [mu, sd] = st[i]!;
      sum += Math.min(10, Math.abs(x - mu) / sd);
      n++;
    });
  }
  return n > 0 ? sum / n : 10;
}

function batches<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i + size <= xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

function fitM(actions: readonly MouseActionFeatures[]): MStats {
  const byType: Record<string, [number, number][]> = {};
  for (const type of new Set(actions.map((a) => a.type))) {
    const of = actions.filter((a) => a.type === type);
    byType[type] = of[0]!.values.map((_, i) => {
      const v = of.map((a) => a.values[i]!);
      const mu = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / Math.max(1, v.length - 1));
      return [mu, Math.max(sd, Math.abs(mu) * 0.02, 1e-6)];
    });
  }
  const m: MStats = { byType, threshold: 0 };
  m.threshold = quantile(batches(actions, MOUSE_BATCH).map((b) => mouseDistance(m, b)), 0.99) * 1.3;
  return m;
}

const LOCK_BELOW: Record<Sensitivity, number> = { relaxed: 30, balanced: 40, strict: 50 };

class DoubleSession implements TrustSessionPort {
  private trust = 100;
  readonly weights: number[] = [];
  constructor(
    private readonly p: DoubleProfile,
    private readonly lockBelow: number,
  ) {}
  current(): number {
    return this.trust;
  }
  private step(d: number, threshold: number, weight: number): TrustStep {
    this.weights.push(weight);
    const r = d / threshold;
    const accepted = r <= 1;
    const change = accepted ? 5 : -(15 + 25 * Math.min(1, r - 1));
    this.trust = Math.max(0, Math.min(100, this.trust + change * weight));
    return { trust: this.trust, belowThreshold: this.trust < this.lockBelow, accepted };
  }
  addKeystrokeWindow(w: KeystrokeWindow, weight: number): TrustStep {
    if (!this.p.k) return { trust: this.trust, belowThreshold: this.trust < this.lockBelow, accepted: true };
    return this.step(keystrokeDistance(this.p.k, w), this.p.k.threshold, weight);
  }
  addMouseActions(a: readonly MouseActionFeatures[], weight: number): TrustStep {
    if (!this.p.m) return { trust: this.trust, belowThreshold: this.trust < this.lockBelow, accepted: true };
    return this.step(mouseDistance(this.p.m, a), this.p.m.threshold, weight);
  }
}

export interface AssessTargets {
  keystrokes: number;
  windows: number;
  mouseActions: number;
  coverage: number;
  stability: number;
}
export const DEFAULT_TARGETS: AssessTargets = { keystrokes: 400, windows: 12, mouseActions: 40, coverage: 0.6, stability: 0.8 };

export class DoubleModel implements ProfileFactory<DoubleProfile> {
  readonly sessions: DoubleSession[] = [];
  adaptCalls = 0;
  constructor(readonly targets: AssessTargets = DEFAULT_TARGETS) {}

  assess(data: EnrolmentData, channels: Channels): EnrolmentAssessment {
    const keystrokes = data.keystrokeWindows.reduce((a, w) => a + w.keystrokes, 0);
    const mouse = data.mouseActions.length;
    const missing: string[] = [];
    let coverage = 0;
    let stability = 1;
    if (channels.keystroke) {
      if (keystrokes < this.targets.keystrokes) missing.push(`Typing: ${this.targets.keystrokes - keystrokes} more keystrokes.`);
      const ws = data.keystrokeWindows;
      if (ws.length >= this.targets.windows) {
        const cut = Math.floor(ws.length * 0.8);
        const k = fitK(ws.slice(0, cut));
        const held = ws.slice(cut);
        let covered = 0;
        let total = 0;
        for (const w of held) for (const [id, v] of Object.entries(w.dd)) {
          total += v.length;
          if (k.dd[id]) covered += v.length;
        }
        coverage = total > 0 ? covered / total : 0;
        stability = Math.min(stability, held.filter((w) => keystrokeDistance(k, w) <= k.threshold).length / held.length);
        if (coverage < this.targets.coverage) missing.push(`Typing: the profile knows ${Math.round(coverage * 100)}% of your letter pairs (needs ${this.targets.coverage * 100}%).`);
      } else {
        stability = 0;
      }
    }
    if (channels.mouse) {
      if (mouse < this.targets.mouseActions) {
        missing.push(`Mouse: ${this.targets.mouseActions - mouse} more mouse actions.`);
        stability = 0;
      } else {
        const cut = Math.floor(mouse * 0.8);
        const m = fitM(data.mouseActions.slice(0, cut));
        const held = batches(data.mouseActions.slice(cut), MOUSE_BATCH);
        if (held.length > 0) stability = Math.min(stability, held.filter((b) => mouseDistance(m, b) <= m.threshold).length / held.length);
      }
    }
    if (stability < this.targets.stability && missing.length === 0) missing.push(`Your behaviour is not stable yet (${Math.round(stability * 100)}%); keep using the computer normally.`);
    return { quality: { keystrokes, mouseActions: mouse, digraphCoverage: coverage, stability, ready: missing.length === 0 }, missing };
  }

  fit(data: EnrolmentData, channels: Channels): DoubleProfile {
    return {
      k: channels.keystroke && data.keystrokeWindows.length > 0 ? fitK(data.keystrokeWindows) : null,
      m: channels.mouse && data.mouseActions.length >= MOUSE_BATCH ? fitM(data.mouseActions) : null,
    };
  }
  toJSON(p: DoubleProfile): unknown {
    return { kind: 'double', p };
  }
  fromJSON(json: unknown): DoubleProfile {
    const o = json as { kind?: unknown; p?: DoubleProfile };
    if (o?.kind !== 'double' || !o.p) throw new TypeError('not a double profile');
    return o.p;
  }
  startSession(p: DoubleProfile, o: SessionOptions): TrustSessionPort {
    const s = new DoubleSession(p, LOCK_BELOW[o.sensitivity] + (o.scrutiny ? 10 : 0));
    this.sessions.push(s);
    return s;
  }
  acceptsChallengeRhythm(p: DoubleProfile, windows: readonly KeystrokeWindow[]): boolean {
    return p.k !== null && keystrokeDistance(p.k, mergeKeystrokeWindows(windows)) <= p.k.threshold;
  }
  adapt(p: DoubleProfile, accepted: EnrolmentData, rate: number): DoubleProfile {
    this.adaptCalls++;
    const out: DoubleProfile = structuredClone(p);
    if (out.k && accepted.keystrokeWindows.length > 0) {
      const m = mergeKeystrokeWindows(accepted.keystrokeWindows);
      for (const [src, st] of [
        [m.holds, out.k.holds],
        [m.dd, out.k.dd],
      ] as const) {
        for (const [id, v] of Object.entries(src)) {
          const s = st[id];
          if (!s) continue;
          const mean = v.reduce((a, b) => a + b, 0) / v.length;
          s[0] += rate * (mean - s[0]);
        }
      }
    }
    return out;
  }
}

/** Acceptance of each window on its own by a profile (for the adaptation test). */
export function acceptanceRate(p: DoubleProfile, windows: readonly KeystrokeWindow[]): number {
  const k = p.k!;
  return windows.filter((w) => keystrokeDistance(k, w) <= k.threshold).length / windows.length;
}
