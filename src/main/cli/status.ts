import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { dataDir, databasePath } from '../paths';
import { Store } from '../store/store';
import { ENGINE_STATE_KEY } from '../store/engine-store';

/**
 * `cadence status`: reads the agent's database read-only (it never creates
 * or changes it) and prints the state, what has been collected, what is still
 * missing and the last decisions. Works whether or not the agent is running.
 */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show the agent state, samples collected and the last decisions')
    .option('--data-dir <dir>', 'data folder (default: the per-user Cadence folder)')
    .option('--json', 'print one JSON object instead of text')
    .option('-n, --decisions <count>', 'how many recent decisions to show', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 1000) throw new InvalidArgumentError(`must be a whole number from 0 to 1000, got "${v}"`);
      return n;
    }, 10)
    .action((opts: { dataDir?: string; json?: boolean; decisions: number }) => {
      const dir = path.resolve(opts.dataDir ?? dataDir());
      let store: Store;
      try {
        store = Store.open({ path: databasePath(dir), readonly: true });
      } catch (err) {
        process.stderr.write(`cadence status: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      try {
        const raw = store.getState(ENGINE_STATE_KEY) as { state?: string; since?: number; missing?: string[] } | null;
        const enrol = store.featureCounts('enrolment');
        const live = store.featureCounts('live');
        const profile = store.latestProfile();
        const decisions = store.recentDecisions(opts.decisions);
        const trust = store.trustSince(Date.now() - 24 * 3600_000);
        const out = {
          dataDir: dir,
          state: raw?.state ?? 'not-enrolled',
          since: raw?.since ?? null,
          enrolment: { keystrokes: enrol.keystrokes, mouseActions: enrol.mouseActions },
          live: { keystrokes: live.keystrokes, mouseActions: live.mouseActions },
          profile: profile ? { createdAt: profile.createdAt, quality: profile.quality } : null,
          trust: trust.length > 0 ? trust[trust.length - 1]!.trust : null,
          decisions: decisions.map((d) => ({ t: d.t, kind: d.kind, reason: d.reason })),
        };
        if (opts.json) {
          process.stdout.write(JSON.stringify(out) + '\n');
          return;
        }
        const when = (t: number | null): string => (t === null ? '' : new Date(t).toISOString().replace('T', ' ').slice(0, 19));
        const lines = [
          `state:      ${out.state}${out.since ? ` since ${when(out.since)}` : ''}`,
          `enrolment:  ${out.enrolment.keystrokes} keystrokes, ${out.enrolment.mouseActions} mouse actions`,
          `live:       ${out.live.keystrokes} keystrokes, ${out.live.mouseActions} mouse actions`,
          `profile:    ${profile ? `fitted ${when(profile.createdAt)}` : 'none yet (the agent learns first)'}`,
          `trust:      ${out.trust === null ? '-' : Math.round(out.trust)}`,
          `decisions (newest first):`,
          ...(out.decisions.length === 0 ? ['  none'] : out.decisions.map((d) => `  ${when(d.t)}  ${d.kind}: ${d.reason}`)),
        ];
        process.stdout.write(lines.join('\n') + '\n');
      } finally {
        store.close();
      }
    });
}
