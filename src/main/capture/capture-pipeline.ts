import { KeystrokePairer } from '../../model/keystrokes';
import { KeystrokeWindower, type FeatureKeyer, type KeystrokeWindow } from '../../model/keystroke-windows';
import { MouseSegmenter, MOUSE_PAUSE_MS, type MouseButton } from '../../model/mouse-actions';
import { mouseActionFeatures, type MouseActionFeatures } from '../../model/mouse-features';
import { EventTimeUnwrapper, type EventTimeOptions } from './event-time';
import type { ActivityCounts, CaptureStats } from './protocol';
import type { UiohookKeyboardEvent, UiohookMouseEvent, UiohookWheelEvent } from 'uiohook-napi';

/**
 * The in-process path from hook events to feature windows, shared by the
 * capture child and the benchmark: pairer -> windower (keyed ids) for keys,
 * segmenter -> features for the mouse. Raw key codes live only in here, in
 * memory, for the keystrokes of the current window.
 *
 * Every timestamp is the hook's event time, unwrapped. `arrival` (this
 * process's monotonic clock) is used only to count clock wraps and to notice
 * that the pointer has been idle, never as a feature.
 */
export interface CapturePipelineOptions {
  readonly keyer: FeatureKeyer;
  readonly windowSize: number;
  readonly onWindow: (w: KeystrokeWindow) => void;
  readonly eventTime?: EventTimeOptions;
}

/** uiohook's mouse button numbers (libuiohook MOUSE_BUTTON1..5). */
export function mouseButton(b: unknown): MouseButton {
  return b === 1 ? 'left' : b === 2 ? 'right' : typeof b === 'number' && b > 2 ? 'other' : 'none';
}

export class CapturePipeline {
  private readonly clock: EventTimeUnwrapper;
  private readonly pairer: KeystrokePairer;
  private readonly windower: KeystrokeWindower;
  private readonly segmenter: MouseSegmenter;
  private mouseBatch: MouseActionFeatures[] = [];
  private lastMouseArrival = Number.NEGATIVE_INFINITY;
  private lastMouseTime = Number.NEGATIVE_INFINITY;
  private buttonsDown = 0;
  private badMouseFeatures = 0;
  private discardedKeystrokes = 0;
  handlerErrors = 0;
  hookEvents = 0;

  constructor(private readonly opts: CapturePipelineOptions) {
    this.clock = new EventTimeUnwrapper(opts.eventTime);
    this.windower = new KeystrokeWindower(opts.windowSize, opts.onWindow, opts.keyer);
    this.pairer = new KeystrokePairer((k) => this.windower.add(k));
    this.segmenter = new MouseSegmenter((a) => {
      const f = mouseActionFeatures(a);
      // JSON turns NaN and Infinity into null; such a vector would poison a profile.
      if (f.values.every(Number.isFinite)) this.mouseBatch.push(f);
      else this.badMouseFeatures++;
    });
  }

  keyDown(keycode: number, time: number, arrival: number): void {
    this.pairer.press(String(keycode), this.clock.unwrap(time, arrival));
  }

  keyUp(keycode: number, time: number, arrival: number): void {
    this.pairer.release(String(keycode), this.clock.unwrap(time, arrival));
  }

  /** A move, or a drag (a move with a button held). */
  mouseMove(x: number, y: number, time: number, arrival: number): void {
    this.mouse('move', x, y, 'none', time, arrival);
  }

  mouseDown(x: number, y: number, button: unknown, time: number, arrival: number): void {
    this.buttonsDown++;
    this.mouse('down', x, y, mouseButton(button), time, arrival);
  }

  mouseUp(x: number, y: number, button: unknown, time: number, arrival: number): void {
    this.buttonsDown = Math.max(0, this.buttonsDown - 1);
    this.mouse('up', x, y, mouseButton(button), time, arrival);
  }

  wheel(x: number, y: number, time: number, arrival: number): void {
    this.mouse('wheel', x, y, 'none', time, arrival);
  }

  private mouse(kind: 'move' | 'down' | 'up' | 'wheel', x: number, y: number, button: MouseButton, time: number, arrival: number): void {
    const t = this.clock.unwrap(time, arrival);
    this.lastMouseArrival = arrival;
    this.lastMouseTime = t;
    this.segmenter.add({ t, kind, x, y, button });
  }

  /**
   * Closes a movement once the pointer has rested longer than the segmenter's
   * pause, so an action is reported when it ends rather than when the next
   * one starts. The action's own timing is untouched.
   */
  idle(arrivalNow: number): void {
    if (this.buttonsDown === 0 && arrivalNow - this.lastMouseArrival > MOUSE_PAUSE_MS && this.lastMouseTime > Number.NEGATIVE_INFINITY) {
      this.segmenter.flush();
      this.lastMouseTime = Number.NEGATIVE_INFINITY;
    }
  }

  /** Mouse-action features gathered since the last call. */
  takeMouseBatch(): MouseActionFeatures[] {
    const out = this.mouseBatch;
    this.mouseBatch = [];
    return out;
  }

  /**
   * At stop: close the movement in progress and emit a partial keystroke window
   * if it holds at least half a window; a smaller one is too small to score and
   * is counted as discarded rather than sent.
   */
  finish(): void {
    this.segmenter.flush();
    if (this.windower.buffered * 2 >= this.opts.windowSize) this.windower.flush();
    else {
      this.discardedKeystrokes += this.windower.buffered;
      this.windower.reset();
    }
  }

  get activity(): ActivityCounts {
    return { keystrokes: this.pairer.counts.keystrokes, mouseActions: this.segmenter.counts.actions };
  }

  get stats(): CaptureStats {
    return {
      pairer: { ...this.pairer.counts },
      segmenter: { ...this.segmenter.counts },
      handlerErrors: this.handlerErrors,
      badMouseFeatures: this.badMouseFeatures,
      bufferedKeystrokes: this.windower.buffered,
      discardedKeystrokes: this.discardedKeystrokes,
      clockWraps: this.clock.wrapCount,
      hookEvents: this.hookEvents,
    };
  }
}

export type HookEvent = UiohookKeyboardEvent | UiohookMouseEvent | UiohookWheelEvent;

// libuiohook event types; uiohook-napi's enum leaves out DRAGGED (10), which is a move with a button held.
const KEY_PRESSED = 4;
const KEY_RELEASED = 5;
const MOUSE_PRESSED = 7;
const MOUSE_RELEASED = 8;
const MOUSE_MOVED = 9;
const MOUSE_DRAGGED = 10;
const MOUSE_WHEEL = 11;

/**
 * Routes one hook event into the pipeline. The capture child and the benchmark
 * (synthetic events) use the same function.
 */
export function routeHookEvent(pipeline: CapturePipeline, e: HookEvent, arrival: number): void {
  pipeline.hookEvents++;
  switch (e.type as number) {
    case KEY_PRESSED:
      pipeline.keyDown((e as UiohookKeyboardEvent).keycode, e.time, arrival);
      break;
    case KEY_RELEASED:
      pipeline.keyUp((e as UiohookKeyboardEvent).keycode, e.time, arrival);
      break;
    case MOUSE_MOVED:
    case MOUSE_DRAGGED: {
      const m = e as UiohookMouseEvent;
      pipeline.mouseMove(m.x, m.y, m.time, arrival);
      break;
    }
    case MOUSE_PRESSED: {
      const m = e as UiohookMouseEvent;
      pipeline.mouseDown(m.x, m.y, m.button, m.time, arrival);
      break;
    }
    case MOUSE_RELEASED: {
      const m = e as UiohookMouseEvent;
      pipeline.mouseUp(m.x, m.y, m.button, m.time, arrival);
      break;
    }
    case MOUSE_WHEEL: {
      const w = e as UiohookWheelEvent;
      pipeline.wheel(w.x, w.y, w.time, arrival);
      break;
    }
    default:
      break; // CLICKED repeats PRESSED+RELEASED; nothing else is used
  }
}
