import path from 'node:path';
import type { BrowserWindowConstructorOptions, IpcMainInvokeEvent, Session, WebContents } from 'electron';
import { CSP } from '@shared/csp';

// The Electron security checklist as plain functions (only electron's types
// here): security.ts, window.ts, ipc.ts and protocol.ts wire them to Electron,
// tests/unit/app/security-checklist.test.ts proves them in plain Node.

export const APP_ORIGIN = 'app://recurra';

/** The renderer's own URLs: the app protocol, or (a development build only) electron-vite's dev server. */
export function isRendererUrl(url: string, devRendererUrl: string | null): boolean {
  if (url.startsWith(`${APP_ORIGIN}/`)) return true;
  return Boolean(devRendererUrl && url.startsWith(new URL(devRendererUrl).origin + '/'));
}

/** What the main window loads: our own scheme, never file:// nor a remote page. */
export function mainWindowUrl(devRendererUrl: string | null): string {
  return devRendererUrl ?? `${APP_ORIGIN}/index.html`;
}

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export interface WindowShell {
  /** app.isPackaged: an installed build cannot open the developer tools (no menu item, no shortcut). */
  packaged: boolean;
  /** The window's icon file (Linux: `windowIconFor`). */
  icon?: string | undefined;
}

/** The main window's options: sandboxed, isolated, no Node, web security on, nothing experimental. */
export function mainWindowOptions(bounds: WindowBounds, preload: string, shell: WindowShell): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Recurra',
    ...(shell.icon ? { icon: shell.icon } : {}),
    webPreferences: {
      preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      devTools: !shell.packaged,
    },
  };
}

/** No new windows, no navigation or redirect away from our pages (any frame), no webviews. */
export function guardWebContents(contents: Pick<WebContents, 'setWindowOpenHandler' | 'on'>, allowed: (url: string) => boolean): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => {
    if (!allowed(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!allowed(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!allowed(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Every permission (camera, notifications, clipboard read, geolocation...) refused, asked or checked. */
export function denyPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Only our own top-level page may call main (VS Code's validatedIpcMain does the same). */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>, devRendererUrl: string | null): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  return isRendererUrl(frame.url, devRendererUrl);
}

/** The response headers with our policy set (replacing any the response had). */
export function withCsp(headers: Record<string, string[] | string> | undefined): Record<string, string[] | string> {
  const out: Record<string, string[] | string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  out['Content-Security-Policy'] = [CSP];
  return out;
}

/** The file an app:// URL names inside the renderer folder, or null (outside it, malformed, another host). */
export function rendererFile(root: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, `.${pathname}`);
  return file.startsWith(base + path.sep) ? file : null;
}

/** The app:// handler: a file of the built renderer with the CSP and nosniff headers, else 404. */
export function rendererHandler(root: string, fetchFile: (file: string) => Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    const file = rendererFile(root, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    const response = await fetchFile(file);
    // The policy travels with every response of our own scheme (webRequest hooks may not see custom schemes).
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  };
}
