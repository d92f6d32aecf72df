import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * A private X server for one test: the hook sees every event on its display,
 * so tests that inject input must never share one (TESTBED.md). Xvfb picks a
 * free display number itself (-displayfd), so parallel test files cannot clash.
 */
export interface XServer {
  /** e.g. ":117" */
  readonly display: string;
  stop(): Promise<void>;
}

export function xvfbAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v Xvfb && command -v xdpyinfo'], { stdio: 'ignore' }).status === 0;
}

export const NO_XVFB_REASON = 'Xvfb or xdpyinfo is not installed (apt-get install xvfb x11-utils; .ci/run does this)';

export async function startXvfb(size = '1280x800x24'): Promise<XServer> {
  const proc: ChildProcess = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', size, '-nolisten', 'tcp', '-noreset'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const fd3 = proc.stdio[3] as NodeJS.ReadableStream;
  let num = '';
  const got = new Promise<string>((resolve, reject) => {
    fd3.on('data', (d: Buffer) => {
      num += d.toString();
      if (num.includes('\n')) resolve(num.trim());
    });
    proc.once('exit', (code) => reject(new Error(`Xvfb exited (code ${code}) before it chose a display: ${stderr.trim()}`)));
    setTimeout(() => reject(new Error(`Xvfb did not report a display within 10 s: ${stderr.trim()}`)), 10_000).unref();
  });
  const display = `:${await got}`;
  // Xvfb has written its number; make sure a client can really connect.
  for (let i = 0; i < 100; i++) {
    if (spawnSync('xdpyinfo', ['-display', display], { stdio: 'ignore' }).status === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    display,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
}
