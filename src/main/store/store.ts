import { randomBytes } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { AgentState, DecisionView, TrustPoint } from '../api/agent-api';
import type { KeystrokeWindow } from '../../model/keystroke-windows';
import type { MouseActionFeatures } from '../../model/mouse-features';
import type { MouseActionType } from '../../model/mouse-actions';
import { AUDIT_TYPE_PATTERN, canonicalPayload, rowHash, verifyChain, GENESIS_HASH } from './audit-chain';
import type { AuditPayload, AuditValue, AuditVerdict, ChainRow } from './audit-chain';
import { openDatabase } from './open-database';
import type { OpenDatabaseOptions, Quarantine } from './open-database';

/**
 * The store: the ONE module that holds SQL. Everything else calls these typed
 * methods. better-sqlite3 is synchronous, which suits an agent writing a few
 * rows a second and makes every method a plain function with no interleaving.
 *
 * Callers that write several things that belong together (engine state plus
 * its audit entries) wrap them in `transaction()`, so a kill -9 never leaves
 * one without the other.
 */

export type FeaturePurpose = 'enrolment' | 'live';
export type DecisionKind = DecisionView['kind'];

export interface KeystrokeWindowRow {
  /** Epoch ms (when the window closed). */
  readonly t: number;
  readonly purpose: FeaturePurpose;
  readonly window: KeystrokeWindow;
}

export interface StoredKeystrokeWindow extends KeystrokeWindowRow {
  readonly id: number;
}

export interface MouseActionRow {
  readonly t: number;
  readonly purpose: FeaturePurpose;
  readonly action: MouseActionFeatures;
}

export interface StoredMouseAction extends MouseActionRow {
  readonly id: number;
}

export interface FeatureQuery {
  readonly purpose?: FeaturePurpose;
  /** Only rows with t >= sinceMs. */
  readonly sinceMs?: number;
  /** Newest `limit` rows (still returned oldest first). */
  readonly limit?: number;
}

export interface FeatureCounts {
  readonly keystrokeWindows: number;
  readonly keystrokes: number;
  readonly mouseActions: number;
}

export interface StoredProfile {
  readonly id: number;
  readonly createdAt: number;
  /** The model's version of the blob's format. */
  readonly format: number;
  readonly quality: unknown | null;
  readonly profile: unknown;
}

export type DecisionDetails = Readonly<Record<string, string | number | boolean>>;

/** One engine decision; also what `recentDecisions` returns. Plain words, never key data. */
export interface DecisionRecord {
  /** Epoch ms. */
  readonly t: number;
  readonly kind: DecisionKind;
  readonly reason: string;
  /** Trust at the time, 0..100, if known. */
  readonly trust?: number | null;
  readonly from?: AgentState;
  readonly to?: AgentState;
  readonly details?: DecisionDetails;
}

export interface OutageRecord {
  readonly start: number;
  readonly end: number;
  readonly reason: string;
  readonly failedAttempts: number;
}

export interface AuditRecord {
  readonly seq: number;
  /** Epoch ms. */
  readonly t: number;
  readonly type: string;
  readonly payload: AuditPayload;
  readonly prevHash: string;
  readonly hash: string;
}

export interface PruneResult {
  readonly cutoff: number;
  readonly keystrokeWindows: number;
  readonly mouseActions: number;
  readonly decisions: number;
  readonly trustPoints: number;
  readonly outages: number;
  readonly profiles: number;
}

export interface OpenReport {
  readonly path: string;
  /** The file was created now (first run, or after a quarantine). */
  readonly created: boolean;
  /** Set when a damaged database was moved aside; show `message` to the user. */
  readonly quarantine: Quarantine | null;
  readonly fromVersion: number;
  readonly toVersion: number;
}

export interface OpenStoreOptions extends OpenDatabaseOptions {
  /** The database file (paths.ts `databasePath(dataDir())`). */
  readonly path: string;
}

const MS_PER_DAY = 86_400_000;

function json(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what} cannot be stored: it is not JSON (got ${typeof value})`);
  return text;
}

function checkTime(t: number, what: string): void {
  if (!Number.isSafeInteger(t) || t < 0) throw new RangeError(`${what} must be epoch milliseconds (a whole number >= 0), got ${t}`);
}

/** Back to the model's shape: its id maps have no prototype, so an id can never hit an Object.prototype member. */
function parseWindow(text: string): KeystrokeWindow {
  const w = JSON.parse(text) as KeystrokeWindow;
  const bare = (m: KeystrokeWindow['holds']): KeystrokeWindow['holds'] => Object.assign(Object.create(null) as Record<string, readonly number[]>, m);
  return { keystrokes: w.keystrokes, durationMs: w.durationMs, holds: bare(w.holds), dd: bare(w.dd), ud: bare(w.ud) };
}

interface AuditDbRow {
  seq: number;
  t: number;
  type: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

function toChainRow(r: AuditDbRow): ChainRow {
  return { seq: r.seq, t: r.t, type: r.type, payload: r.payload, prevHash: r.prev_hash, hash: r.hash };
}

export class Store {
  readonly path: string;
  readonly report: OpenReport;
  readonly readonly: boolean;
  private readonly db: Database;
  private readonly now: () => number;
  private readonly stmts = new Map<string, Statement>();

  /**
   * Opens (creating, migrating, or quarantining and recreating) the database.
   * Throws DatabaseTooNewError (file untouched), DatabaseUnavailableError, or
   * with `readonly`, DatabaseCorruptError (read-only opens never move files).
   */
  static open(opts: OpenStoreOptions): Store {
    return new Store(opts);
  }

  private constructor(opts: OpenStoreOptions) {
    this.path = opts.path;
    this.now = opts.now ?? Date.now;
    this.readonly = opts.readonly ?? false;
    const opened = openDatabase(opts.path, opts);
    this.db = opened.db;
    this.report = {
      path: opts.path,
      created: opened.created,
      quarantine: opened.quarantine,
      fromVersion: opened.fromVersion,
      toVersion: opened.toVersion,
    };
    if (!this.readonly) this.ensureSecret();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** The connection's settings, for diagnostics (`cadence status`) and tests. */
  connectionSettings(): { journalMode: string; synchronous: 'off' | 'normal' | 'full' | 'extra'; foreignKeys: boolean } {
    const sync = this.db.pragma('synchronous', { simple: true }) as number;
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: (['off', 'normal', 'full', 'extra'] as const)[sync] ?? 'off',
      foreignKeys: this.db.pragma('foreign_keys', { simple: true }) === 1,
    };
  }

  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  private stmt(sql: string): Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  // ------------------------------------------------------------ secret

  /**
   * The per-install secret of the HMAC feature ids (32 random bytes, made on
   * first open).
   *
   * What it protects against: feature windows name keys and digraphs only by
   * HMAC id, so a copy of the windows (a leaked export, a backup, another
   * process reading a stray file) cannot be mapped back to keys by hashing the
   * hundred-odd key codes: that needs this secret. It also makes ids differ
   * between installs, so windows from two machines cannot be joined.
   *
   * What it does NOT protect against: anyone who can read this database file
   * has the secret too (it sits beside the windows), so for them the ids are
   * as good as plain key names. The file is protected by the OS user's file
   * permissions and disk encryption, nothing more. Frequency analysis of ids
   * (the most frequent hold id is probably space) works without the secret.
   */
  featureSecret(): Buffer {
    const row = this.stmt('SELECT secret FROM install_secret WHERE id = 1').get() as { secret: Buffer } | undefined;
    if (!row) throw new Error(`the database ${this.path} has no install secret yet; open it read-write once (start the agent)`);
    return Buffer.from(row.secret);
  }

  private ensureSecret(): void {
    this.stmt('INSERT INTO install_secret (id, secret, created_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING').run(randomBytes(32), this.now());
  }

  // ------------------------------------------------------------ features

  /** Inserts windows in one transaction. */
  addKeystrokeWindows(rows: readonly KeystrokeWindowRow[]): void {
    const ins = this.stmt('INSERT INTO keystroke_windows (t, purpose, keystrokes, window) VALUES (?, ?, ?, ?)');
    this.transaction(() => {
      for (const r of rows) {
        checkTime(r.t, 'keystroke window time');
        ins.run(r.t, r.purpose, r.window.keystrokes, json(r.window, 'keystroke window'));
      }
    });
  }

  keystrokeWindows(q: FeatureQuery = {}): StoredKeystrokeWindow[] {
    const rows = this.featureRows('keystroke_windows', 'window', q) as { id: number; t: number; purpose: FeaturePurpose; window: string }[];
    return rows.map((r) => ({ id: r.id, t: r.t, purpose: r.purpose, window: parseWindow(r.window) }));
  }

  addMouseActions(rows: readonly MouseActionRow[]): void {
    const ins = this.stmt('INSERT INTO mouse_actions (t, purpose, type, vals) VALUES (?, ?, ?, ?)');
    this.transaction(() => {
      for (const r of rows) {
        checkTime(r.t, 'mouse action time');
        if (!r.action.values.every((v) => Number.isFinite(v))) throw new RangeError('mouse action features must be finite numbers');
        ins.run(r.t, r.purpose, r.action.type, json(r.action.values, 'mouse action features'));
      }
    });
  }

  mouseActions(q: FeatureQuery = {}): StoredMouseAction[] {
    const rows = this.featureRows('mouse_actions', 'type, vals', q) as { id: number; t: number; purpose: FeaturePurpose; type: MouseActionType; vals: string }[];
    return rows.map((r) => ({ id: r.id, t: r.t, purpose: r.purpose, action: { type: r.type, values: JSON.parse(r.vals) as number[] } }));
  }

  private featureRows(table: 'keystroke_windows' | 'mouse_actions', cols: string, q: FeatureQuery): unknown[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.purpose !== undefined) {
      where.push('purpose = ?');
      args.push(q.purpose);
    }
    if (q.sinceMs !== undefined) {
      where.push('t >= ?');
      args.push(q.sinceMs);
    }
    const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    if (q.limit !== undefined) {
      if (!Number.isSafeInteger(q.limit) || q.limit < 0) throw new RangeError(`limit must be a whole number >= 0, got ${q.limit}`);
      const sql = `SELECT * FROM (SELECT id, t, purpose, ${cols} FROM ${table} ${w} ORDER BY t DESC, id DESC LIMIT ?) ORDER BY t, id`;
      return this.stmt(sql).all(...args, q.limit);
    }
    return this.stmt(`SELECT id, t, purpose, ${cols} FROM ${table} ${w} ORDER BY t, id`).all(...args);
  }

  featureCounts(purpose?: FeaturePurpose): FeatureCounts {
    const w = purpose === undefined ? '' : 'WHERE purpose = ?';
    const args = purpose === undefined ? [] : [purpose];
    const k = this.stmt(`SELECT count(*) AS n, coalesce(sum(keystrokes), 0) AS ks FROM keystroke_windows ${w}`).get(...args) as { n: number; ks: number };
    const m = this.stmt(`SELECT count(*) AS n FROM mouse_actions ${w}`).get(...args) as { n: number };
    return { keystrokeWindows: k.n, keystrokes: k.ks, mouseActions: m.n };
  }

  /** Deletes every feature row of one purpose (e.g. a restarted enrolment). Returns rows deleted. */
  clearFeatures(purpose: FeaturePurpose): number {
    return this.transaction(
      () =>
        this.stmt('DELETE FROM keystroke_windows WHERE purpose = ?').run(purpose).changes +
        this.stmt('DELETE FROM mouse_actions WHERE purpose = ?').run(purpose).changes,
    );
  }

  // ------------------------------------------------------------ profiles

  /** Saves a new profile version (older ones stay until pruned). Returns its id. */
  saveProfile(profile: unknown, opts: { format: number; quality?: unknown; t?: number }): number {
    const t = opts.t ?? this.now();
    checkTime(t, 'profile time');
    const quality = opts.quality === undefined || opts.quality === null ? null : json(opts.quality, 'profile quality');
    const r = this.stmt('INSERT INTO profiles (created_at, format, quality, profile) VALUES (?, ?, ?, ?)').run(t, opts.format, quality, json(profile, 'profile'));
    return Number(r.lastInsertRowid);
  }

  latestProfile(): StoredProfile | null {
    const r = this.stmt('SELECT id, created_at, format, quality, profile FROM profiles ORDER BY id DESC LIMIT 1').get() as
      | { id: number; created_at: number; format: number; quality: string | null; profile: string }
      | undefined;
    if (!r) return null;
    return { id: r.id, createdAt: r.created_at, format: r.format, quality: r.quality === null ? null : (JSON.parse(r.quality) as unknown), profile: JSON.parse(r.profile) as unknown };
  }

  // ------------------------------------------------------------ agent state

  /** The JSON value stored under `key`, or null. Callers validate it: it came from disk. */
  getState(key: string): unknown | null {
    const r = this.stmt('SELECT value FROM agent_state WHERE key = ?').get(key) as { value: string } | undefined;
    return r ? (JSON.parse(r.value) as unknown) : null;
  }

  setState(key: string, value: unknown): void {
    this.stmt('INSERT INTO agent_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at').run(
      key,
      json(value, `state "${key}"`),
      this.now(),
    );
  }

  deleteState(key: string): void {
    this.stmt('DELETE FROM agent_state WHERE key = ?').run(key);
  }

  // ------------------------------------------------------------ decisions, trust, outages

  /** Records a decision and its audit event (type = kind) in one transaction. */
  recordDecision(d: DecisionRecord): void {
    checkTime(d.t, 'decision time');
    const trust = d.trust ?? null;
    this.transaction(() => {
      this.stmt('INSERT INTO decisions (t, kind, reason, trust, from_state, to_state, details) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        d.t,
        d.kind,
        d.reason,
        trust,
        d.from ?? null,
        d.to ?? null,
        d.details === undefined ? null : canonicalPayload(d.details),
      );
      // Details first so the fixed fields cannot be overwritten by them.
      const payload: Record<string, AuditValue> = { ...(d.details ?? {}), reason: d.reason };
      if (trust !== null) payload.trust = trust;
      if (d.from !== undefined) payload.from = d.from;
      if (d.to !== undefined) payload.to = d.to;
      this.appendAudit(d.kind, payload, d.t);
    });
  }

  /** Newest first. */
  recentDecisions(limit: number): DecisionRecord[] {
    const rows = this.stmt('SELECT t, kind, reason, trust, from_state, to_state, details FROM decisions ORDER BY t DESC, id DESC LIMIT ?').all(limit) as {
      t: number;
      kind: DecisionKind;
      reason: string;
      trust: number | null;
      from_state: AgentState | null;
      to_state: AgentState | null;
      details: string | null;
    }[];
    return rows.map((r) => ({
      t: r.t,
      kind: r.kind,
      reason: r.reason,
      trust: r.trust,
      ...(r.from_state !== null ? { from: r.from_state } : {}),
      ...(r.to_state !== null ? { to: r.to_state } : {}),
      ...(r.details !== null ? { details: JSON.parse(r.details) as DecisionDetails } : {}),
    }));
  }

  /** Appends trust points in one transaction. */
  appendTrust(points: TrustPoint | readonly TrustPoint[]): void {
    const list: readonly TrustPoint[] = Array.isArray(points) ? points : [points as TrustPoint];
    const ins = this.stmt('INSERT INTO trust_history (t, trust) VALUES (?, ?)');
    this.transaction(() => {
      for (const p of list) {
        checkTime(p.t, 'trust time');
        ins.run(p.t, p.trust);
      }
    });
  }

  /** Oldest first. */
  trustSince(sinceMs: number): TrustPoint[] {
    return this.stmt('SELECT t, trust FROM trust_history WHERE t >= ? ORDER BY t, id').all(sinceMs) as TrustPoint[];
  }

  /** Records a capture outage and its audit event in one transaction. */
  recordOutage(o: OutageRecord): void {
    checkTime(o.start, 'outage start');
    checkTime(o.end, 'outage end');
    this.transaction(() => {
      this.stmt('INSERT INTO capture_outages (started_at, ended_at, reason, failed_attempts) VALUES (?, ?, ?, ?)').run(o.start, o.end, o.reason, o.failedAttempts);
      this.appendAudit('capture-outage', { start: o.start, end: o.end, reason: o.reason, failedAttempts: o.failedAttempts }, o.end);
    });
  }

  /** Outages that ended at or after `sinceMs`, oldest first. */
  outagesSince(sinceMs: number): OutageRecord[] {
    return this.stmt('SELECT started_at AS start, ended_at AS "end", reason, failed_attempts AS failedAttempts FROM capture_outages WHERE ended_at >= ? ORDER BY started_at, id').all(
      sinceMs,
    ) as OutageRecord[];
  }

  // ------------------------------------------------------------ audit

  /**
   * Appends one event. `payload` is a flat object of scalars (strings up to
   * 2000 characters): nested lists cannot be passed, so a feature window can
   * never end up in the audit log. Returns the new row's seq and hash.
   */
  appendAudit(type: string, payload: AuditPayload, t: number = this.now()): { seq: number; hash: string } {
    if (!AUDIT_TYPE_PATTERN.test(type)) throw new RangeError(`audit type must match ${AUDIT_TYPE_PATTERN}, got ${JSON.stringify(type)}`);
    checkTime(t, 'audit time');
    const text = canonicalPayload(payload);
    return this.transaction(() => {
      const head = this.stmt('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string } | undefined;
      const seq = (head?.seq ?? 0) + 1;
      const prev = head?.hash ?? GENESIS_HASH;
      const hash = rowHash(prev, seq, t, type, text);
      this.stmt('INSERT INTO audit_log (seq, t, type, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)').run(seq, t, type, text, prev, hash);
      this.stmt('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash').run(seq, hash);
      return { seq, hash };
    });
  }

  /** Events in seq order, optionally only those with t >= sinceMs and/or seq > afterSeq. */
  auditEvents(opts: { sinceMs?: number; afterSeq?: number } = {}): AuditRecord[] {
    const rows = this.stmt('SELECT seq, t, type, payload, prev_hash, hash FROM audit_log WHERE t >= ? AND seq > ? ORDER BY seq').all(
      opts.sinceMs ?? 0,
      opts.afterSeq ?? 0,
    ) as AuditDbRow[];
    return rows.map((r) => ({ seq: r.seq, t: r.t, type: r.type, payload: JSON.parse(r.payload) as AuditPayload, prevHash: r.prev_hash, hash: r.hash }));
  }

  /** Checks the whole chain and the head record; reports the first bad seq and why. */
  verifyAudit(): AuditVerdict {
    const head = this.stmt('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string } | undefined;
    const rows = this.stmt('SELECT seq, t, type, payload, prev_hash, hash FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditDbRow>;
    function* chain(): Generator<ChainRow> {
      for (const r of rows) yield toChainRow(r);
    }
    const it = chain();
    try {
      return verifyChain(it, head ?? null);
    } finally {
      it.return(undefined); // ends the statement if verification stopped early
    }
  }

  // ------------------------------------------------------------ retention

  /**
   * Deletes features, decisions, trust history, outages and superseded
   * profiles older than `retentionDays`, in one transaction, and audits what
   * it did. The newest profile is always kept (it is what protects the user).
   *
   * The audit log is never pruned: it is small (tens of rows a day, no key
   * data), it is the record that the other data was handled as policy says,
   * and a delete path in the store would be the first tool for hiding a
   * lock. An organisation that must expire it exports it to its SIEM and
   * starts a fresh database.
   */
  prune(retentionDays: number, now: number = this.now()): PruneResult {
    if (!Number.isFinite(retentionDays) || retentionDays <= 0) throw new RangeError(`retentionDays must be a positive number, got ${retentionDays}`);
    const cutoff = Math.floor(now - retentionDays * MS_PER_DAY);
    return this.transaction(() => {
      const result: PruneResult = {
        cutoff,
        keystrokeWindows: this.stmt('DELETE FROM keystroke_windows WHERE t < ?').run(cutoff).changes,
        mouseActions: this.stmt('DELETE FROM mouse_actions WHERE t < ?').run(cutoff).changes,
        decisions: this.stmt('DELETE FROM decisions WHERE t < ?').run(cutoff).changes,
        trustPoints: this.stmt('DELETE FROM trust_history WHERE t < ?').run(cutoff).changes,
        outages: this.stmt('DELETE FROM capture_outages WHERE ended_at < ?').run(cutoff).changes,
        profiles: this.stmt('DELETE FROM profiles WHERE created_at < ? AND id <> (SELECT max(id) FROM profiles)').run(cutoff).changes,
      };
      const total = result.keystrokeWindows + result.mouseActions + result.decisions + result.trustPoints + result.outages + result.profiles;
      if (total > 0) this.appendAudit('retention-pruned', { ...result, retentionDays }, now);
      return result;
    });
  }
}
