import { createHash } from 'node:crypto';

/**
 * The audit log's hash chain: what a row's hash covers, and how a sequence of
 * rows is checked. No SQL here; the store feeds rows in seq order.
 *
 * What the chain proves, honestly: any edit, deletion or reordering of rows
 * made without recomputing the hashes is detected, and so is cutting rows off
 * the end (the store keeps the head seq/hash in a separate row). What it does
 * NOT prove: someone with write access to the database file can recompute the
 * whole chain, because there is no key outside the file. The defence for
 * that is shipping events off the machine (`cadence audit export`, which
 * includes every hash): a SIEM that holds an earlier hash detects a rewritten
 * history.
 */

export const GENESIS_HASH = '0'.repeat(64);

/** A payload is a flat object of scalars: this keeps feature windows (nested lists) out of the audit log by construction. */
export type AuditValue = string | number | boolean | null;
export type AuditPayload = Readonly<Record<string, AuditValue>>;

export const AUDIT_TYPE_PATTERN = /^[a-z][a-z0-9.-]{0,63}$/;
const MAX_STRING = 2000;
const MAX_KEYS = 64;

/** Validates a payload and returns its canonical JSON (keys sorted), the exact text stored and hashed. */
export function canonicalPayload(payload: unknown): string {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new TypeError('audit payload must be a plain object of scalars');
  }
  const keys = Object.keys(payload).sort();
  if (keys.length > MAX_KEYS) throw new RangeError(`audit payload has ${keys.length} keys; at most ${MAX_KEYS}`);
  const out: Record<string, AuditValue> = {};
  for (const k of keys) {
    const v = (payload as Record<string, unknown>)[k];
    if (v === undefined) continue; // like JSON.stringify: an absent optional field
    if (typeof v === 'string') {
      if (v.length > MAX_STRING) throw new RangeError(`audit payload "${k}" is ${v.length} characters; at most ${MAX_STRING}`);
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new RangeError(`audit payload "${k}" must be a finite number, got ${v}`);
    } else if (typeof v !== 'boolean' && v !== null) {
      throw new TypeError(`audit payload "${k}" must be a string, number, boolean or null, got ${Array.isArray(v) ? 'array' : typeof v}`);
    }
    out[k] = v as AuditValue;
  }
  return JSON.stringify(out);
}

export interface ChainRow {
  readonly seq: number;
  readonly t: number;
  readonly type: string;
  /** The stored canonical JSON text. */
  readonly payload: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** SHA-256 over the previous hash and the row; JSON of an array of scalars is deterministic. */
export function rowHash(prevHash: string, seq: number, t: number, type: string, payloadText: string): string {
  return createHash('sha256').update(prevHash, 'utf8').update('\n', 'utf8').update(JSON.stringify([seq, t, type, payloadText]), 'utf8').digest('hex');
}

export type AuditProblem = 'edited' | 'deleted' | 'truncated' | 'head-missing';

export type AuditVerdict =
  | { readonly ok: true; readonly rows: number; readonly headSeq: number; readonly headHash: string }
  | {
      readonly ok: false;
      /** Rows read before the problem was found. */
      readonly rows: number;
      /** The first seq that is wrong or missing. */
      readonly firstBadSeq: number;
      readonly problem: AuditProblem;
      /** One line: which row and why. */
      readonly message: string;
    };

export interface Head {
  readonly seq: number;
  readonly hash: string;
}

/**
 * Checks rows given in ascending seq order against each other and against the
 * recorded head. Stops at the first problem: after one, later rows prove
 * nothing more.
 */
export function verifyChain(rows: Iterable<ChainRow>, head: Head | null): AuditVerdict {
  let prevHash = GENESIS_HASH;
  let expected = 1;
  let n = 0;
  const bad = (firstBadSeq: number, problem: AuditProblem, message: string): AuditVerdict => ({ ok: false, rows: n, firstBadSeq, problem, message });
  for (const r of rows) {
    if (r.seq !== expected) {
      if (r.seq > expected) {
        const span = r.seq - expected === 1 ? `seq ${expected} is missing` : `seqs ${expected}..${r.seq - 1} are missing`;
        return bad(expected, 'deleted', `audit log: ${span} (rows were deleted)`);
      }
      return bad(r.seq, 'edited', `audit log: seq ${r.seq} appears out of order after seq ${expected - 1}`);
    }
    if (rowHash(r.prevHash, r.seq, r.t, r.type, r.payload) !== r.hash) {
      return bad(r.seq, 'edited', `audit log: seq ${r.seq} was changed after it was written (its content no longer matches its hash)`);
    }
    if (r.prevHash !== prevHash) {
      // The row itself is consistent, so its predecessor was rewritten with a
      // recomputed hash (or replaced): the earlier row is the first bad one.
      if (r.seq === 1) return bad(1, 'edited', 'audit log: seq 1 does not start the chain (its prev_hash is not the genesis hash)');
      return bad(r.seq - 1, 'edited', `audit log: seq ${r.seq - 1} was rewritten (seq ${r.seq} no longer links to its hash)`);
    }
    prevHash = r.hash;
    expected += 1;
    n += 1;
  }
  const lastSeq = expected - 1;
  if (head === null) {
    if (n === 0) return { ok: true, rows: 0, headSeq: 0, headHash: GENESIS_HASH };
    return bad(1, 'head-missing', `audit log: the head record is missing while ${n} rows exist (it was deleted)`);
  }
  if (head.seq > lastSeq) {
    const span = head.seq - lastSeq === 1 ? `seq ${head.seq} is missing` : `seqs ${lastSeq + 1}..${head.seq} are missing`;
    return bad(lastSeq + 1, 'truncated', `audit log: the end was cut off: ${span} (the head record says ${head.seq})`);
  }
  if (head.seq < lastSeq) {
    return bad(head.seq + 1, 'edited', `audit log: seqs ${head.seq + 1}..${lastSeq} were added outside the store (the head record says ${head.seq})`);
  }
  if (head.hash !== prevHash) {
    return bad(lastSeq, 'edited', `audit log: seq ${lastSeq} was rewritten (its hash differs from the head record)`);
  }
  return { ok: true, rows: n, headSeq: lastSeq, headHash: prevHash };
}
