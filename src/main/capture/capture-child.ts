/**
 * The capture process: the only place where raw keyboard and mouse events
 * exist. It checks the display, loads uiohook-napi only then, turns events into
 * order-free feature windows (capture-pipeline.ts) and sends those to its
 * parent. Key codes and key sequences never leave this process and are never
 * logged: nothing here writes an event to stdout, stderr or a file.
 *
 * Exit codes (protocol.ts): 0 stopped, EXIT_DISPLAY_UNUSABLE (3) the display
 * cannot be captured (one line on stderr says why), EXIT_BAD_START (4) not
 * started by a supervisor or a bad start message, EXIT_CRASH (70) anything else.
 */
import { performance } from 'node:perf_hooks';
import { checkDisplay } from './display';
import { CapturePipeline, routeHookEvent, type HookEvent } from './capture-pipeline';
import { HmacFeatureKeyer } from './feature-keyer';
import { forkParentChannel, utilityParentChannel, type ParentChannel } from './parent-channel';
import {
  EXIT_BAD_START,
  EXIT_CRASH,
  EXIT_DISPLAY_UNUSABLE,
  parseParentMessage,
  type ChildMessage,
  type StartConfig,
} from './protocol';

const START_TIMEOUT_MS = 10_000;

function say(line: string): void {
  process.stderr.write(`cadence capture: ${line}\n`);
}

function exitAfter(channel: ParentChannel | null, message: ChildMessage | null, code: number): void {
  if (channel && message) {
    // Do not wait forever for a parent that stopped reading.
    setTimeout(() => process.exit(code), 1000).unref();
    channel.send(message, () => process.exit(code));
  } else process.exit(code);
}

/**
 * Parent messages as a small state machine with ONE listener from the start,
 * so a stop that arrives while the hook is being loaded is not lost.
 */
class ParentCommands {
  private startListener: ((config: StartConfig | null, error?: string) => void) | null = null;
  private stopListener: ((parentGone: boolean) => void) | null = null;
  private stopRequested: boolean | null = null; // null: not requested; true: parent gone

  constructor(channel: ParentChannel) {
    channel.onMessage((raw) => {
      const p = parseParentMessage(raw);
      if (!p.ok) {
        if (this.startListener) this.takeStart()(null, p.error);
        else say(p.error);
      } else if (p.message.type === 'start') this.startListener && this.takeStart()(p.message.config);
      else this.requestStop(false);
    });
    channel.onDisconnect(() => this.requestStop(true));
  }

  waitForStart(): Promise<StartConfig | null> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.startListener = null;
        reject(new Error(`no start message within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      this.startListener = (config, error) => {
        clearTimeout(timer);
        if (error !== undefined) reject(new Error(error));
        else resolve(config);
      };
      if (this.stopRequested !== null) this.takeStart()(null);
    });
  }

  /** Runs `listener` on stop, at once if a stop already came. */
  onStop(listener: (parentGone: boolean) => void): void {
    this.stopListener = listener;
    if (this.stopRequested !== null) listener(this.stopRequested);
  }

  private takeStart(): (config: StartConfig | null, error?: string) => void {
    const l = this.startListener!;
    this.startListener = null;
    return l;
  }

  private requestStop(parentGone: boolean): void {
    if (this.stopRequested === null) this.stopRequested = parentGone;
    if (this.startListener) this.takeStart()(null); // stopped before it started
    else this.stopListener?.(parentGone);
  }
}

async function main(): Promise<void> {
  const display = await checkDisplay();
  const channel = forkParentChannel() ?? utilityParentChannel();
  if (!display.ok) {
    say(`capture unavailable (${display.cause}): ${display.message}`);
    exitAfter(channel, { type: 'fatal', cause: display.cause, message: display.message }, EXIT_DISPLAY_UNUSABLE);
    return;
  }
  if (!channel) {
    say('capture-child must be started by the capture supervisor (no IPC channel); run `cadence agent` instead');
    process.exit(EXIT_BAD_START);
  }
  const commands = new ParentCommands(channel);
  let config: StartConfig | null;
  try {
    config = await commands.waitForStart();
  } catch (e) {
    const message = `bad start: ${(e as Error).message}`;
    say(message);
    exitAfter(channel, { type: 'fatal', cause: 'bad-start', message }, EXIT_BAD_START);
    return;
  }
  if (config === null) process.exit(0);

  const pipeline = new CapturePipeline({
    keyer: new HmacFeatureKeyer(Buffer.from(config.secret, 'base64')),
    windowSize: config.windowSize,
    onWindow: (window) => channel.send({ type: 'keystroke-window', window }),
  });

  // Only now, with a display known to answer: loading it without one exits the process.
  const { uIOhook } = require('uiohook-napi') as typeof import('uiohook-napi');

  uIOhook.on('input', (e: HookEvent) => {
    // An exception escaping a hook callback kills the process: count it and go on.
    try {
      routeHookEvent(pipeline, e, performance.now());
    } catch {
      pipeline.handlerErrors++;
    }
  });

  const sendMouse = (): void => {
    const actions = pipeline.takeMouseBatch();
    if (actions.length > 0) channel.send({ type: 'mouse-actions', actions });
  };
  let lastActivity = { keystrokes: -1, mouseActions: -1 };
  const sendActivity = (): void => {
    const a = pipeline.activity;
    if (a.keystrokes === lastActivity.keystrokes && a.mouseActions === lastActivity.mouseActions) return;
    lastActivity = a;
    channel.send({ type: 'activity', counts: a });
  };
  const timers = [
    setInterval(() => {
      pipeline.idle(performance.now());
      sendMouse();
    }, config.mouseBatchMs),
    setInterval(sendActivity, config.activityMs),
    setInterval(() => channel.send({ type: 'stats', stats: pipeline.stats }), config.statsMs),
  ];

  let started = false;
  let stopping = false;
  const stop = (parentGone: boolean): void => {
    if (stopping) return;
    stopping = true;
    for (const t of timers) clearInterval(t);
    if (started) uIOhook.stop();
    // The parent died or closed the channel: never outlive it, nothing to send to.
    if (parentGone) process.exit(0);
    pipeline.finish();
    sendMouse();
    sendActivity();
    exitAfter(channel, { type: 'stats', stats: pipeline.stats }, 0);
  };
  commands.onStop(stop);
  if (stopping) return;

  uIOhook.start();
  started = true;
  channel.send({ type: 'ready', pid: process.pid, ...(display.note ? { note: display.note } : {}) });
}

if (require.main === module) {
  const crash = (e: unknown): void => {
    // Our own errors carry no event data; the message is safe to show.
    const message = `capture process crashed: ${e instanceof Error ? e.message : String(e)}`;
    say(message);
    exitAfter(forkParentChannel() ?? utilityParentChannel(), { type: 'fatal', cause: 'crash', message: message.slice(0, 2000) }, EXIT_CRASH);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  main().catch(crash);
}
