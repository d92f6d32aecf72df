import type { TrustPoint } from '../main/api/agent-api';
import { clockTime } from './plain-words.js';

/**
 * Today's trust as an inline SVG line chart. Built from DOM nodes with
 * attributes and CSS classes only: the CSP forbids inline styles, and a chart
 * library would be far more code than this one picture needs.
 */

const SVG = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 220;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

export interface ChartRange {
  from: number;
  to: number;
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** A sentence a screen reader can read instead of the picture. */
export function describeTrust(points: readonly TrustPoint[]): string {
  if (points.length === 0) return 'No trust readings yet today.';
  let lo = points[0]!;
  let hi = points[0]!;
  for (const p of points) {
    if (p.trust < lo.trust) lo = p;
    if (p.trust > hi.trust) hi = p;
  }
  const last = points[points.length - 1]!;
  return (
    `Trust today: ${points.length} readings, now ${Math.round(last.trust)} of 100; ` +
    `lowest ${Math.round(lo.trust)} at ${clockTime(lo.t)}, highest ${Math.round(hi.trust)} at ${clockTime(hi.t)}.`
  );
}

export function renderTrustChart(points: readonly TrustPoint[], range: ChartRange): SVGSVGElement {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'trust-chart', preserveAspectRatio: 'xMidYMid meet' });
  const title = el('title', {});
  title.textContent = describeTrust(points);
  svg.append(title);

  const span = Math.max(1, range.to - range.from);
  const x = (t: number): number => PAD.left + ((t - range.from) / span) * (W - PAD.left - PAD.right);
  const y = (v: number): number => PAD.top + (1 - Math.max(0, Math.min(100, v)) / 100) * (H - PAD.top - PAD.bottom);

  for (const v of [0, 25, 50, 75, 100]) {
    svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }));
    const label = el('text', { x: PAD.left - 6, y: y(v) + 4, class: 'axis-label', 'text-anchor': 'end' });
    label.textContent = String(v);
    svg.append(label);
  }
  // Time ticks on round steps (the range starts at midnight), at most six of them.
  const MIN = 60_000;
  const step = [5, 10, 15, 30, 60, 120, 180, 240, 360].map((m) => m * MIN).find((st) => span / st <= 6) ?? 720 * MIN;
  for (let t = range.from; t <= range.to; t += step) {
    svg.append(el('line', { x1: x(t), x2: x(t), y1: H - PAD.bottom, y2: H - PAD.bottom + 4, class: 'tick' }));
    const label = el('text', { x: x(t), y: H - 8, class: 'axis-label', 'text-anchor': t === range.from ? 'start' : 'middle' });
    label.textContent = clockTime(t);
    svg.append(label);
  }

  const inRange = points.filter((p) => p.t >= range.from && p.t <= range.to);
  if (inRange.length === 0) {
    const empty = el('text', { x: W / 2, y: H / 2, class: 'empty', 'text-anchor': 'middle' });
    empty.textContent = 'No readings yet today';
    svg.append(empty);
    return svg;
  }
  const d = inRange.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.trust).toFixed(1)}`).join(' ');
  svg.append(el('path', { d, class: 'trust-line' }));
  const last = inRange[inRange.length - 1]!;
  svg.append(el('circle', { cx: x(last.t), cy: y(last.trust), r: 4, class: 'trust-now' }));
  return svg;
}
