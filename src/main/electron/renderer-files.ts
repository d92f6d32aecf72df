import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './sender-check';

/**
 * Maps app://cadence/<file> to a file of the built renderer, or null. Kept
 * free of Electron so the rules are tested in Node: only the renderer folder,
 * only known page file types, nothing reached by `..` or an encoded slash.
 */

export const RENDERER_DIR = path.join(__dirname, '..', '..', '..', 'renderer');

export const RENDERER_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export type PageName = 'wizard' | 'challenge' | 'dashboard';

export function pageUrl(page: PageName): string {
  return `${APP_SCHEME}://${APP_HOST}/${page}.html`;
}

export function rendererFile(requestUrl: string, root: string = RENDERER_DIR): { file: string; type: string } | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  if (/%2f|%5c/i.test(u.pathname)) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  const base = path.resolve(root);
  const file = path.resolve(base, '.' + rel);
  if (!file.startsWith(base + path.sep)) return null;
  const type = RENDERER_TYPES[path.extname(file)];
  return type ? { file, type } : null;
}
