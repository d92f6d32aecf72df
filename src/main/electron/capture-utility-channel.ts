import type { ParentChannel } from '../capture/parent-channel';

/**
 * The capture child's channel when Electron started it as a utilityProcess
 * (capture-utility.ts): messages go through `process.parentPort`. No runtime
 * import of 'electron' (the capture child also runs under plain Node), only
 * the types.
 *
 * For src/main/capture/capture-child.ts: use
 *   `forkParentChannel() ?? utilityParentChannel()`
 * wherever it now calls forkParentChannel().
 *
 * UNTESTED here: a utilityProcess needs the Electron binary. The Node fork
 * path is the tested one.
 */
export function utilityParentChannel(proc: NodeJS.Process = process): ParentChannel | null {
  const port = (proc as NodeJS.Process & { parentPort?: Electron.ParentPort | null }).parentPort;
  if (!port) return null;
  return {
    send(message, done) {
      // postMessage hands the message to Mojo synchronously; there is no later completion to wait for.
      try {
        port.postMessage(message);
      } finally {
        done?.();
      }
    },
    onMessage(listener) {
      port.on('message', (event) => listener(event.data));
    },
    onDisconnect() {
      // A utility process has no disconnect event: Electron ends it when the main process exits,
      // so there is nothing left to clean up by the time this would fire.
    },
  };
}
