import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { AGENT_API_METHODS } from '../../../src/main/api/agent-api';
import { CHANNEL_PREFIX } from '../../../src/main/electron/sender-check';

/**
 * The compiled preload, run the way a sandboxed Electron renderer runs it: a
 * function of (require, module, exports) where require knows only 'electron'.
 * The 'electron' here is a recording stand-in, because the real binary cannot
 * run on this machine (TESTBED.md); the contract checked is the file's own.
 */
const PRELOAD = path.join(__dirname, '..', '..', '..', 'src', 'main', 'electron', 'preload.js');

function runPreload(): { exposed: Map<string, unknown>; invoked: unknown[][]; required: string[] } {
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: { invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true, value: null }) },
  };
  const fakeRequire = (id: string): unknown => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require "${id}"`);
  };
  const module = { exports: {} };
  const code = fs.readFileSync(PRELOAD, 'utf8');
  vm.runInNewContext(`(function (require, module, exports) {${code}\n})`, {})(fakeRequire, module, module.exports);
  return { exposed, invoked, required };
}

test('the compiled preload requires nothing but electron (sandboxed preloads cannot)', () => {
  const { required } = runPreload();
  assert.deepEqual([...new Set(required)], ['electron']);
});

test('it exposes exactly one global, window.cadence, with exactly the AgentApi methods, frozen', () => {
  const { exposed } = runPreload();
  assert.deepEqual([...exposed.keys()], ['cadence']);
  const api = exposed.get('cadence') as Record<string, unknown>;
  assert.deepEqual(Object.keys(api).sort(), [...AGENT_API_METHODS].sort());
  assert.ok(Object.isFrozen(api));
  assert.ok(!('ipcRenderer' in api) && !('invoke' in api));
});

test('each method invokes its own cadence: channel with the page’s arguments', async () => {
  const { exposed, invoked } = runPreload();
  const api = exposed.get('cadence') as Record<string, (...a: unknown[]) => Promise<unknown>>;
  await api.submitChallenge!('some words');
  await api.getDecisions!(20);
  assert.deepEqual(invoked, [
    [`${CHANNEL_PREFIX}submitChallenge`, 'some words'],
    [`${CHANNEL_PREFIX}getDecisions`, 20],
  ]);
});
