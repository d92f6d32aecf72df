import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forkParentChannel, utilityParentChannel, type ParentPortLike } from '../../../src/main/capture/parent-channel';

/** Stands in for Electron's process.parentPort (the binary does not run here). */
class FakePort implements ParentPortLike {
  readonly posted: unknown[] = [];
  private listener: ((event: { data: unknown }) => void) | null = null;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  on(_event: 'message', listener: (event: { data: unknown }) => void): this {
    this.listener = listener;
    return this;
  }
  deliver(data: unknown): void {
    this.listener?.({ data });
  }
}

test('without a fork channel or a parentPort there is no channel', () => {
  const bare = {} as NodeJS.Process;
  assert.equal(forkParentChannel(bare), null);
  assert.equal(utilityParentChannel(bare), null);
});

test('the utilityProcess channel posts messages, unwraps event.data and reports each send done', () => {
  const port = new FakePort();
  const channel = utilityParentChannel({ parentPort: port } as unknown as NodeJS.Process);
  assert.ok(channel);
  const received: unknown[] = [];
  channel.onMessage((m) => received.push(m));
  port.deliver({ type: 'stop' });
  assert.deepEqual(received, [{ type: 'stop' }]);
  let done = 0;
  channel.send({ type: 'ready', pid: 1 }, () => done++);
  assert.deepEqual(port.posted, [{ type: 'ready', pid: 1 }]);
  assert.equal(done, 1);
});
