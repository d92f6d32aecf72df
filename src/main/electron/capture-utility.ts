import { utilityProcess } from 'electron';
import { CAPTURE_CHILD_PATH, type CaptureProcess, type CaptureSpawner } from '../capture/supervisor';

/**
 * The capture child as an Electron utilityProcess: the supervisor's
 * CaptureSpawner seam (startCapture({ spawn: utilityCaptureSpawner })).
 * Electron's own child process type, so the native hook (uiohook-napi,
 * rebuilt for Electron's ABI by electron-builder) loads outside the main
 * process, exactly as with fork under the headless agent.
 *
 * UNTESTED here: needs the Electron binary. Differences from fork that the
 * supervisor must tolerate: exit gives a code and never a signal; the child
 * talks through process.parentPort (utilityParentChannel in src/main/capture/parent-channel.ts).
 */
export const utilityCaptureSpawner: CaptureSpawner = (env) => {
  const child = utilityProcess.fork(CAPTURE_CHILD_PATH, [], {
    env,
    execArgv: [],
    stdio: ['ignore', 'ignore', 'pipe'],
    serviceName: 'Cadence capture',
  });
  const exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
  let exited = false;
  child.once('exit', (code) => {
    exited = true;
    for (const l of exitListeners) l(code, null);
  });
  const lineListeners: Array<(line: string) => void> = [];
  let partial = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    partial += d;
    let i: number;
    while ((i = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, i).trim();
      partial = partial.slice(i + 1);
      if (line) for (const l of lineListeners) l(line);
    }
    if (partial.length > 4096) partial = partial.slice(-4096);
  });
  const proc: CaptureProcess = {
    get pid() {
      return child.pid;
    },
    send(message) {
      if (!exited) child.postMessage(message);
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      exitListeners.push(listener);
    },
    onStderrLine(listener) {
      lineListeners.push(listener);
    },
    kill() {
      if (!exited) child.kill();
    },
  };
  return proc;
};
