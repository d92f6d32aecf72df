import type { MouseAction, MouseActionType } from './mouse-actions';

/**
 * Kinematic and timing features of one mouse action, in the spirit of Antal &
 * Egyed-Zsigmond (2019). The capture process sends these vectors, never the
 * pointer path itself.
 */
export const MOUSE_FEATURE_NAMES = [
  'durationMs',
  'pathLength',
  'distance',
  'straightness',
  'points',
  'speedMean',
  'speedStd',
  'speedMax',
  'accelMean',
  'accelStd',
  'accelMaxAbs',
  'jerkMeanAbs',
  'angleChangeMeanAbs',
  'angleChangeStd',
  'curvatureSum',
  'largestDeviation',
  'directionSin',
  'directionCos',
  'timeToMaxSpeed',
  'initialAccelTime',
  'criticalPoints',
  'pauseShare',
  'holdMs',
] as const;

export type MouseFeatureName = (typeof MOUSE_FEATURE_NAMES)[number];

export interface MouseActionFeatures {
  readonly type: MouseActionType;
  /** Values in the order of MOUSE_FEATURE_NAMES. */
  readonly values: readonly number[];
}

/** Gaps between samples longer than this count as the hand resting. */
const PAUSE_GAP_MS = 50;
/** Angle change per sample (radians) above which a point is "critical" (a turn). */
const CRITICAL_ANGLE = Math.PI / 4;

function meanStd(xs: readonly number[]): [number, number] {
  if (xs.length === 0) return [0, 0];
  let s = 0;
  for (const x of xs) s += x;
  const m = s / xs.length;
  let v = 0;
  for (const x of xs) v += (x - m) * (x - m);
  return [m, Math.sqrt(v / xs.length)];
}

export function mouseActionFeatures(action: MouseAction): MouseActionFeatures {
  // Collapse samples that share a timestamp: their speed would be infinite.
  const pts: { t: number; x: number; y: number }[] = [];
  for (const p of action.points) {
    const last = pts[pts.length - 1];
    if (last && p.t <= last.t) {
      last.x = p.x;
      last.y = p.y;
    } else pts.push({ t: p.t, x: p.x, y: p.y });
  }
  const first = pts[0]!;
  const lastP = pts[pts.length - 1]!;
  const duration = lastP.t - first.t;
  const dx0 = lastP.x - first.x;
  const dy0 = lastP.y - first.y;
  const distance = Math.hypot(dx0, dy0);

  const speeds: number[] = [];
  const speedT: number[] = [];
  const angles: number[] = [];
  let path = 0;
  let pause = 0;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    const dt = b.t - a.t;
    const d = Math.hypot(b.x - a.x, b.y - a.y);
    path += d;
    if (dt > PAUSE_GAP_MS) pause += dt;
    speeds.push(d / dt);
    speedT.push((a.t + b.t) / 2);
    if (d > 0) angles.push(Math.atan2(b.y - a.y, b.x - a.x));
  }
  const accels: number[] = [];
  for (let i = 1; i < speeds.length; i++) {
    const dt = speedT[i]! - speedT[i - 1]!;
    accels.push(dt > 0 ? (speeds[i]! - speeds[i - 1]!) / dt : 0);
  }
  const jerks: number[] = [];
  for (let i = 1; i < accels.length; i++) {
    const dt = speedT[i + 1]! - speedT[i]!;
    jerks.push(dt > 0 ? Math.abs(accels[i]! - accels[i - 1]!) / dt : 0);
  }
  const dAngles: number[] = [];
  for (let i = 1; i < angles.length; i++) {
    let d = angles[i]! - angles[i - 1]!;
    while (d > Math.PI) d -= 2 * Math.PI;
    while (d < -Math.PI) d += 2 * Math.PI;
    dAngles.push(d);
  }
  let deviation = 0;
  if (distance > 0) {
    for (const p of pts) {
      const dev = Math.abs(dy0 * (p.x - first.x) - dx0 * (p.y - first.y)) / distance;
      if (dev > deviation) deviation = dev;
    }
  }
  const [speedMean, speedStd] = meanStd(speeds);
  const [accelMean, accelStd] = meanStd(accels);
  let speedMax = 0;
  let maxAt = first.t;
  speeds.forEach((s, i) => {
    if (s > speedMax) {
      speedMax = s;
      maxAt = speedT[i]!;
    }
  });
  let initialAccel = 0;
  for (let i = 0; i < accels.length && accels[i]! > 0; i++) initialAccel = speedT[i + 1]! - first.t;
  const absD = dAngles.map(Math.abs);
  const [angleMean] = meanStd(absD);
  const [, angleStd] = meanStd(dAngles);
  const values: number[] = [
    duration,
    path,
    distance,
    path > 0 ? distance / path : 1,
    pts.length,
    speedMean,
    speedStd,
    speedMax,
    accelMean,
    accelStd,
    accels.reduce((m, a) => Math.max(m, Math.abs(a)), 0),
    meanStd(jerks)[0],
    angleMean,
    angleStd,
    absD.reduce((s, a) => s + a, 0),
    deviation,
    distance > 0 ? dy0 / distance : 0,
    distance > 0 ? dx0 / distance : 0,
    duration > 0 ? (maxAt - first.t) / duration : 0,
    duration > 0 ? initialAccel / duration : 0,
    absD.filter((a) => a > CRITICAL_ANGLE).length,
    duration > 0 ? pause / duration : 0,
    action.holdMs ?? 0,
  ];
  return { type: action.type, values };
}
