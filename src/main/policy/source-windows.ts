import { spawnSync } from 'node:child_process';
import type { MachinePolicySource, SourceRead } from './source';

/**
 * Windows: Group Policy writes HKLM\Software\Policies\Cadence, read here with
 * `reg query` (no native module needed; the same approach as
 * mattermost/desktop's registry reader, minus the addon).
 *
 * UNTESTED ON WINDOWS: this machine is Linux. The text parser
 * (parseRegQuery) is tested here against the documented `reg query /s`
 * output format; running reg.exe, its exit codes and its console code page
 * have not been exercised. Known limit: reg.exe prints in the console code
 * page, so a non-ASCII lockCommand path may come back garbled.
 *
 * Layout IT writes (value names are the JSON keys):
 *   sensitivity              REG_SZ     strict
 *   idleMinutes              REG_DWORD  5
 *   adaptation, allowPause,  REG_DWORD  0 or 1
 *   allowQuit
 *   lockCommand              REG_MULTI_SZ  program, then one argument per line
 *   ...\Cadence\channels     subkey with keystroke, mouse  REG_DWORD 0 or 1
 */

export const WINDOWS_POLICY_KEY = 'HKLM\\Software\\Policies\\Cadence';

/** Keys whose DWORD 0/1 means false/true; other DWORDs stay numbers. */
const BOOLEAN_PATHS = new Set(['adaptation', 'allowPause', 'allowQuit', 'channels.keystroke', 'channels.mouse']);

const VALUE_LINE = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/;

type Json = string | number | boolean | string[] | { [k: string]: Json };

function convert(pathKey: string, type: string, data: string): Json {
  switch (type) {
    case 'REG_DWORD':
    case 'REG_QWORD': {
      const n = Number.parseInt(data, data.startsWith('0x') ? 16 : 10);
      if (BOOLEAN_PATHS.has(pathKey) && (n === 0 || n === 1)) return n === 1;
      return n;
    }
    case 'REG_MULTI_SZ':
      // reg.exe shows the NUL separators as the two characters "\0".
      return data === '' ? [] : data.split('\\0').filter((s) => s !== '');
    default:
      return data;
  }
}

/** Turns `reg query <key> /s` output into the object the policy schema validates. */
export function parseRegQuery(text: string, rootKey: string = WINDOWS_POLICY_KEY): Record<string, Json> {
  const root: Record<string, Json> = {};
  let current: Record<string, Json> | null = null;
  let prefix = '';
  const rootFull = rootKey.replace(/^HKLM\\/i, 'HKEY_LOCAL_MACHINE\\').toLowerCase();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    if (line === '') continue;
    if (!line.startsWith(' ')) {
      // A key header: the root or a subkey below it.
      const lower = line.toLowerCase();
      if (lower === rootFull) {
        current = root;
        prefix = '';
      } else if (lower.startsWith(rootFull + '\\')) {
        const parts = line.slice(rootFull.length + 1).split('\\');
        let node = root;
        for (const p of parts) {
          const next = node[p];
          if (next === undefined || typeof next !== 'object' || Array.isArray(next)) node[p] = {};
          node = node[p] as Record<string, Json>;
        }
        current = node;
        prefix = parts.join('.') + '.';
      } else {
        current = null;
      }
      continue;
    }
    const m = VALUE_LINE.exec(line);
    if (!m || current === null) continue;
    const name = m[1]!;
    if (name === '(Default)') continue;
    current[name] = convert(prefix + name, m[2]!, m[3] ?? '');
  }
  return root;
}

export function readWindowsPolicy(): SourceRead {
  const r = spawnSync('reg', ['query', WINDOWS_POLICY_KEY, '/s'], { encoding: 'utf8', timeout: 5000, windowsHide: true });
  if (r.error) return { kind: 'error', problems: [`${WINDOWS_POLICY_KEY}: cannot run reg.exe (${r.error.message})`] };
  if (r.status !== 0) {
    // reg.exe exits 1 when the key does not exist: no policy configured.
    if (/unable to find/i.test(r.stderr)) return { kind: 'absent' };
    return { kind: 'error', problems: [`${WINDOWS_POLICY_KEY}: reg query failed (exit ${r.status}): ${r.stderr.trim()}`] };
  }
  return { kind: 'value', value: parseRegQuery(r.stdout) };
}

export function windowsPolicySource(): MachinePolicySource {
  return { name: WINDOWS_POLICY_KEY, watchPath: null, read: readWindowsPolicy };
}
