import type { ChildMessage } from './protocol';

/**
 * The capture child's one seam to its parent. The Node implementation below
 * runs over `child_process.fork`'s IPC channel (the headless agent); the
 * Electron shell starts the child as a `utilityProcess`, whose channel is
 * `process.parentPort` (utilityParentChannel below).
 * Incoming messages are untyped here on purpose: the child validates them.
 */
export interface ParentChannel {
  /** Sends one message; `done` runs once it is handed to the OS (or failed). */
  send(message: ChildMessage, done?: () => void): void;
  onMessage(listener: (raw: unknown) => void): void;
  /** The parent went away (its end of the channel closed). */
  onDisconnect(listener: () => void): void;
}

/** The channel of a process started with `child_process.fork`, or null when there is none. */
export function forkParentChannel(proc: NodeJS.Process = process): ParentChannel | null {
  const send = proc.send?.bind(proc);
  if (!send || !proc.connected) return null;
  return {
    send(message, done) {
      if (!proc.connected) {
        done?.();
        return;
      }
      send(message, undefined, undefined, () => done?.());
    },
    onMessage(listener) {
      proc.on('message', listener);
    },
    onDisconnect(listener) {
      proc.on('disconnect', listener);
    },
  };
}

/** The part of Electron's `process.parentPort` the channel uses (typed here so no 'electron' import is needed). */
export interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

/**
 * The channel of a process Electron started with `utilityProcess.fork`
 * (src/main/electron/capture-utility.ts), or null when there is none.
 * UNTESTED under Electron here (no binary, TESTBED.md); the adapter itself is
 * tested with a stand-in port.
 */
export function utilityParentChannel(proc: NodeJS.Process = process): ParentChannel | null {
  const port = (proc as NodeJS.Process & { parentPort?: ParentPortLike | null }).parentPort;
  if (!port) return null;
  return {
    send(message, done) {
      // postMessage hands the message over synchronously; there is no later completion to wait for.
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
      // A utility process gets no disconnect event: Electron ends it when the main process exits.
    },
  };
}
