/**
 * The mouse task's playground: round targets to click and squares to drag
 * into a box. It only gives the hand something natural to do; what counts is
 * what the agent's capture process measures, not anything recorded here.
 * Drawn in SVG and moved with attributes, because the CSP forbids inline styles.
 */

const SVG = 'http://www.w3.org/2000/svg';
const W = 800;
const H = 360;
const DROP = { x: 620, y: 40, w: 160, h: 280 };

export class MouseArena {
  private readonly svg: SVGSVGElement;
  private readonly target: SVGCircleElement;
  private readonly square: SVGRectElement;
  private drag: { dx: number; dy: number } | null = null;
  private readonly abort = new AbortController();

  constructor(host: HTMLElement) {
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    this.svg.setAttribute('class', 'arena-svg');
    const drop = this.make('rect', { x: DROP.x, y: DROP.y, width: DROP.w, height: DROP.h, rx: 8, class: 'drop-zone' });
    const label = this.make('text', { x: DROP.x + DROP.w / 2, y: DROP.y + DROP.h / 2, 'text-anchor': 'middle', class: 'drop-label' });
    label.textContent = 'Drop here';
    this.target = this.make('circle', { r: 22, class: 'click-target' });
    this.square = this.make('rect', { width: 44, height: 44, rx: 6, class: 'drag-item' });
    this.svg.append(drop, label, this.target, this.square);
    host.replaceChildren(this.svg);
    this.placeTarget();
    this.placeSquare();
    const signal = this.abort.signal;
    this.target.addEventListener('click', () => this.placeTarget(), { signal });
    this.square.addEventListener('pointerdown', (e) => this.startDrag(e), { signal });
    this.svg.addEventListener('pointermove', (e) => this.moveDrag(e), { signal });
    this.svg.addEventListener('pointerup', () => this.endDrag(), { signal });
  }

  stop(): void {
    this.abort.abort();
  }

  private make<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    return node;
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const box = this.svg.getBoundingClientRect();
    return { x: ((e.clientX - box.left) / box.width) * W, y: ((e.clientY - box.top) / box.height) * H };
  }

  private placeTarget(): void {
    this.target.setAttribute('cx', String(40 + Math.random() * (DROP.x - 100)));
    this.target.setAttribute('cy', String(40 + Math.random() * (H - 80)));
  }

  private placeSquare(): void {
    this.square.setAttribute('x', String(20 + Math.random() * (DROP.x - 120)));
    this.square.setAttribute('y', String(20 + Math.random() * (H - 84)));
  }

  private startDrag(e: PointerEvent): void {
    const p = this.point(e);
    this.drag = { dx: p.x - Number(this.square.getAttribute('x')), dy: p.y - Number(this.square.getAttribute('y')) };
    this.square.setPointerCapture(e.pointerId);
    this.square.classList.add('dragging');
  }

  private moveDrag(e: PointerEvent): void {
    if (!this.drag) return;
    const p = this.point(e);
    this.square.setAttribute('x', String(p.x - this.drag.dx));
    this.square.setAttribute('y', String(p.y - this.drag.dy));
  }

  private endDrag(): void {
    if (!this.drag) return;
    this.drag = null;
    this.square.classList.remove('dragging');
    const cx = Number(this.square.getAttribute('x')) + 22;
    const cy = Number(this.square.getAttribute('y')) + 22;
    const inside = cx >= DROP.x && cx <= DROP.x + DROP.w && cy >= DROP.y && cy <= DROP.y + DROP.h;
    if (inside) this.placeSquare();
  }
}
