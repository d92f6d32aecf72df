import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { AGENT_API_METHODS, type AgentApi, type Result } from '../api/agent-api';
import { callAgentApi } from '../bridge/api-dispatch';
import { CHANNEL_PREFIX, checkSender } from './sender-check';

/**
 * AgentApi over IPC. Every handler checks its sender (our app:// origin, the
 * main frame, a Cadence channel) before the arguments are checked and the
 * engine is called; every outcome is a Result, never a thrown error, so a page
 * always gets an answer it can show. Returns a function that removes the
 * handlers (called on quit).
 */
export function registerAgentIpc(ipcMain: IpcMain, api: AgentApi): () => void {
  const channels: string[] = [];
  for (const method of AGENT_API_METHODS) {
    const channel = CHANNEL_PREFIX + method;
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => handle(api, channel, event, args));
    channels.push(channel);
  }
  return () => {
    for (const c of channels) ipcMain.removeHandler(c);
  };
}

async function handle(api: AgentApi, channel: string, event: IpcMainInvokeEvent, args: unknown[]): Promise<Result<unknown>> {
  try {
    const frame = event.senderFrame;
    const sender = checkSender({
      channel,
      frameUrl: frame ? frame.url : null,
      // A main frame has no parent; an iframe (even one of our own origin) does.
      isMainFrame: frame !== null && frame.parent === null,
    });
    if (!sender.ok) return sender;
    return await callAgentApi(api, sender.value, args);
  } catch (err) {
    return { ok: false, code: 'internal', message: `${channel} failed in the main process: ${(err as Error)?.message ?? String(err)}` };
  }
}
