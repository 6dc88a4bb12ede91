import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../core/core';
import type { ExportDestination, ImportSource } from '../core/ports';
import type { Connection } from '../core/rpc';
import { Downloads } from './downloads';
import { CSP } from '@shared/csp';

// The browser host (STYLE.md convention 10): serves the built renderer and
// answers the same contract over HTTP (calls) and a WebSocket (events), on
// 127.0.0.1 only, guarded by a per-run token. It adds no logic: every call
// goes through core.dispatch, exactly as IPC does in the app.

export interface HostOptions {
  core: Core;
  /** The built renderer (out/renderer). Ignored when `vite` is given. */
  rendererDir?: string;
  port?: number;
  token?: string;
  /** Dev mode: a Vite dev server in middleware mode, for hot reload. */
  vite?: { middlewares: http.RequestListener | ((req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void); transformIndexHtml(url: string, html: string): Promise<string> };
  /** Dev mode: the renderer's source index.html. */
  indexHtmlPath?: string;
}

export interface Host {
  /** The host's address. Opening it without a session cookie is refused: open `launchUrl`. */
  url: string;
  /**
   * The one-time address printed at start (`/?token=…`, as Jupyter does): the
   * first page that opens it gets the tab's HttpOnly SameSite=Strict cookie,
   * and the token is spent. Any other local process that asks for `/` gets nothing.
   */
  launchUrl: string;
  /** Another one-time address, for a second browser (tests open several). */
  newLaunchUrl(): string;
  /** The per-run token the page sends with each call (in its `recurra-host-token` meta tag). */
  token: string;
  port: number;
  close(): Promise<void>;
}

const COOKIE = 'recurra_conn';
/**
 * The largest call: a CSV import carries its file in the call, up to 64 MB
 * (the contract's limit), and JSON escaping adds to it. Past this, 413.
 */
export const MAX_CALL_BYTES = 96 * 1024 * 1024;
/**
 * The largest file a tab may upload: a backup to restore. A business at the
 * scale the benchmark measures (100,000 subscriptions, 1,000,000 invoices)
 * backs up to well under this; anything larger is refused with 413 as it
 * arrives, never buffered or written past the limit.
 */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};



export async function startHost(opts: HostOptions & { maxUploadBytes?: number; maxCallBytes?: number }): Promise<Host> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const maxUpload = opts.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  const maxCall = opts.maxCallBytes ?? MAX_CALL_BYTES;
  /** One-time launch tokens not yet exchanged for a cookie. */
  const launchTokens = new Set<string>();
  const mintLaunchToken = () => {
    const t = randomBytes(24).toString('base64url');
    launchTokens.add(t);
    return t;
  };
  const connections = new Map<string, HostConnection>();
  const downloads = new Downloads();
  const server = http.createServer();
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([...allowedHosts()].map((h) => `http://${h}`));

  function connectionFor(req: http.IncomingMessage): HostConnection | undefined {
    const id = parseCookies(req.headers.cookie)[COOKIE];
    return id ? connections.get(id) : undefined;
  }

  server.on('request', (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        if (!res.headersSent) send(res, error.status, 'text/plain', error.message, error.close);
        else res.destroy();
        return;
      }
      opts.core.logger.error('host request failed', { error: String(error) });
      if (!res.headersSent) send(res, 500, 'text/plain', 'Internal error');
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    // DNS rebinding guard: only our own host name is served.
    if (!allowedHosts().has(req.headers.host ?? '')) return send(res, 421, 'text/plain', 'Wrong host');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const pathname = decodePath(url.pathname); // 400 for bad percent-encoding

    if (url.pathname === '/rpc') {
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'POST only');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedOrigins().has(origin)) return send(res, 403, 'text/plain', 'Wrong origin');
      if (req.headers['x-recurra-token'] !== token) return send(res, 403, 'text/plain', 'Missing or wrong token');
      const conn = connectionFor(req);
      if (!conn) return sendJson(res, 200, { ok: false, error: { code: 'unauthenticated', message: 'Reload the page' } });
      let body: unknown;
      const text = await readBody(req, maxCall); // 413 past the limit
      try {
        body = JSON.parse(text);
      } catch {
        return sendJson(res, 200, { ok: false, error: { code: 'validation', message: 'Malformed request: not JSON' } });
      }
      const { method, input } = (body ?? {}) as { method?: unknown; input?: unknown };
      return sendJson(res, 200, await opts.core.dispatch(conn, method, input));
    }

    // A file the user picked (a backup to restore), streamed to a private temp file for the next call that asks.
    if (url.pathname === '/upload') {
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'POST only');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedOrigins().has(origin)) return send(res, 403, 'text/plain', 'Wrong origin');
      if (req.headers['x-recurra-token'] !== token) return send(res, 403, 'text/plain', 'Missing or wrong token');
      const conn = connectionFor(req);
      if (!conn) return send(res, 403, 'text/plain', 'Reload the page');
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxUpload) throw tooLarge(maxUpload);
      const name = decodeName(String(req.headers['x-file-name'] ?? 'upload'));
      const file = await downloads.receive(req, name, maxUpload);
      if (!file) throw tooLarge(maxUpload);
      conn.upload = file;
      return sendJson(res, 200, { ok: true });
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Method not allowed');

    // A one-time export file; only the tab that made it (its cookie) may fetch it.
    const download = /^\/download\/([\w-]+)$/.exec(pathname);
    if (download) {
      const conn = connectionFor(req);
      if (!conn || !downloads.serve(download[1]!, conn.id, res)) return send(res, 404, 'text/plain', 'Not found');
      return;
    }

    if (opts.vite && pathname !== '/' && pathname !== '/index.html') {
      const middlewares = opts.vite.middlewares as (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;
      return middlewares(req, res, () => send(res, 404, 'text/plain', 'Not found'));
    }

    const file = resolveStatic(pathname);
    if (file === 'index') return serveIndex(req, res, url);
    if (!file) return send(res, 404, 'text/plain', 'Not found');
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    fs.createReadStream(file).pipe(res);
  }

  function resolveStatic(pathname: string): string | 'index' | null {
    if (pathname === '/' || pathname === '/index.html' || !opts.rendererDir) return 'index';
    const root = path.resolve(opts.rendererDir);
    const file = path.resolve(root, `.${pathname}`);
    if (!file.startsWith(root + path.sep)) return null;
    if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
    return path.extname(pathname) ? null : 'index'; // client-side routes
  }

  async function serveIndex(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    let conn = connectionFor(req);
    const launch = url.searchParams.get('token');
    if (launch !== null) {
      // The one-time address: exchanged once for this tab's cookie, then spent.
      const headers: http.OutgoingHttpHeaders = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
      if (launchTokens.delete(launch) && !conn) {
        conn = new HostConnection(randomBytes(18).toString('base64url'), downloads);
        connections.set(conn.id, conn);
        headers['set-cookie'] = `${COOKIE}=${conn.id}; Path=/; HttpOnly; SameSite=Strict`;
      }
      if (!conn) return send(res, 403, 'text/plain; charset=utf-8', SPENT);
      // The token leaves the address bar (and the history); the fragment (#/route) is kept by the browser.
      url.searchParams.delete('token');
      headers.location = `${url.pathname}${url.search}`;
      res.writeHead(303, headers);
      res.end();
      return;
    }
    if (!conn) return send(res, 403, 'text/plain; charset=utf-8', SPENT);
    const indexPath = opts.indexHtmlPath ?? path.join(opts.rendererDir ?? '', 'index.html');
    let html = fs.readFileSync(indexPath, 'utf8');
    if (opts.vite) html = await opts.vite.transformIndexHtml(url.pathname, html);
    html = html.replace('<head>', `<head>\n    <meta name="recurra-host-token" content="${token}" />`);
    // The tab's connection (its own session) was made when it opened the one-time address; the cookie keeps it across reloads.
    const headers: http.OutgoingHttpHeaders = {
      'content-type': TYPES['.html'],
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    // Vite's dev client needs inline scripts and its own socket; the built app gets the strict policy.
    if (!opts.vite) headers['content-security-policy'] = CSP;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : html);
  }

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const conn = connectionFor(req);
    const ok =
      url.pathname === '/events' &&
      allowedHosts().has(req.headers.host ?? '') &&
      allowedOrigins().has(req.headers.origin ?? '') &&
      url.searchParams.get('token') === token &&
      conn !== undefined;
    if (!ok) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => conn.attach(ws));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}/`;

  return {
    url: base,
    launchUrl: `${base}?token=${mintLaunchToken()}`,
    newLaunchUrl: () => `${base}?token=${mintLaunchToken()}`,
    token,
    port,
    async close() {
      for (const conn of connections.values()) opts.core.disconnect(conn);
      for (const client of wss.clients) client.terminate();
      wss.close();
      downloads.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

class HostConnection implements Connection {
  sessionId: string | null = null;
  /** The last file this tab uploaded, for the call that asks for it. */
  upload: { path: string; name: string } | null = null;
  private readonly sockets = new Set<WebSocket>();
  readonly imports: ImportSource = {
    open: async () => {
      const picked = this.upload;
      this.upload = null;
      return picked;
    },
  };

  readonly exports: ExportDestination;

  constructor(
    readonly id: string,
    downloads: Downloads,
  ) {
    // An export becomes a download only this connection may fetch.
    this.exports = downloads.destination(id);
  }

  attach(ws: WebSocket) {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', () => {}); // the event channel is one-way
  }

  send(event: string, payload: unknown) {
    const message = JSON.stringify({ event, payload });
    for (const ws of this.sockets) if (ws.readyState === ws.OPEN) ws.send(message);
  }
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header?.split(';') ?? []) {
    const [k, ...v] = part.trim().split('=');
    if (k) out[k] = v.join('=');
  }
  return out;
}

const SPENT =
  'Open Recurra with the address printed when it started (it ends in ?token=...). ' +
  'Each such address opens one browser once; restart Recurra for a new one.';

/** An answer other than 500, thrown from inside a handler. `close` ends the connection (a body left unread). */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly close = false,
  ) {
    super(message);
  }
}

const tooLarge = (max: number) => new HttpError(413, `Too large: the limit is ${Math.floor(max / (1024 * 1024))} MB`, true);

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    throw new HttpError(400, 'Bad percent-encoding in the address');
  }
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    throw new HttpError(400, 'Bad percent-encoding in x-file-name');
  }
}

function readBody(req: http.IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        reject(tooLarge(max));
        req.pause();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, type: string, body: string, close = false) {
  res.writeHead(status, { 'content-type': type, ...(close ? { connection: 'close' } : {}) });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
