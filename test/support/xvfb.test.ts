import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startXvfb, xvfbAvailable, NO_XVFB_REASON } from './xvfb';

test('two private X servers start on different displays and answer', { skip: !xvfbAvailable() && NO_XVFB_REASON }, async () => {
  const [a, b] = await Promise.all([startXvfb(), startXvfb()]);
  try {
    assert.notEqual(a.display, b.display);
    for (const x of [a, b]) assert.equal(spawnSync('xdpyinfo', ['-display', x.display], { stdio: 'ignore' }).status, 0);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});
