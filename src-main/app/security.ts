import { app, session, type Session } from 'electron';
import { devRendererUrl } from './dev-renderer';
import { denyPermissions, guardWebContents, isRendererUrl, withCsp } from './hardening';

/**
 * electron-vite's dev server, honoured only in a development build (never in
 * a packaged app, where it would be trusted for IPC and served without the CSP).
 * `import.meta.env.DEV` is replaced at build time: false in `electron-vite build`.
 */
export const DEV_RENDERER_URL = devRendererUrl(process.env, {
  isPackaged: app.isPackaged,
  dev: (import.meta as { env?: { DEV?: boolean } }).env?.DEV === true,
});

/** The renderer's own URLs: the app protocol, or electron-vite's dev server. */
export function isAppUrl(url: string): boolean {
  return isRendererUrl(url, DEV_RENDERER_URL);
}

/** No new windows, no navigation away, no webviews, no permissions (every session), CSP on every response. */
export function lockDown(): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, isAppUrl));
  const lock = (ses: Session) => {
    denyPermissions(ses);
    // The dev server needs Vite's inline preamble; the built app gets the strict policy.
    if (!DEV_RENDERER_URL) {
      ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withCsp(details.responseHeaders) }));
    }
  };
  lock(session.defaultSession);
  app.on('session-created', lock);
}
