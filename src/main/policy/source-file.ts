import * as fs from 'node:fs';
import type { MachinePolicySource, SourceRead } from './source';

/**
 * A JSON policy file: Linux's /etc/cadence/policy.json, and
 * $CADENCE_POLICY_FILE on any platform (tests, unusual deployments).
 */

export const LINUX_POLICY_FILE = '/etc/cadence/policy.json';
/** A policy is a dozen keys; anything this big is not one. */
const MAX_BYTES = 64 * 1024;

/** Line and column (1-based) of a character offset, for JSON syntax errors. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parses policy JSON text; syntax errors name the line and column. */
export function parsePolicyJson(text: string, name: string): SourceRead {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // BOM from Windows editors
  if (body.trim() === '') return { kind: 'error', problems: [`${name}: the file is empty; write {} for a policy that sets nothing`] };
  try {
    return { kind: 'value', value: JSON.parse(body) as unknown };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = /at position (\d+)/.exec(message);
    if (pos) {
      const { line, column } = lineColumn(body, Number(pos[1]));
      const what = message.replace(/ in JSON at position \d+.*$/, '').replace(/ at position \d+.*$/, '');
      return { kind: 'error', problems: [`${name} line ${line} column ${column}: not valid JSON: ${what} (JSON has no comments or trailing commas)`] };
    }
    return { kind: 'error', problems: [`${name}: not valid JSON: ${message}`] };
  }
}

export function readPolicyFile(file: string): SourceRead {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return { kind: 'error', problems: [`${file}: is not a regular file`] };
    if (st.size > MAX_BYTES) return { kind: 'error', problems: [`${file}: is ${st.size} bytes; a policy file is at most ${MAX_BYTES}`] };
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'error', problems: [`${file}: cannot be read (${e.code ?? e.message}); it must be readable by every user (e.g. chmod 644)`] };
  }
  return parsePolicyJson(text, file);
}

export function filePolicySource(file: string): MachinePolicySource {
  return { name: file, watchPath: file, read: () => readPolicyFile(file) };
}
