import type { ChildMessage } from './protocol';

/**
 * The capture child's one seam to its parent. The Node implementation below
 * runs over `child_process.fork`'s IPC channel; the Electron build supplies
 * one over `utilityProcess`'s `process.parentPort` (src/main/electron/, later).
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
