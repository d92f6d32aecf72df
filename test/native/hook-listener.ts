/**
 * Test-only child process: a real uiohook-napi listener that prints every
 * event it receives as one line on stdout: `<type> <keycode|button> <x> <y> <time>`.
 * It requires uiohook-napi only here, after the parent has started the X
 * server and set DISPLAY, because loading it without a display kills the
 * process (TESTBED.md). Prints `ready` once the hook runs; exits on stdin EOF.
 *
 * Key codes go to the parent's pipe only, never to a file: this is a test of
 * the injector, not part of the agent.
 */
import type { UiohookKeyboardEvent, UiohookMouseEvent } from 'uiohook-napi';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { uIOhook } = require('uiohook-napi') as typeof import('uiohook-napi');

const out: string[] = [];
let pending = false;
function emit(line: string): void {
  out.push(line);
  if (!pending) {
    pending = true;
    setImmediate(() => {
      pending = false;
      process.stdout.write(out.join('\n') + '\n');
      out.length = 0;
    });
  }
}

uIOhook.on('input', (e) => {
  const k = e as UiohookKeyboardEvent;
  const m = e as UiohookMouseEvent;
  const type = e.type as number;
  if (type === 4 || type === 5) emit(`${type} ${k.keycode} 0 0 ${e.time}`);
  else if (type === 7 || type === 8 || type === 9 || type === 10) emit(`${type} ${Number(m.button)} ${m.x} ${m.y} ${e.time}`);
});
uIOhook.start();
emit('ready');
process.stdin.resume();
process.stdin.on('end', () => {
  uIOhook.stop();
  process.exit(0);
});
