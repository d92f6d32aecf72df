import fs from 'node:fs';
import path from 'node:path';
import { csvRows } from './readers/csv-rows';
import { InputFileError } from './readers/input-error';

export type ManifestRole = 'enroll' | 'genuine' | 'impostor';

export interface SubjectFiles {
  readonly subject: string;
  readonly enroll: string[];
  readonly genuine: string[];
  readonly impostor: string[];
}

export interface Manifest {
  readonly file: string;
  /** In order of first appearance in the manifest. */
  readonly subjects: readonly SubjectFiles[];
  /** Distinct files named, absolute. */
  readonly files: readonly string[];
}

const ROLES = new Set<string>(['enroll', 'genuine', 'impostor']);

/**
 * Reads the manifest CSV `subject,role,path`. Paths are relative to the
 * manifest's folder. Every problem is an error naming the manifest line:
 * unknown role, empty cell, a file that does not exist, a subject with test
 * files but nothing to enrol from, a file listed twice for one subject.
 */
export function readManifest(file: string): Manifest {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputFileError(file, null, `cannot read the manifest: ${(err as Error).message}`);
  }
  const rows = csvRows(text, file, ',', true);
  const header = rows[0]?.cells.map((c) => c.toLowerCase());
  if (!header || header.join(',') !== 'subject,role,path') {
    throw new InputFileError(file, rows[0]?.line ?? 1, `the manifest must start with the header subject,role,path (found ${JSON.stringify(header?.join(',') ?? '')})`);
  }
  const dir = path.dirname(path.resolve(file));
  const bySubject = new Map<string, SubjectFiles & { lines: Map<string, number> }>();
  const files = new Set<string>();
  for (const row of rows.slice(1)) {
    if (row.cells.length !== 3) throw new InputFileError(file, row.line, `expected 3 columns (subject,role,path), found ${row.cells.length}`);
    const [subject, role, rel] = row.cells as [string, string, string];
    if (subject === '') throw new InputFileError(file, row.line, 'subject is empty');
    if (!ROLES.has(role)) throw new InputFileError(file, row.line, `role ${JSON.stringify(role)} is not one of enroll, genuine, impostor`);
    if (rel === '') throw new InputFileError(file, row.line, 'path is empty');
    const abs = path.resolve(dir, rel);
    if (!fs.existsSync(abs)) throw new InputFileError(file, row.line, `file ${rel} not found (looked for ${abs}; paths are relative to the manifest)`);
    let s = bySubject.get(subject);
    if (!s) bySubject.set(subject, (s = { subject, enroll: [], genuine: [], impostor: [], lines: new Map() }));
    const seen = s.lines.get(abs);
    if (seen !== undefined) throw new InputFileError(file, row.line, `${rel} is already listed for subject ${subject} on line ${seen}`);
    s.lines.set(abs, row.line);
    s[role as ManifestRole].push(abs);
    files.add(abs);
  }
  if (bySubject.size === 0) throw new InputFileError(file, null, 'the manifest lists no files');
  for (const s of bySubject.values()) {
    if (s.enroll.length === 0) throw new InputFileError(file, null, `subject ${s.subject} has no enroll file: a profile cannot be fitted`);
    if (s.genuine.length === 0 && s.impostor.length === 0) throw new InputFileError(file, null, `subject ${s.subject} has no genuine or impostor file to test`);
  }
  return {
    file,
    subjects: [...bySubject.values()].map(({ subject, enroll, genuine, impostor }) => ({ subject, enroll, genuine, impostor })),
    files: [...files],
  };
}
