import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { LATEST_VERSION, migrate } from './migrations';

/**
 * Opening the database file safely. The order matters:
 *
 * 1. The 100-byte header is read with plain fs, before SQLite touches the
 *    file. A file from a newer Cadence is refused here, so it is never
 *    opened at all: opening read-write would switch it to WAL mode (rewriting
 *    header bytes 18-19), create -wal/-shm files, and a checkpoint on close
 *    would write pages. A file that is not SQLite is recognised here too.
 * 2. Only if a non-empty -wal file sits beside it (the newest page 1 may live
 *    there) is it opened READ-ONLY to read the WAL-aware user_version; a
 *    read-only connection never writes the main file.
 * 3. `PRAGMA quick_check` on a read-only connection. Damage moves the file
 *    (and its -wal/-shm) aside under a timestamped name and starts fresh.
 *    Errors that are not damage (locked, permission denied) are reported and
 *    nothing is moved: a busy database is not a corrupt one.
 * 4. Then, and only then, read-write: WAL, synchronous=NORMAL, foreign keys,
 *    and the pending migrations in one transaction.
 */

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 100;
/** Offset of the big-endian 32-bit user_version in the database header. */
const USER_VERSION_OFFSET = 60;

export class DatabaseTooNewError extends Error {
  override readonly name = 'DatabaseTooNewError';
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `the database ${file} was written by a newer Cadence (schema version ${found}; this build knows up to ${supported}). ` +
        'It was left untouched. Install the newer Cadence again to keep your profile, or move the file aside to start learning afresh.',
    );
  }
}

export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** Only for read-only opens (which never move files): the file is damaged. */
export class DatabaseCorruptError extends Error {
  override readonly name = 'DatabaseCorruptError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`the database ${file} is damaged (${reason}); start the agent once to move it aside and begin afresh`);
  }
}

export interface Quarantine {
  /** Why the file was judged damaged. */
  readonly reason: string;
  /** Where each file went (the database, and its -wal/-shm if present). */
  readonly moved: readonly { readonly from: string; readonly to: string }[];
  /** For people: what happened, where the file is, what happens next. */
  readonly message: string;
}

export interface OpenedDatabase {
  readonly db: Database.Database;
  /** The file did not exist (or was just quarantined) and was created. */
  readonly created: boolean;
  readonly quarantine: Quarantine | null;
  readonly fromVersion: number;
  readonly toVersion: number;
}

export interface OpenDatabaseOptions {
  readonly readonly?: boolean;
  /** How long to wait for another connection's write lock, ms. */
  readonly busyTimeoutMs?: number;
  /** For the quarantine name; tests pass a fixed clock. */
  readonly now?: () => number;
}

type Inspection = { kind: 'absent' } | { kind: 'ok' } | { kind: 'corrupt'; reason: string };

function readHeader(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEADER_BYTES);
    const n = fs.readSync(fd, buf, 0, HEADER_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

function nonEmpty(file: string): boolean {
  try {
    return fs.statSync(file).size > 0;
  } catch {
    return false;
  }
}

function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** SQLite result codes that mean the bytes are bad, as opposed to "cannot get at them now". */
function isDamage(err: unknown): boolean {
  const code = sqliteCode(err) ?? '';
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_FORMAT';
}

function unavailable(file: string, err: unknown): DatabaseUnavailableError {
  const code = sqliteCode(err);
  const detail = err instanceof Error ? err.message : String(err);
  const hint =
    code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED'
      ? 'another process holds it; is another Cadence agent running for this user?'
      : code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EPERM'
        ? 'check that the folder exists and that this user may read and write it'
        : 'nothing was changed';
  return new DatabaseUnavailableError(file, `cannot open the database ${file}: ${detail}${code ? ` (${code})` : ''}; ${hint}`);
}

/** Never writes: fs header read, then (if needed) a read-only SQLite connection. */
function inspect(file: string, latest: number): Inspection {
  let header: Buffer;
  try {
    header = readHeader(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw unavailable(file, err);
  }
  // A zero-length file is what SQLite itself creates before the first write: an empty database.
  if (header.length === 0) return { kind: 'ok' };
  if (header.length < HEADER_BYTES) return { kind: 'corrupt', reason: `file is ${header.length} bytes, shorter than a SQLite header` };
  if (!header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) return { kind: 'corrupt', reason: 'not a SQLite database (wrong header)' };
  const headerVersion = header.readInt32BE(USER_VERSION_OFFSET);
  if (headerVersion > latest) throw new DatabaseTooNewError(file, headerVersion, latest);

  let ro: Database.Database | undefined;
  try {
    ro = new Database(file, { readonly: true, fileMustExist: true });
    if (nonEmpty(`${file}-wal`)) {
      const walVersion = ro.pragma('user_version', { simple: true }) as number;
      if (walVersion > latest) throw new DatabaseTooNewError(file, walVersion, latest);
    }
    const rows = ro.pragma('quick_check') as { quick_check: string }[];
    const first = rows[0]?.quick_check;
    if (rows.length !== 1 || first !== 'ok') return { kind: 'corrupt', reason: `integrity check failed: ${first ?? 'no result'}` };
    return { kind: 'ok' };
  } catch (err) {
    if (err instanceof DatabaseTooNewError) throw err;
    if (isDamage(err)) return { kind: 'corrupt', reason: err instanceof Error ? err.message : String(err) };
    throw unavailable(file, err);
  } finally {
    ro?.close();
  }
}

function stamp(ms: number): string {
  // Colons are not allowed in Windows file names.
  return new Date(ms).toISOString().replace(/:/g, '-');
}

/** Renames the database and its -wal/-shm to `<file>.corrupt-<time>` (+ -wal/-shm), keeping SQLite's naming so they still open together. */
export function quarantineDatabase(file: string, reason: string, now: number): Quarantine {
  let base = `${file}.corrupt-${stamp(now)}`;
  for (let i = 1; fs.existsSync(base); i += 1) base = `${file}.corrupt-${stamp(now)}-${i}`;
  const moved: { from: string; to: string }[] = [];
  for (const suffix of ['', '-wal', '-shm']) {
    const from = file + suffix;
    if (!fs.existsSync(from)) continue;
    const to = base + suffix;
    fs.renameSync(from, to);
    moved.push({ from, to });
  }
  const message =
    `The Cadence database ${file} was damaged (${reason}). It was moved aside to ${base}` +
    `${moved.length > 1 ? ' (with its -wal/-shm files)' : ''}, not deleted, and a fresh database was started: ` +
    'Cadence will learn your typing again. Keep the moved file if you want to report the problem.';
  return { reason, moved, message };
}

function configure(db: Database.Database, file: string, readonly: boolean, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  db.pragma('foreign_keys = ON');
  if (readonly) return;
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new DatabaseUnavailableError(file, `cannot switch ${file} to WAL mode (got ${String(mode)}); is it on a network file system?`);
  // NORMAL in WAL mode: a committed transaction survives a process crash
  // (kill -9); only an OS crash or power cut can lose the last commits.
  db.pragma('synchronous = NORMAL');
}

export function openDatabase(file: string, opts: OpenDatabaseOptions = {}): OpenedDatabase {
  const readonly = opts.readonly ?? false;
  const busy = opts.busyTimeoutMs ?? 5000;
  const now = opts.now ?? Date.now;
  const latest = LATEST_VERSION;

  const found = inspect(file, latest);
  if (readonly) {
    if (found.kind === 'absent') {
      throw new DatabaseUnavailableError(file, `there is no Cadence database at ${file}; has the agent run for this user? (use --data-dir to point at another folder)`);
    }
    if (found.kind === 'corrupt') throw new DatabaseCorruptError(file, found.reason);
    let db: Database.Database;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
      configure(db, file, true, busy);
    } catch (err) {
      throw unavailable(file, err);
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < latest) {
      // Read-only opens never migrate; older tables may lack what the reader expects.
      db.close();
      const what = version === 0 ? 'is empty (never set up)' : `is at schema version ${version}, older than this build's ${latest}`;
      throw new DatabaseUnavailableError(file, `the database ${file} ${what}; start the agent once so it can set up or upgrade it, then try again`);
    }
    return { db, created: false, quarantine: null, fromVersion: version, toVersion: version };
  }

  let quarantine: Quarantine | null = null;
  if (found.kind === 'corrupt') quarantine = quarantineDatabase(file, found.reason, now());
  const created = found.kind !== 'ok';
  try {
    // 0700: the folder holds one person's behavioural profile; other local
    // accounts have no business listing or reading it. (Ignored on Windows,
    // where the per-user LOCALAPPDATA ACL does this job; an existing folder
    // keeps its mode.)
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw unavailable(file, err);
  }
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    throw unavailable(file, err);
  }
  try {
    configure(db, file, false, busy);
    const [fromVersion, toVersion] = migrate(db);
    return { db, created, quarantine, fromVersion, toVersion };
  } catch (err) {
    db.close();
    if (err instanceof DatabaseUnavailableError) throw err;
    throw unavailable(file, err);
  }
}
