import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { IpcMainInvokeEvent, Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { CSP, CSP_META } from '@shared/csp';
import { injectCspMeta } from '../../../scripts/csp-meta-plugin';
import { devRendererUrl } from '../../../src-main/app/dev-renderer';
import {
  APP_ORIGIN,
  denyPermissions,
  guardWebContents,
  isRendererUrl,
  isTrustedSender,
  mainWindowOptions,
  mainWindowUrl,
  rendererFile,
  rendererHandler,
  withCsp,
} from '../../../src-main/app/hardening';
import { updateFeed } from '../../../src-main/app/updates';

// Electron's security checklist (electronjs.org/docs/latest/tutorial/security),
// one describe per item, numbered as there. Electron's binary cannot run here:
// the shell's pieces are plain functions (src-main/app/hardening.ts) that
// security.ts, window.ts, ipc.ts and protocol.ts hand to Electron; these tests
// give them the event and session objects Electron would. Fuses (19) and the
// packaging are in packaging.test.ts, the preload (20) in preload.test.ts.
// ARCHITECTURE.md ("The Electron security checklist") maps each item to its code.

const root = path.resolve(import.meta.dirname, '../../..');
const DEV = 'http://localhost:5173/';
const options = mainWindowOptions({ width: 1280, height: 820 }, '/app/out/preload/index.cjs', { packaged: true });
const prefs = options.webPreferences!;

/** Every source file of the shell, the core and the renderer, with its text. */
function sources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx|html)$/.test(entry.name)) out.push({ file: path.relative(root, full), text: fs.readFileSync(full, 'utf8') });
    }
  };
  for (const dir of ['src-main', 'src-renderer', 'src-shared']) walk(path.join(root, dir));
  return out;
}
const filesMatching = (re: RegExp) => sources().filter((s) => re.test(s.text)).map((s) => s.file);

/** A WebContents as far as guardWebContents uses it: listeners and the window-open handler. */
function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler: (handler: typeof openHandler) => {
      openHandler = handler;
    },
  });
  guardWebContents(contents as unknown as WebContents, (url) => isRendererUrl(url, null));
  /** Emits `name` as Electron does and says whether the listener prevented it. */
  const prevented = (name: string, url: string) => {
    let stopped = false;
    emitter.emit(name, { url, preventDefault: () => (stopped = true) }, url);
    return stopped;
  };
  return { prevented, open: (url: string) => openHandler!({ url }) };
}

/** CSP directives as a map: 'script-src' -> ["'self'"]. */
function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

/** The built renderer's pages (out/renderer, `npm run build:e2e`), or none when it was not built. */
function builtPages(): { file: string; html: string }[] {
  const dir = path.join(root, 'out/renderer');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.html')).map((f) => ({ file: f, html: fs.readFileSync(path.join(dir, f), 'utf8') }));
}
const sourcePage = () => fs.readFileSync(path.join(root, 'src-renderer/index.html'), 'utf8');

/** The URLs a page loads by itself: script src, link href, img src. */
function loadedUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script|link|img|iframe)\b[^>]*?\s(?:src|href)=["']([^"']+)["']/gi)].map((m) => m[1]!);
}

describe('1. Only load secure content', () => {
  it('the window loads our own app:// page, never http:, https: or file:', () => {
    expect(mainWindowUrl(null)).toBe('app://recurra/index.html');
    expect(new URL(mainWindowUrl(null)).protocol).toBe('app:');
  });

  it('a dev server is honoured only in a development build and only on this machine', () => {
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: DEV }, { isPackaged: true, dev: true })).toBeNull();
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: DEV }, { isPackaged: false, dev: false })).toBeNull();
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'http://evil.example:5173/' }, { isPackaged: false, dev: true })).toBeNull();
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: DEV }, { isPackaged: false, dev: true })).toBe(DEV);
  });

  it('the policy lets a page load nothing from another origin: no http:, https:, ws: or wildcard source', () => {
    for (const [name, values] of directives(CSP)) {
      for (const value of values) {
        expect(value, `${name} ${value}`).toMatch(/^('self'|'none'|'unsafe-inline'|data:|blob:)$/);
      }
    }
    expect(directives(CSP).get('style-src')).toContain("'unsafe-inline'"); // Mantine's runtime styles; scripts never
  });

  it('the pages load only their own files (relative or root paths)', () => {
    const pages = [{ file: 'src-renderer/index.html', html: sourcePage() }, ...builtPages()];
    for (const { file, html } of pages) {
      for (const url of loadedUrls(html)) expect(url, `${file}: ${url}`).toMatch(/^(\.\/|\/(?!\/))/);
    }
  });

  it('updates come only over HTTPS', () => {
    expect(updateFeed('http://updates.example.com/recurra')).toBeNull();
    expect(updateFeed('https://updates.example.com/recurra')).toEqual({ provider: 'generic', url: 'https://updates.example.com/recurra' });
  });
});

describe('2. No Node.js integration for remote (or any) content', () => {
  it('the window has Node off in the page, its workers and its frames', () => {
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('no source turns it on', () => {
    expect(filesMatching(/nodeIntegration(InWorker|InSubFrames)?\s*:\s*true/)).toEqual([]);
  });
});

describe('3. Context isolation in all renderers', () => {
  it('is on in the window options and never turned off in the source', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(filesMatching(/contextIsolation\s*:\s*false/)).toEqual([]);
  });
});

describe('4. Process sandboxing', () => {
  it('is on in the window options and never turned off in the source', () => {
    expect(prefs.sandbox).toBe(true);
    expect(filesMatching(/sandbox\s*:\s*false/)).toEqual([]);
  });

  it('the preload is built as CommonJS, which a sandboxed preload must be', () => {
    expect(options.webPreferences!.preload).toMatch(/\.cjs$/);
  });
});

describe('5. Permission requests handled (denied) in every session', () => {
  const PERMISSIONS = ['media', 'geolocation', 'notifications', 'clipboard-read', 'display-capture', 'midiSysex', 'openExternal', 'fileSystem', 'unknown'];

  it('every permission asked for is refused, and every check answers no', async () => {
    let request: Parameters<Session['setPermissionRequestHandler']>[0] = null;
    let check: Parameters<Session['setPermissionCheckHandler']>[0] = null;
    denyPermissions({
      setPermissionRequestHandler: (handler) => (request = handler),
      setPermissionCheckHandler: (handler) => (check = handler),
    });
    for (const permission of PERMISSIONS) {
      const granted = await new Promise<boolean>((resolve) =>
        request!({} as WebContents, permission as never, resolve, { requestingUrl: `${APP_ORIGIN}/index.html` } as never),
      );
      expect(granted, permission).toBe(false);
      expect(check!(null, permission as never, `${APP_ORIGIN}/index.html`, {} as never), permission).toBe(false);
    }
  });

  it('the shell applies it to the default session and to every session created later', () => {
    const security = fs.readFileSync(path.join(root, 'src-main/app/security.ts'), 'utf8');
    expect(security).toMatch(/lock\(session\.defaultSession\)/);
    expect(security).toMatch(/app\.on\('session-created', lock\)/);
  });
});

describe('6. webSecurity not disabled', () => {
  it('is on in the window options and never turned off in the source', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(filesMatching(/webSecurity\s*:\s*false|disablewebsecurity/i)).toEqual([]);
  });
});

describe('7. A Content-Security-Policy', () => {
  it('is restrictive: scripts only from our origin, no eval, no inline script, no plugins, no base or form targets', () => {
    const d = directives(CSP);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('is the header of every app:// response, replacing any other, with nosniff', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-renderer-'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
    const handler = rendererHandler(dir, async (file) => new Response(fs.readFileSync(file), { headers: { 'Content-Security-Policy': "default-src *", 'Content-Type': 'text/html' } }));
    const response = await handler(new Request('app://recurra/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>x</title>');
  });

  it('is the header of every other response (webRequest), replacing a weaker one', () => {
    const headers = withCsp({ 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] });
    expect(headers).toEqual({ 'Content-Security-Policy': [CSP], 'Content-Type': ['text/html'] });
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [CSP] });
  });

  it('the <meta> is the same policy less frame-ancestors (which a <meta> ignores)', () => {
    const header = directives(CSP);
    header.delete('frame-ancestors');
    expect(directives(CSP_META)).toEqual(header);
  });

  it('the build puts the <meta> at the top of the head (after the charset), before any script or style', () => {
    const html = injectCspMeta(sourcePage());
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CSP_META);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    expect(() => injectCspMeta(html)).toThrow(/own CSP/);
    expect(() => injectCspMeta('<p>no head</p>')).toThrow(/no <head>/);
  });

  const pages = builtPages();
  it.skipIf(pages.length === 0)('every built page (out/renderer/*.html, `npm run build:e2e`) carries it', () => {
    for (const { file, html } of pages) {
      const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/g)];
      expect(metas.map((m) => m[1]), file).toEqual([CSP_META]);
      const head = html.slice(0, html.indexOf('</head>'));
      expect(head.indexOf('Content-Security-Policy'), file).toBeLessThan(head.search(/<script|<link rel="stylesheet"/));
    }
  });
});

describe('8. allowRunningInsecureContent not enabled', () => {
  it('is off in the window options and never turned on in the source', () => {
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(filesMatching(/allowRunningInsecureContent\s*:\s*true/)).toEqual([]);
  });
});

describe('9. No experimental features', () => {
  it('is off in the window options and never turned on in the source', () => {
    expect(prefs.experimentalFeatures).toBe(false);
    expect(filesMatching(/experimentalFeatures\s*:\s*true/)).toEqual([]);
  });
});

describe('10. No enableBlinkFeatures', () => {
  it('is absent from the window options and from the source', () => {
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(filesMatching(/enableBlinkFeatures\s*:/)).toEqual([]);
  });
});

describe('11. <webview>: no allowpopups', () => {
  it('there is no webview: the tag is off and the renderer has none', () => {
    expect(prefs.webviewTag).toBe(false);
    expect(filesMatching(/<webview|allowpopups/i)).toEqual([]);
  });
});

describe('12. <webview>: options verified before creation', () => {
  it('every webview is refused before it attaches', () => {
    const contents = fakeContents();
    expect(contents.prevented('will-attach-webview', `${APP_ORIGIN}/index.html`)).toBe(true);
  });
});

describe('13. Navigation limited', () => {
  it('a navigation, a frame navigation or a redirect away from our pages is prevented; within them it is not', () => {
    const contents = fakeContents();
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      for (const url of ['https://evil.example/', 'http://localhost:5173/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://recurraevil/index.html', 'app://evil/index.html']) {
        expect(contents.prevented(event, url), `${event} ${url}`).toBe(true);
      }
      expect(contents.prevented(event, `${APP_ORIGIN}/index.html#/customers`), event).toBe(false);
    }
  });

  it('the dev server counts as ours only when a development build named it', () => {
    expect(isRendererUrl('http://localhost:5173/', null)).toBe(false);
    expect(isRendererUrl('http://localhost:5173/src/main.tsx', DEV)).toBe(true);
    expect(isRendererUrl('http://localhost:5174/', DEV)).toBe(false);
  });
});

describe('14. New windows limited', () => {
  it('every window.open or target=_blank is denied, even of our own pages', () => {
    const contents = fakeContents();
    for (const url of ['https://evil.example/', `${APP_ORIGIN}/index.html`, 'about:blank']) expect(contents.open(url)).toEqual({ action: 'deny' });
  });
});

describe('15. No shell.openExternal with untrusted content', () => {
  it('nothing calls shell.openExternal (links cannot leave the app: 13 and 14)', () => {
    expect(filesMatching(/openExternal\s*\(/)).toEqual([]);
  });
});

describe('16. A current version of Electron', () => {
  it('is pinned exactly, installed at that version, and a recent major', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const pinned = pkg.devDependencies.electron!;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const installed = (createRequire(import.meta.url)('electron/package.json') as { version: string }).version;
    expect(installed).toBe(pinned);
    expect(Number(pinned.split('.')[0])).toBeGreaterThanOrEqual(41);
  });
});

describe('17. The sender of every IPC message validated', () => {
  const mainFrame = { url: `${APP_ORIGIN}/index.html` };
  const event = (frame: { url: string } | null, main: object = mainFrame) =>
    ({ senderFrame: frame, sender: { mainFrame: main } }) as unknown as Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>;

  it('our own top-level page is accepted', () => {
    expect(isTrustedSender(event(mainFrame), null)).toBe(true);
  });

  it('a subframe, a destroyed frame, another origin, file: or the dev server in a built app are refused', () => {
    expect(isTrustedSender(event({ url: `${APP_ORIGIN}/index.html` }), null)).toBe(false); // a frame that is not the main one
    expect(isTrustedSender(event(null), null)).toBe(false);
    for (const url of ['https://evil.example/', 'file:///app/out/renderer/index.html', DEV, 'app://evil/index.html', 'about:blank']) {
      const frame = { url };
      expect(isTrustedSender(event(frame, frame), null), url).toBe(false);
    }
  });

  it('the dev server is accepted only when a development build named it', () => {
    const frame = { url: `${DEV}#/` };
    expect(isTrustedSender(event(frame, frame), DEV)).toBe(true);
  });

  it('the one rpc handler checks it before anything else', () => {
    const ipc = fs.readFileSync(path.join(root, 'src-main/app/ipc.ts'), 'utf8');
    expect(ipc.match(/ipcMain\.(handle|on)\(/g)).toEqual(['ipcMain.handle(']);
    expect(ipc.indexOf('isTrustedSender(event')).toBeLessThan(ipc.indexOf('core.dispatch('));
  });
});

describe('18. No file://: a custom protocol serves the renderer', () => {
  const dir = path.resolve('/srv/recurra/renderer');

  it('app://recurra/ maps into the renderer folder', () => {
    expect(rendererFile(dir, 'app://recurra/')).toBe(path.join(dir, 'index.html'));
    expect(rendererFile(dir, 'app://recurra/assets/index-1.js')).toBe(path.join(dir, 'assets/index-1.js'));
  });

  it('refuses a path out of it, encoded or not, a malformed escape, a NUL and another host', () => {
    for (const url of [
      'app://recurra/%2e%2e/%2e%2e/etc/passwd',
      'app://recurra/..%2f..%2fetc%2fpasswd',
      'app://recurra/assets/..%2F..%2F..%2Fsecret',
      'app://recurra/%2e%2e%5c%2e%2e%5cwin.ini',
      'app://recurra/%E0%A4%A',
      'app://recurra/index.html%00.js',
      'app://evil/index.html',
      'file:///etc/passwd',
    ]) {
      const file = rendererFile(dir, url);
      if (file !== null) expect(file.startsWith(dir + path.sep), `${url} -> ${file}`).toBe(true);
      else expect(file, url).toBeNull();
    }
    // The URL parser already folds a %2e%2e segment (it stays inside); an encoded slash is caught after decoding.
    expect(rendererFile(dir, 'app://recurra/%2e%2e/%2e%2e/etc/passwd')).toBe(path.join(dir, 'etc/passwd'));
    expect(rendererFile(dir, 'app://recurra/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(rendererFile(dir, 'app://recurra/%E0%A4%A')).toBeNull();
  });

  it('answers 404 to such a request without touching the disk', async () => {
    const touched: string[] = [];
    const handler = rendererHandler(dir, async (file) => {
      touched.push(file);
      return new Response('');
    });
    expect((await handler(new Request('app://recurra/..%2f..%2fetc%2fpasswd'))).status).toBe(404);
    expect((await handler(new Request('app://recurra/%E0%A4%A'))).status).toBe(404);
    expect(touched).toEqual([]);
  });
});
