import { filePolicySource, LINUX_POLICY_FILE } from './source-file';
import { macosPolicySource } from './source-macos';
import { windowsPolicySource } from './source-windows';
import type { MachinePolicySource } from './source';

/**
 * The machine policy source of this platform. $CADENCE_POLICY_FILE (a JSON
 * file) replaces it on every platform: tests use it, and so can a
 * deployment that prefers a file.
 */
export function machinePolicySource(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): MachinePolicySource {
  const override = env.CADENCE_POLICY_FILE;
  if (override !== undefined && override !== '') return filePolicySource(override);
  if (platform === 'win32') return windowsPolicySource();
  if (platform === 'darwin') return macosPolicySource();
  return filePolicySource(LINUX_POLICY_FILE);
}
