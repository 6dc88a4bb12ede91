import { app, session, type WebContents } from 'electron';
import { CSP } from '@shared/csp';
import { devRendererUrl } from './dev-renderer';

export const APP_ORIGIN = 'app://recurra';

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
  if (url.startsWith(`${APP_ORIGIN}/`)) return true;
  return Boolean(DEV_RENDERER_URL && url.startsWith(new URL(DEV_RENDERER_URL).origin + '/'));
}

/** No new windows, no navigation away, no webviews, no permissions, CSP on every response. */
export function lockDown(): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // The dev server needs Vite's inline preamble; the built app gets the strict policy.
  if (!DEV_RENDERER_URL) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
  }
}
