import * as fs from 'node:fs';
import * as path from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { dataDir, databasePath } from '../paths';
import { Store } from '../store/store';
import type { AuditRecord } from '../store/store';
import { DatabaseCorruptError } from '../store/open-database';

/**
 * `cadence audit verify` and `cadence audit export`.
 *
 * Both open the database READ-ONLY: checking the log must not change it, and
 * it works while the agent runs (WAL lets readers and the writer coexist).
 *
 * Exit codes: 0 the log is intact; 1 it was tampered with or the database is
 * damaged (export still writes what exists, then exits 1 so a SIEM job
 * notices); 2 the check could not run (bad flags, no database, a database
 * from a newer Cadence).
 */

export const EXIT_OK = 0;
export const EXIT_TAMPERED = 1;
export const EXIT_CANNOT_CHECK = 2;

export interface AuditIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: AuditIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

export interface VerifyOptions {
  readonly dataDir: string;
}

export interface ExportOptions {
  readonly dataDir: string;
  readonly format: string;
  readonly output?: string;
  readonly since?: string;
}

/** One exported event: what a SIEM ingests. Payloads are flat scalars by construction; they never hold key data. */
export interface ExportedEvent {
  readonly seq: number;
  /** ISO 8601, UTC. */
  readonly time: string;
  /** Epoch ms, the value the hash covers. */
  readonly t: number;
  readonly type: string;
  readonly payload: Readonly<Record<string, string | number | boolean | null>>;
  readonly prevHash: string;
  readonly hash: string;
}

export function toExported(r: AuditRecord): ExportedEvent {
  return { seq: r.seq, time: new Date(r.t).toISOString(), t: r.t, type: r.type, payload: r.payload, prevHash: r.prevHash, hash: r.hash };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** Parses --since; a time of day must carry its zone so the cut-off is not machine-dependent. */
export function parseSince(value: string): { ok: true; ms: number } | { ok: false; message: string } {
  const example = 'e.g. 2026-11-28 or 2026-11-28T09:00:00Z';
  if (!ISO_TIME.test(value)) {
    const hint = /T\d{2}:\d{2}/.test(value) ? ' (a time needs its zone: Z or +01:00)' : '';
    return { ok: false, message: `--since must be an ISO 8601 date or time${hint}, ${example}; got ${JSON.stringify(value)}` };
  }
  const ms = Date.parse(value);
  // Date.parse rolls 2026-02-31 over to March; a date must exist as written.
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  if (Number.isNaN(ms) || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return { ok: false, message: `--since is not a real date: ${JSON.stringify(value)} (${example})` };
  return { ok: true, ms };
}

function openReadonly(dir: string, io: AuditIo, cmd: string): Store | number {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    io.err(`cadence audit ${cmd}: the data folder ${dir} does not exist; pass --data-dir with the folder that holds ${path.basename(databasePath(dir))}\n`);
    return EXIT_CANNOT_CHECK;
  }
  if (!st.isDirectory()) {
    io.err(`cadence audit ${cmd}: --data-dir ${dir} is not a folder\n`);
    return EXIT_CANNOT_CHECK;
  }
  try {
    return Store.open({ path: databasePath(dir), readonly: true });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.err(`cadence audit ${cmd}: ${message}\n`);
    return err instanceof DatabaseCorruptError ? EXIT_TAMPERED : EXIT_CANNOT_CHECK;
  }
}

export function auditVerify(opts: VerifyOptions, io: AuditIo = processIo): number {
  const store = openReadonly(opts.dataDir, io, 'verify');
  if (typeof store === 'number') return store;
  try {
    const v = store.verifyAudit();
    if (v.ok) {
      io.out(`audit log intact: ${v.rows} event${v.rows === 1 ? '' : 's'}, head seq ${v.headSeq}, head hash ${v.headHash}\n`);
      return EXIT_OK;
    }
    io.err(
      `cadence audit verify: TAMPERED: ${v.message}. First bad seq: ${v.firstBadSeq} (${v.problem}; ${v.rows} event${v.rows === 1 ? '' : 's'} before it are intact). ` +
        `Keep a copy of ${store.path} for investigation and compare with the events your SIEM received.\n`,
    );
    return EXIT_TAMPERED;
  } finally {
    store.close();
  }
}

function writeAtomically(file: string, text: string): void {
  // A SIEM collector watching the folder must never pick up half a file.
  const tmp = `${file}.partial-${process.pid}`;
  try {
    fs.writeFileSync(tmp, text, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

export function auditExport(opts: ExportOptions, io: AuditIo = processIo): number {
  if (opts.format !== 'jsonl') {
    io.err(`cadence audit export: --format must be jsonl, got ${JSON.stringify(opts.format)}\n`);
    return EXIT_CANNOT_CHECK;
  }
  let sinceMs: number | undefined;
  if (opts.since !== undefined) {
    const s = parseSince(opts.since);
    if (!s.ok) {
      io.err(`cadence audit export: ${s.message}\n`);
      return EXIT_CANNOT_CHECK;
    }
    sinceMs = s.ms;
  }
  if (opts.output !== undefined) {
    const parent = path.dirname(path.resolve(opts.output));
    if (!fs.existsSync(parent)) {
      io.err(`cadence audit export: cannot write --output ${opts.output}: the folder ${parent} does not exist\n`);
      return EXIT_CANNOT_CHECK;
    }
  }
  const store = openReadonly(opts.dataDir, io, 'export');
  if (typeof store === 'number') return store;
  let events: AuditRecord[];
  let verdict;
  try {
    // One read transaction: the events and the verdict describe the same snapshot.
    [events, verdict] = store.transaction(() => [store.auditEvents(sinceMs === undefined ? {} : { sinceMs }), store.verifyAudit()] as const);
  } finally {
    store.close();
  }
  const text = events.map((e) => JSON.stringify(toExported(e)) + '\n').join('');
  if (opts.output === undefined) io.out(text);
  else {
    try {
      writeAtomically(opts.output, text);
    } catch (err) {
      io.err(`cadence audit export: cannot write --output ${opts.output}: ${err instanceof Error ? err.message : String(err)}\n`);
      return EXIT_CANNOT_CHECK;
    }
    io.err(`cadence audit export: wrote ${events.length} event${events.length === 1 ? '' : 's'} to ${opts.output}\n`);
  }
  if (!verdict.ok) {
    io.err(`cadence audit export: WARNING: the exported log is not intact: ${verdict.message} (first bad seq ${verdict.firstBadSeq}); run \`cadence audit verify\`\n`);
    return EXIT_TAMPERED;
  }
  return EXIT_OK;
}

export function registerAudit(program: Command): void {
  const audit = program
    .command('audit')
    .description('Check or export the hash-chained audit log (state changes, challenges, locks, policy changes, capture outages; never key data).');
  const dataDirOption = (): Option => new Option('--data-dir <dir>', 'the Cadence data folder ($CADENCE_DATA_DIR, else the per-user folder)').default(dataDir(), dataDir());

  audit
    .command('verify')
    .description('Check that no audit event was edited, deleted or cut off. Exit 0 intact, 1 tampered or damaged, 2 cannot check.')
    .addOption(dataDirOption())
    .action((flags: { dataDir: string }) => {
      process.exitCode = auditVerify({ dataDir: flags.dataDir });
    });

  audit
    .command('export')
    .description('Write audit events as JSON lines (seq, time, type, payload, prevHash, hash) for a SIEM. Exit 1 if the log is not intact.')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl']).default('jsonl'))
    .option('--output <file>', 'write to this file (replaced atomically) instead of standard output')
    .option('--since <time>', 'only events at or after this ISO 8601 date or time, e.g. 2026-11-28T09:00:00Z')
    .addOption(dataDirOption())
    .action((flags: { dataDir: string; format: string; output?: string; since?: string }) => {
      process.exitCode = auditExport(flags);
    });
}
