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
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const COOKIE = 'recurra_conn';
const MAX_BODY = 5 * 1024 * 1024;

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



export async function startHost(opts: HostOptions): Promise<Host> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
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
      opts.core.logger.error('host request failed', { error: String(error) });
      if (!res.headersSent) send(res, 500, 'text/plain', 'Internal error');
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    // DNS rebinding guard: only our own host name is served.
    if (!allowedHosts().has(req.headers.host ?? '')) return send(res, 421, 'text/plain', 'Wrong host');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);

    if (url.pathname === '/rpc') {
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'POST only');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedOrigins().has(origin)) return send(res, 403, 'text/plain', 'Wrong origin');
      if (req.headers['x-recurra-token'] !== token) return send(res, 403, 'text/plain', 'Missing or wrong token');
      const conn = connectionFor(req);
      if (!conn) return sendJson(res, 200, { ok: false, error: { code: 'unauthenticated', message: 'Reload the page' } });
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
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
      const file = await downloads.receive(req, String(req.headers['x-file-name'] ?? 'upload'));
      conn.upload = file;
      return sendJson(res, 200, { ok: true });
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Method not allowed');

    // A one-time export file; only the tab that made it (its cookie) may fetch it.
    const download = /^\/download\/([\w-]+)$/.exec(url.pathname);
    if (download) {
      if (!connectionFor(req) || !downloads.serve(download[1]!, res)) return send(res, 404, 'text/plain', 'Not found');
      return;
    }

    if (opts.vite && url.pathname !== '/' && url.pathname !== '/index.html') {
      const middlewares = opts.vite.middlewares as (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;
      return middlewares(req, res, () => send(res, 404, 'text/plain', 'Not found'));
    }

    const file = resolveStatic(url.pathname);
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
    const file = path.resolve(root, `.${decodeURIComponent(pathname)}`);
    if (!file.startsWith(root + path.sep)) return null;
    if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
    return path.extname(pathname) ? null : 'index'; // client-side routes
  }

  async function serveIndex(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const indexPath = opts.indexHtmlPath ?? path.join(opts.rendererDir ?? '', 'index.html');
    let html = fs.readFileSync(indexPath, 'utf8');
    if (opts.vite) html = await opts.vite.transformIndexHtml(url.pathname, html);
    html = html.replace('<head>', `<head>\n    <meta name="recurra-host-token" content="${token}" />`);
    // Each tab gets its own connection (its own session), kept across reloads by the cookie.
    let conn = connectionFor(req);
    const headers: http.OutgoingHttpHeaders = {
      'content-type': TYPES['.html'],
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    // Vite's dev client needs inline scripts and its own socket; the built app gets the strict policy.
    if (!opts.vite) headers['content-security-policy'] = CSP;
    if (!conn) {
      conn = new HostConnection(randomBytes(18).toString('base64url'), downloads.destination());
      connections.set(conn.id, conn);
      headers['set-cookie'] = `${COOKIE}=${conn.id}; Path=/; HttpOnly; SameSite=Strict`;
    }
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

  return {
    url: `http://127.0.0.1:${port}/`,
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

  constructor(
    readonly id: string,
    readonly exports: ExportDestination,
  ) {}

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

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
