import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { parsePolicyJson } from './source-file';
import type { MachinePolicySource, SourceRead } from './source';

/**
 * macOS: a configuration profile (MDM) for the app's preference domain lands
 * in /Library/Managed Preferences/<bundle id>.plist, usually binary plist;
 * `plutil -convert json -o - <file>` turns it into JSON for the same schema.
 *
 * UNTESTED ON macOS: this machine is Linux, there is no plutil here. Known
 * limits: plutil cannot convert <date> or <data> values to JSON (the error
 * is reported with the file named); per-user managed preferences
 * (/Library/Managed Preferences/<user>/) are not read, machine scope only.
 */

/** Must equal electron-builder's appId (the preference domain of the app). */
export const MACOS_BUNDLE_ID = 'org.cadence.agent';
export const MACOS_POLICY_FILE = `/Library/Managed Preferences/${MACOS_BUNDLE_ID}.plist`;

export function readMacosPolicy(file: string = MACOS_POLICY_FILE): SourceRead {
  if (!fs.existsSync(file)) return { kind: 'absent' };
  const r = spawnSync('plutil', ['-convert', 'json', '-o', '-', file], { encoding: 'utf8', timeout: 5000 });
  if (r.error) return { kind: 'error', problems: [`${file}: cannot run plutil (${r.error.message})`] };
  if (r.status !== 0) return { kind: 'error', problems: [`${file}: plutil could not convert it to JSON: ${(r.stderr || r.stdout).trim()}`] };
  return parsePolicyJson(r.stdout, file);
}

export function macosPolicySource(file: string = MACOS_POLICY_FILE): MachinePolicySource {
  return { name: file, watchPath: file, read: () => readMacosPolicy(file) };
}
