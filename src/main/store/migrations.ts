import type { Database } from 'better-sqlite3';

/**
 * The schema, as a numbered list of steps (Signal-Desktop style). Each step
 * moves the database from `version - 1` to `version`; `openStore` runs every
 * pending step in ONE transaction and records the result in
 * `PRAGMA user_version`, so a crash mid-upgrade leaves the old version intact.
 *
 * Rules for adding a step: append, never edit a released one; STRICT tables
 * only; times are epoch milliseconds (INTEGER); JSON columns carry a
 * `json_valid` CHECK so a bad write fails at once instead of at read time.
 *
 * What the tables never hold: typed text, key codes, or keys in order. Feature
 * windows are order-free aggregates keyed by HMAC ids (src/model/keystroke-windows.ts,
 * src/main/capture/feature-keyer.ts).
 */
export interface Migration {
  readonly version: number;
  readonly up: (db: Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    up: (db) => {
      db.exec(`
        -- One row per keystroke feature window the capture process sent.
        -- 'enrolment' rows train the profile; 'live' rows were scored while protecting.
        CREATE TABLE keystroke_windows (
          id         INTEGER PRIMARY KEY,
          t          INTEGER NOT NULL,
          purpose    TEXT    NOT NULL CHECK (purpose IN ('enrolment', 'live')),
          keystrokes INTEGER NOT NULL CHECK (keystrokes >= 0),
          window     TEXT    NOT NULL CHECK (json_valid(window))
        ) STRICT;
        CREATE INDEX keystroke_windows_t ON keystroke_windows (t);
        CREATE INDEX keystroke_windows_purpose_t ON keystroke_windows (purpose, t);

        -- One row per mouse action: its type (MM, PC, DD) and its feature vector
        -- in the order of MOUSE_FEATURE_NAMES. Never the pointer path.
        CREATE TABLE mouse_actions (
          id      INTEGER PRIMARY KEY,
          t       INTEGER NOT NULL,
          purpose TEXT    NOT NULL CHECK (purpose IN ('enrolment', 'live')),
          type    TEXT    NOT NULL CHECK (type IN ('MM', 'PC', 'DD')),
          vals    TEXT    NOT NULL CHECK (json_valid(vals) AND json_type(vals) = 'array')
        ) STRICT;
        CREATE INDEX mouse_actions_t ON mouse_actions (t);
        CREATE INDEX mouse_actions_purpose_t ON mouse_actions (purpose, t);

        -- Fitted profiles, newest is current. 'format' is the model's own
        -- version of the blob, so a newer model can refuse or convert an old one.
        CREATE TABLE profiles (
          id         INTEGER PRIMARY KEY,
          created_at INTEGER NOT NULL,
          format     INTEGER NOT NULL CHECK (format >= 1),
          quality    TEXT    CHECK (quality IS NULL OR json_valid(quality)),
          profile    TEXT    NOT NULL CHECK (json_valid(profile))
        ) STRICT;

        -- Small key/value state that must survive kill -9 (engine state, last
        -- good policy). WAL + synchronous=NORMAL keeps every committed write
        -- across a process crash; only a power cut can lose the last ones.
        CREATE TABLE agent_state (
          key        TEXT    PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 128),
          value      TEXT    NOT NULL CHECK (json_valid(value)),
          updated_at INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;

        -- Engine decisions (state changes, challenges, locks, ...), for the UI
        -- and 'cadence status'. Each is also in the audit log.
        CREATE TABLE decisions (
          id         INTEGER PRIMARY KEY,
          t          INTEGER NOT NULL,
          kind       TEXT    NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
          reason     TEXT    NOT NULL,
          trust      REAL    CHECK (trust IS NULL OR trust BETWEEN 0 AND 100),
          from_state TEXT,
          to_state   TEXT,
          details    TEXT    CHECK (details IS NULL OR json_valid(details))
        ) STRICT;
        CREATE INDEX decisions_t ON decisions (t);

        CREATE TABLE trust_history (
          id    INTEGER PRIMARY KEY,
          t     INTEGER NOT NULL,
          trust REAL    NOT NULL CHECK (trust BETWEEN 0 AND 100)
        ) STRICT;
        CREATE INDEX trust_history_t ON trust_history (t);

        -- Spans when capture was wanted but not running (crashes, no display).
        CREATE TABLE capture_outages (
          id              INTEGER PRIMARY KEY,
          started_at      INTEGER NOT NULL,
          ended_at        INTEGER NOT NULL CHECK (ended_at >= started_at),
          reason          TEXT    NOT NULL,
          failed_attempts INTEGER NOT NULL CHECK (failed_attempts >= 0)
        ) STRICT;
        CREATE INDEX capture_outages_started_at ON capture_outages (started_at);

        -- The per-install secret of the HMAC feature ids; one row, created on
        -- first open (see Store.featureSecret for what it protects).
        CREATE TABLE install_secret (
          id         INTEGER PRIMARY KEY CHECK (id = 1),
          secret     BLOB    NOT NULL CHECK (length(secret) = 32),
          created_at INTEGER NOT NULL
        ) STRICT;

        -- Append-only, hash-chained audit log. seq is assigned by the store
        -- (last + 1), never reused. hash = SHA-256(prev_hash || row); see audit-chain.ts.
        CREATE TABLE audit_log (
          seq       INTEGER PRIMARY KEY CHECK (seq >= 1),
          t         INTEGER NOT NULL,
          type      TEXT    NOT NULL CHECK (length(type) BETWEEN 1 AND 64),
          payload   TEXT    NOT NULL CHECK (json_valid(payload) AND json_type(payload) = 'object'),
          prev_hash TEXT    NOT NULL CHECK (length(prev_hash) = 64),
          hash      TEXT    NOT NULL CHECK (length(hash) = 64)
        ) STRICT;
        CREATE INDEX audit_log_t ON audit_log (t);

        -- The newest audit row (seq, hash), written in the same transaction as
        -- each append, so removing rows from the end of the log is detectable.
        CREATE TABLE audit_head (
          id   INTEGER PRIMARY KEY CHECK (id = 1),
          seq  INTEGER NOT NULL CHECK (seq >= 1),
          hash TEXT    NOT NULL CHECK (length(hash) = 64)
        ) STRICT;

        -- Guards against our own bugs, not against an attacker (who can drop
        -- them): the store never updates or deletes audit rows.
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be changed'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted'); END;
      `);
    },
  },
];

export const LATEST_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Checks the list itself: versions 1, 2, 3, ... with no gap (a mistake here would corrupt every install). */
export function checkMigrationList(list: readonly Migration[] = MIGRATIONS): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list is broken: entry ${i} has version ${m.version}, expected ${i + 1}`);
  });
}

/**
 * Applies the steps after `user_version` in one IMMEDIATE transaction (so two
 * agents starting at once cannot both upgrade). Returns [from, to].
 */
export function migrate(db: Database, list: readonly Migration[] = MIGRATIONS): [number, number] {
  checkMigrationList(list);
  const latest = list.length;
  const run = db.transaction((): [number, number] => {
    const from = db.pragma('user_version', { simple: true }) as number;
    if (from > latest) {
      // openStore checks this before writing; this is the guard for callers that did not.
      throw new Error(`database schema version ${from} is newer than this build knows (${latest})`);
    }
    for (const m of list) if (m.version > from) m.up(db);
    if (from !== latest) db.pragma(`user_version = ${latest}`);
    return [from, latest];
  });
  return run.immediate();
}
