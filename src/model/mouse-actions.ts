/**
 * Mouse actions, after Antal & Egyed-Zsigmond (2019): the pointer stream is cut
 * into mouse-move (MM), point-click (PC) and drag-drop (DD) actions.
 */

export type MouseButton = 'none' | 'left' | 'right' | 'other';

/** One normalised pointer event. `t` is ms on a monotonic clock. */
export interface MouseEvent {
  readonly t: number;
  readonly kind: 'move' | 'down' | 'up' | 'wheel';
  readonly x: number;
  readonly y: number;
  readonly button: MouseButton;
}

export type MouseActionType = 'MM' | 'PC' | 'DD';

export interface MousePoint {
  readonly t: number;
  readonly x: number;
  readonly y: number;
}

export interface MouseAction {
  readonly type: MouseActionType;
  /** Pointer positions in time order, from the first move to the release (PC, DD) or the last move (MM). */
  readonly points: readonly MousePoint[];
  /** PC and DD: how long the button was held, ms. */
  readonly holdMs?: number;
}

/** A pause longer than this ends a movement: what follows is a new action. */
export const MOUSE_PAUSE_MS = 1000;
/** Fewer points than this carry no usable kinematics. */
export const MIN_ACTION_POINTS = 4;
/**
 * A movement with no pause this long is closed anyway: it bounds the memory of
 * the capture process when the pointer never rests.
 */
export const MAX_ACTION_POINTS = 2000;
/** A press and release further apart than this (px) is a drag, not a click. */
export const DRAG_MIN_PX = 5;

export interface SegmenterCounts {
  actions: number;
  /** Pieces too short to describe (fewer than MIN_ACTION_POINTS points). */
  tooShort: number;
  wheel: number;
}

/**
 * Streaming segmenter. Movement accumulates until a pause (MM), a click (PC:
 * the movement leading to it plus the click) or a drag (DD: press to release;
 * the movement before the press, if any, becomes its own MM).
 */
export class MouseSegmenter {
  private points: MousePoint[] = [];
  private pressAt: MousePoint | null = null;
  private pressIndex = 0;
  readonly counts: SegmenterCounts = { actions: 0, tooShort: 0, wheel: 0 };

  constructor(
    private readonly emit: (a: MouseAction) => void,
    private readonly pauseMs = MOUSE_PAUSE_MS,
  ) {}

  add(e: MouseEvent): void {
    if (e.kind === 'wheel') {
      this.counts.wheel++;
      return;
    }
    const last = this.points[this.points.length - 1];
    if (last && e.t - last.t > this.pauseMs && this.pressAt === null) this.close('MM');
    const p: MousePoint = { t: e.t, x: e.x, y: e.y };
    switch (e.kind) {
      case 'move':
        this.points.push(p);
        if (this.pressAt === null && this.points.length >= MAX_ACTION_POINTS) this.close('MM');
        break;
      case 'down':
        if (this.pressAt !== null) break; // second button while one is held: part of the same gesture
        this.points.push(p);
        this.pressAt = p;
        this.pressIndex = this.points.length - 1;
        break;
      case 'up': {
        if (this.pressAt === null) break; // release with no press seen
        this.points.push(p);
        const moved = Math.hypot(p.x - this.pressAt.x, p.y - this.pressAt.y);
        if (moved >= DRAG_MIN_PX) {
          const before = this.points.slice(0, this.pressIndex + 1);
          const drag = this.points.slice(this.pressIndex);
          this.points = before;
          this.close('MM');
          this.points = drag;
          this.close('DD', p.t - this.pressAt.t);
        } else {
          this.close('PC', p.t - this.pressAt.t);
        }
        this.pressAt = null;
        break;
      }
    }
  }

  /** Ends a movement in progress (e.g. the stream ended). */
  flush(): void {
    if (this.pressAt === null) this.close('MM');
  }

  private close(type: MouseActionType, holdMs?: number): void {
    const points = this.points;
    this.points = [];
    if (points.length === 0) return;
    if (points.length < MIN_ACTION_POINTS) {
      this.counts.tooShort++;
      return;
    }
    this.counts.actions++;
    this.emit(holdMs === undefined ? { type, points } : { type, points, holdMs });
  }
}

/** Segments a whole recorded stream. */
export function segmentMouse(events: readonly MouseEvent[], pauseMs = MOUSE_PAUSE_MS): MouseAction[] {
  const out: MouseAction[] = [];
  const s = new MouseSegmenter((a) => out.push(a), pauseMs);
  for (const e of events) s.add(e);
  s.flush();
  return out;
}
