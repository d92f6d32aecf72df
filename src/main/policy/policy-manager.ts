import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePolicyInput, DEFAULT_POLICY } from './schema';
import type { Policy, PolicyInput } from './schema';
import { resolvePolicy } from './resolve';
import { machinePolicySource } from './machine-source';
import type { MachinePolicySource } from './source';

/**
 * Loads, validates and watches the machine policy, and keeps the last good
 * one when a new one is bad.
 *
 * The last good machine policy is persisted (the store's agent_state table),
 * so a policy file broken while the agent was stopped does not drop the
 * machine to defaults at the next start: IT's stricter settings stay in
 * force until IT fixes the file.
 */

/** Where the last good machine policy is kept in the store. */
export const LAST_GOOD_KEY = 'policy.last-good';

/** The store satisfies this (Store.getState / Store.setState). */
export interface PolicyPersistence {
  getState(key: string): unknown | null;
  setState(key: string, value: unknown): void;
}

export interface EffectivePolicy extends Policy {
  /** Where the machine part came from: the source name, "defaults", or "<name> (last good, ...)" when a bad one was rejected. */
  readonly source: string;
}

export interface PolicyLoad {
  /** Epoch ms of this load. */
  readonly at: number;
  readonly policy: EffectivePolicy;
  /** The effective policy differs from the one before this load. */
  readonly changed: boolean;
  /** Everything wrong with the source, one line each, naming file/key; empty when it was good. */
  readonly problems: readonly string[];
  /** When the source was bad: what is in force instead. */
  readonly kept: 'last-good' | 'defaults' | null;
  /** User settings ignored because they would weaken machine policy. */
  readonly notes: readonly string[];
}

export interface PolicyManagerOptions {
  readonly source?: MachinePolicySource;
  /** Null: nothing survives a restart (tests of the in-memory path). */
  readonly persistence?: PolicyPersistence | null;
  /** The user's own settings (same keys; validated here). */
  readonly userSettings?: unknown;
  readonly now?: () => number;
}

export interface WatchOptions {
  /** Quiet time after the last change before reloading (editors write in several steps), ms. */
  readonly debounceMs?: number;
  /** Poll interval when there is no file to watch (registry) or its folder does not exist yet, ms. */
  readonly pollMs?: number;
}

export interface Disposable {
  dispose(): void;
}

interface LastGood {
  machine: PolicyInput | null;
  source: string;
  savedAt: number;
}

function same(a: Policy, b: Policy): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class PolicyManager implements Disposable {
  private readonly source: MachinePolicySource;
  private readonly persistence: PolicyPersistence | null;
  private readonly now: () => number;
  private lastGood: LastGood | null = null;
  private user: PolicyInput | null = null;
  private effective: EffectivePolicy;
  private lastLoad: PolicyLoad;
  private readonly changeListeners = new Set<(policy: EffectivePolicy, previous: EffectivePolicy) => void>();
  private readonly problemListeners = new Set<(load: PolicyLoad) => void>();
  private readonly watchers = new Set<Disposable>();

  /** Restores the persisted last good policy, then loads the source once (see `lastResult()` for its problems). */
  constructor(opts: PolicyManagerOptions = {}) {
    this.source = opts.source ?? machinePolicySource();
    this.persistence = opts.persistence ?? null;
    this.now = opts.now ?? Date.now;
    this.lastGood = this.restoreLastGood();
    if (opts.userSettings !== undefined) {
      const parsed = parsePolicyInput(opts.userSettings);
      // Bad user settings at construction are dropped; setUserSettings reports them to the caller.
      this.user = parsed.ok ? parsed.input : null;
    }
    this.effective = { ...DEFAULT_POLICY, source: 'defaults' };
    this.lastLoad = this.load();
  }

  /** The policy in force. */
  current(): EffectivePolicy {
    return this.effective;
  }

  /** The most recent load, with its problems. */
  lastResult(): PolicyLoad {
    return this.lastLoad;
  }

  /**
   * Listeners run after the policy in force changed, including only its
   * `source` (a rejected file relabels the kept policy "last good"), so the
   * UI never shows a stale origin. Returns an unsubscribe function.
   */
  onChange(listener: (policy: EffectivePolicy, previous: EffectivePolicy) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Listeners run on every load that found problems (the previous policy stays in force). */
  onProblems(listener: (load: PolicyLoad) => void): () => void {
    this.problemListeners.add(listener);
    return () => this.problemListeners.delete(listener);
  }

  /**
   * Replaces the user's settings. Returns the problems (key named) when they
   * are invalid, in which case nothing changes; otherwise the notes about
   * settings ignored because machine policy is stricter.
   */
  setUserSettings(raw: unknown): { ok: boolean; problems: string[]; notes: string[] } {
    const parsed = parsePolicyInput(raw);
    if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => `user settings: ${p}`), notes: [] };
    this.user = parsed.input;
    const load = this.apply(this.lastGood, [], null);
    return { ok: true, problems: [], notes: [...load.notes] };
  }

  /** Reads and validates the source now. A bad source leaves the last good policy in force. */
  load(): PolicyLoad {
    const read = this.source.read();
    if (read.kind === 'absent') return this.accept({ machine: null, source: 'defaults', savedAt: this.now() });
    if (read.kind === 'error') return this.reject([...read.problems]);
    const parsed = parsePolicyInput(read.value);
    if (!parsed.ok) return this.reject(parsed.problems.map((p) => `${this.source.name}: ${p}`));
    return this.accept({ machine: parsed.input, source: this.source.name, savedAt: this.now() });
  }

  private accept(good: LastGood): PolicyLoad {
    const previous = this.lastGood;
    const unchanged = previous !== null && previous.source === good.source && JSON.stringify(previous.machine) === JSON.stringify(good.machine);
    // Unchanged: keep the first acceptance time, and do not write on every reload.
    const kept = unchanged ? previous : good;
    this.lastGood = kept;
    if (!unchanged) this.persistence?.setState(LAST_GOOD_KEY, kept);
    return this.apply(kept, [], null);
  }

  private reject(problems: string[]): PolicyLoad {
    return this.apply(this.lastGood, problems, this.lastGood ? 'last-good' : 'defaults');
  }

  private apply(good: LastGood | null, problems: string[], kept: PolicyLoad['kept']): PolicyLoad {
    const resolved = resolvePolicy(good?.machine ?? null, this.user);
    let source = good?.source ?? 'defaults';
    if (kept === 'last-good' && good) source = `${good.source} (last good policy, from ${new Date(good.savedAt).toISOString()})`;
    const next: EffectivePolicy = { ...resolved.policy, source };
    const previous = this.effective;
    const changed = !same(previous, next);
    this.effective = next;
    const load: PolicyLoad = { at: this.now(), policy: next, changed, problems, kept, notes: resolved.notes };
    this.lastLoad = load;
    if (changed) for (const l of [...this.changeListeners]) l(next, previous);
    if (problems.length > 0) for (const l of [...this.problemListeners]) l(load);
    return load;
  }

  private restoreLastGood(): LastGood | null {
    const raw = this.persistence?.getState(LAST_GOOD_KEY);
    if (raw === null || raw === undefined || typeof raw !== 'object') return null;
    const r = raw as Partial<LastGood>;
    if (typeof r.source !== 'string' || typeof r.savedAt !== 'number') return null;
    if (r.machine === null) return { machine: null, source: r.source, savedAt: r.savedAt };
    // It came from disk: validate like any other source; an unusable copy counts as none.
    const parsed = parsePolicyInput(r.machine);
    return parsed.ok ? { machine: parsed.input, source: r.source, savedAt: r.savedAt } : null;
  }

  /**
   * Reloads when the source changes: fs.watch on the file's folder (editors
   * and config tools replace the file, which a watch on the file itself
   * would miss), debounced; a stat poll while that folder does not exist; a
   * timer for sources without a file (the registry).
   */
  watch(opts: WatchOptions = {}): Disposable {
    const debounceMs = opts.debounceMs ?? 250;
    const pollMs = opts.pollMs ?? 60_000;
    let timer: NodeJS.Timeout | null = null;
    let disposed = false;
    const schedule = (): void => {
      if (disposed) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        if (!disposed) this.load();
      }, debounceMs);
    };
    const cleanups: (() => void)[] = [];
    const file = this.source.watchPath;
    if (file === null) {
      const interval = setInterval(schedule, pollMs);
      cleanups.push(() => clearInterval(interval));
    } else {
      const dir = path.dirname(file);
      const base = path.basename(file);
      const pollFile = (): void => {
        const listener = (): void => schedule();
        fs.watchFile(file, { interval: Math.min(pollMs, 5000), persistent: true }, listener);
        cleanups.push(() => fs.unwatchFile(file, listener));
      };
      try {
        const w = fs.watch(dir, { persistent: true }, (_event, name) => {
          if (name === null || name.toString() === base) schedule();
        });
        w.on('error', () => {
          // The folder went away: fall back to polling the file.
          w.close();
          if (!disposed) pollFile();
        });
        cleanups.push(() => w.close());
      } catch {
        pollFile();
      }
    }
    const handle: Disposable = {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        if (timer) clearTimeout(timer);
        for (const c of cleanups) c();
        this.watchers.delete(handle);
      },
    };
    this.watchers.add(handle);
    return handle;
  }

  /** Stops every watch and drops listeners. */
  dispose(): void {
    for (const w of [...this.watchers]) w.dispose();
    this.changeListeners.clear();
    this.problemListeners.clear();
  }
}
