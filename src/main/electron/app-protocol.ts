import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { CSP_HEADER_VALUE } from './window-security';
import { APP_SCHEME } from './sender-check';
import { rendererFile } from './renderer-files';

/**
 * Pages load from app://cadence/, a standard secure scheme of our own, rather
 * than file:// (which would let any file URL share the pages' origin and
 * blocks ES modules). Must be registered before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } }]);
}

/** After ready: answers app://cadence/<file> from dist/renderer, 404 for anything else. */
export function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const hit = rendererFile(request.url);
    if (!hit) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(hit.file).toString());
    if (!res.ok) return new Response('not found', { status: 404 });
    return new Response(res.body, {
      status: 200,
      headers: { 'content-type': hit.type, 'content-security-policy': CSP_HEADER_VALUE, 'x-content-type-options': 'nosniff' },
    });
  });
}
