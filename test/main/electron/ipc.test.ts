import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { AGENT_API_METHODS, type AgentApi, type Result } from '../../../src/main/api/agent-api';
import { registerAgentIpc } from '../../../src/main/electron/ipc';
import { APP_ORIGIN, CHANNEL_PREFIX } from '../../../src/main/electron/sender-check';

/**
 * ipc.ts imports only types from 'electron', so its handlers run in Node with
 * a stand-in ipcMain that records handle() calls. The events carry the facts
 * Electron would report: senderFrame (url) and sender.mainFrame.
 */
type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<Result<unknown>>;

function fakeIpc(): { ipcMain: IpcMain; handlers: Map<string, Handler> } {
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: (channel: string, h: Handler) => handlers.set(channel, h),
    removeHandler: (channel: string) => handlers.delete(channel),
  } as unknown as IpcMain;
  return { ipcMain, handlers };
}

function event(url: string | null, mainFrame = true): IpcMainInvokeEvent {
  const top = { url: `${APP_ORIGIN}/dashboard.html`, parent: null };
  const frame = url === null ? null : { url, parent: mainFrame ? null : top };
  return { senderFrame: frame, sender: { mainFrame: top } } as unknown as IpcMainInvokeEvent;
}

function api(calls: string[]): AgentApi {
  return new Proxy({} as AgentApi, {
    get: (_t, name: string) => async (...args: unknown[]) => {
      if (name === 'getPolicy') throw new Error('engine exploded');
      calls.push(`${name}${JSON.stringify(args)}`);
      return { ok: true, value: name };
    },
  });
}

test('one handler per AgentApi method, on cadence:<method>, all removed by the disposer', () => {
  const { ipcMain, handlers } = fakeIpc();
  const dispose = registerAgentIpc(ipcMain, api([]));
  assert.deepEqual([...handlers.keys()].sort(), AGENT_API_METHODS.map((m) => CHANNEL_PREFIX + m).sort());
  dispose();
  assert.equal(handlers.size, 0);
});

test('our own page’s main frame reaches the engine with checked arguments', async () => {
  const { ipcMain, handlers } = fakeIpc();
  const calls: string[] = [];
  registerAgentIpc(ipcMain, api(calls));
  const r = await handlers.get(`${CHANNEL_PREFIX}setEnrolmentStep`)!(event(`${APP_ORIGIN}/wizard.html`), 'consent');
  assert.deepEqual(r, { ok: true, value: 'setEnrolmentStep' });
  assert.deepEqual(calls, ['setEnrolmentStep["consent"]']);
});

test('IPC from a foreign origin, a sub-frame or a vanished frame is refused and never reaches the engine', async () => {
  const { ipcMain, handlers } = fakeIpc();
  const calls: string[] = [];
  registerAgentIpc(ipcMain, api(calls));
  const h = handlers.get(`${CHANNEL_PREFIX}giveConsent`)!;
  for (const e of [event('https://evil.example/'), event('file:///tmp/x.html'), event(`${APP_ORIGIN}/dashboard.html`, false), event(null)]) {
    const r = await h(e);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, 'forbidden');
  }
  assert.deepEqual(calls, []);
});

test('bad arguments and a throwing engine come back as Results, never as thrown errors', async () => {
  const { ipcMain, handlers } = fakeIpc();
  registerAgentIpc(ipcMain, api([]));
  const own = event(`${APP_ORIGIN}/dashboard.html`);
  const bad = await handlers.get(`${CHANNEL_PREFIX}setPaused`)!(own, 'yes');
  assert.equal(!bad.ok && bad.code, 'bad-arguments');
  const boom = await handlers.get(`${CHANNEL_PREFIX}getPolicy`)!(own);
  assert.deepEqual(boom, { ok: false, code: 'internal', message: 'getPolicy failed inside the agent: engine exploded' });
  // Even a malformed event (no sender) is answered.
  const odd = await handlers.get(`${CHANNEL_PREFIX}getStatus`)!({} as IpcMainInvokeEvent);
  assert.equal(odd.ok, false);
});
