import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { startAgentRuntime } from '../agent/runtime';
import { startBridge, type Bridge } from '../bridge/http-bridge';
import { dataDir } from '../paths';
import type { StatusView } from '../api/agent-api';

/**
 * `cadence agent`: the headless agent. The same capture, model, decisions and
 * OS lock as the desktop app, without tray or windows; it says what it is
 * doing on stderr. With --ui it also serves the pages (wizard, challenge,
 * dashboard) on a loopback address for a local browser.
 */

function progressLine(s: StatusView): string {
  const base = `${s.state}; ${s.keystrokesCollected} keystrokes, ${s.mouseActionsCollected} mouse actions collected`;
  const trust = s.trust === null ? '' : `; trust ${Math.round(s.trust)}`;
  const missing = s.state === 'learning' && s.missing.length > 0 ? `; still missing: ${s.missing.join('; ')}` : '';
  const capture = s.captureAvailable ? '' : `; ${s.captureProblem ?? 'capture unavailable'}`;
  return base + trust + missing + capture;
}

export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('run the agent in the foreground: capture, learn, protect (Ctrl+C to stop)')
    .option('--data-dir <dir>', 'data folder (default: the per-user Cadence folder)')
    .option('--ui', 'also serve the wizard, challenge and dashboard pages on 127.0.0.1 for a local browser')
    .addOption(new Option('--status-every <seconds>', 'how often to print the live status line').default(10).argParser((v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 1 || n > 3600) throw new InvalidArgumentError(`must be a number of seconds from 1 to 3600, got "${v}"`);
      return n;
    }))
    .action(async (opts: { dataDir?: string; ui?: boolean; statusEvery: number }) => {
      const dir = path.resolve(opts.dataDir ?? dataDir());
      const log = (line: string): void => void process.stderr.write(`cadence: ${line}\n`);
      log(`starting; data in ${dir}`);
      const runtime = await startAgentRuntime({
        dataDir: dir,
        log,
        onEvent: (e) => {
          if (e.type === 'challenge') log(`challenge raised: type the phrase shown on the lock screen (${e.challenge.attemptsLeft} attempts)`);
        },
      });
      let bridge: Bridge | null = null;
      if (opts.ui) {
        bridge = await startBridge({ api: runtime.api, staticDir: path.join(__dirname, '..', '..', '..', 'renderer') });
        log(`pages: ${bridge.origin}/wizard.html  ${bridge.origin}/dashboard.html  ${bridge.origin}/challenge.html (this machine only)`);
      }
      let last = '';
      const tell = (): void => {
        const s = runtime.engine.status();
        const line = progressLine(s);
        if (line !== last) log(line);
        last = line;
      };
      tell();
      if (runtime.engine.state === 'not-enrolled') {
        log(opts.ui ? 'not enrolled yet: open the wizard page above to give consent and enrol' : 'not enrolled yet: run `cadence agent --ui` and open the wizard page to give consent and enrol');
      }
      const timer = setInterval(tell, opts.statusEvery * 1000);
      await new Promise<void>((resolve) => {
        const stop = (sig: string): void => {
          log(`${sig}: stopping`);
          resolve();
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      clearInterval(timer);
      await bridge?.close();
      await runtime.dispose();
      log('stopped');
    });
}
