import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AGENT_API_METHODS, type AgentApi, type Result } from '../api/agent-api';
import { callAgentApi, isAgentApiMethod } from './api-dispatch';

/**
 * The loopback test bridge: serves the built renderer (dist/renderer) and the
 * AgentApi to a plain Chromium page, so the pages run in a real browser against
 * whatever AgentApi object it is given (the real engine, or a test double).
 *
 * It is the HTTP twin of the Electron preload + IPC pair, with the same rules:
 * - listens on 127.0.0.1 only, on a port the OS picks;
 * - every API call needs this run's random token in the `x-cadence-token` header;
 * - the Origin header must be the bridge's own origin and the Host header its
 *   own host (a foreign page, or a DNS-rebinding name, gets 403);
 * - only AGENT_API_METHODS are routable, arguments are checked (api-dispatch.ts);
 * - request bodies are capped (413 above the cap).
 * It never answers CORS preflights with permission, so cross-origin pages cannot
 * even send the token-bearing request.
 */

export const TOKEN_HEADER = 'x-cadence-token';
export const MAX_BODY_BYTES = 16 * 1024;
/** The client script that defines window.cadence; served with the token baked in. */
export const CLIENT_SCRIPT_PATH = '/bridge-client.js';

export interface BridgeOptions {
  api: AgentApi;
  /** Folder of the built renderer (HTML, CSS, JS), normally dist/renderer. */
  staticDir: string;
}

export interface Bridge {
  /** e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  readonly token: string;
  /** Number of API calls answered (any outcome), for tests that check a page really used the API. */
  readonly calls: ReadonlyMap<string, number>;
  /** Refused requests by reason (e.g. "foreign or missing Origin"), so tests can see a refusal happened server-side. */
  readonly refusals: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
};

/** The policy every page carries in its meta tag (DESIGN.md); in Electron that is the whole story. */
export const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'";
/**
 * Over the bridge the client script must fetch /api/*, so the bridge serves the
 * page policy plus `connect-src 'self'` (in the meta tag and as a header). That
 * one addition is the only difference from what Electron loads.
 */
export const CSP = `${PAGE_CSP}; connect-src 'self'`;

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const token = randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const calls = new Map<string, number>();
  const refusals = new Map<string, number>();
  let origin = '';
  let host = '';

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `bridge error: ${(err as Error).message}`);
      else res.destroy();
    });
  });

  function refuse(res: http.ServerResponse, status: number, why: string): void {
    refusals.set(why, (refusals.get(why) ?? 0) + 1);
    refuseResponse(res, status, why);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (req.headers.host !== host) return refuse(res, 403, 'wrong Host header');
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url.pathname.slice('/api/'.length));
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'only GET for files');
    if (url.pathname === CLIENT_SCRIPT_PATH) return send(res, 200, CONTENT_TYPES['.js']!, clientScript(token));
    return serveFile(res, url.pathname);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, method: string): Promise<void> {
    // Origin first: a foreign page learns nothing, not even whether the method exists.
    if (req.headers.origin !== origin) return refuse(res, 403, 'foreign or missing Origin');
    if (req.method !== 'POST') return refuse(res, 405, 'API calls are POST');
    const presented = Buffer.from(String(req.headers[TOKEN_HEADER] ?? ''));
    if (presented.length !== tokenBytes.length || !timingSafeEqual(presented, tokenBytes)) {
      return refuse(res, 403, 'missing or wrong token');
    }
    if (!isAgentApiMethod(method)) return refuse(res, 404, 'no such method');
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === null) return refuse(res, 413, `body larger than ${MAX_BODY_BYTES} bytes`);
    let args: unknown = [];
    if (body.length > 0) {
      try {
        args = JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, 400, { ok: false, code: 'bad-json', message: `${method}: the body is not valid JSON` });
      }
    }
    calls.set(method, (calls.get(method) ?? 0) + 1);
    const result = await callAgentApi(opts.api, method, args);
    sendJson(res, 200, result);
  }

  async function serveFile(res: http.ServerResponse, pathname: string): Promise<void> {
    const rel = decodeURIComponent(pathname === '/' ? '/dashboard.html' : pathname);
    const root = path.resolve(opts.staticDir);
    const file = path.resolve(root, '.' + rel);
    // Never serve anything outside the renderer folder.
    if (file !== root && !file.startsWith(root + path.sep)) return refuse(res, 404, 'not found');
    const type = CONTENT_TYPES[path.extname(file)];
    if (!type) return refuse(res, 404, 'not found');
    let data: Buffer;
    try {
      data = await fs.readFile(file);
    } catch {
      return refuse(res, 404, 'not found');
    }
    if (path.extname(file) === '.html') {
      const page = forBridge(data.toString('utf8'));
      if (page === null) return refuse(res, 500, `${rel} does not carry the page CSP meta tag (${PAGE_CSP})`);
      data = Buffer.from(page);
    }
    send(res, 200, type, data);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;

  return {
    origin,
    token,
    calls,
    refusals,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A page as the bridge serves it: its CSP meta widened by connect-src 'self',
 * and the client script placed before the page's own scripts (they expect
 * window.cadence when they run). Null when the page lacks the required CSP.
 */
export function forBridge(html: string): string | null {
  const meta = `content="${PAGE_CSP}"`;
  if (!html.includes(meta)) return null;
  const withCsp = html.replace(meta, `content="${CSP}"`);
  const tag = `<script src="${CLIENT_SCRIPT_PATH}"></script>`;
  const at = withCsp.indexOf('<script');
  if (at >= 0) return withCsp.slice(0, at) + tag + '\n    ' + withCsp.slice(at);
  return withCsp.replace('</head>', `  ${tag}\n  </head>`);
}

/**
 * The browser half of the bridge, as a classic script (it must run before the
 * pages' module scripts). Every method posts its arguments and resolves to the
 * Result the server sent; transport failures become Results too, as in IPC.
 */
export function clientScript(token: string): string {
  return `'use strict';
(() => {
  const token = ${JSON.stringify(token)};
  const methods = ${JSON.stringify(AGENT_API_METHODS)};
  const api = {};
  for (const m of methods) {
    api[m] = async (...args) => {
      try {
        const res = await fetch('/api/' + m, {
          method: 'POST',
          headers: { 'content-type': 'application/json', '${TOKEN_HEADER}': token },
          body: JSON.stringify(args),
        });
        if (!res.ok && res.status !== 400) return { ok: false, code: 'bridge-' + res.status, message: 'the agent bridge refused the call (' + res.status + ')' };
        return await res.json();
      } catch (err) {
        return { ok: false, code: 'bridge-unreachable', message: 'the agent is not answering: ' + (err && err.message) };
      }
    };
  }
  Object.defineProperty(window, 'cadence', { value: Object.freeze(api), writable: false, configurable: false });
})();
`;
}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      req.resume();
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function baseHeaders(type: string): http.OutgoingHttpHeaders {
  return {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': CSP,
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
  };
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, baseHeaders(type));
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, value: Result<unknown>): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function refuseResponse(res: http.ServerResponse, status: number, why: string): void {
  send(res, status, 'text/plain; charset=utf-8', `${status}: ${why}\n`);
}
