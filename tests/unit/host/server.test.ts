import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../../src-main/host/server';
import { makeCore } from '../../support/core';

// Issue 11, defect 9: the browser host's gaps, over real HTTP on 127.0.0.1.

const RENDERER = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-host-renderer-'));
fs.writeFileSync(path.join(RENDERER, 'index.html'), '<!doctype html><html><head><title>Recurra</title></head><body></body></html>');

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request (fetch would hide the 303 and refuse to stream a body without a length). */
function request(host: Host, opts: { method?: string; path: string; headers?: http.OutgoingHttpHeaders; body?: (req: http.ClientRequest) => void }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body) opts.body(req);
    else req.end();
  });
}

/** Opens a one-time address as a new browser would; returns the cookie it gets. */
async function openTab(host: Host, launchUrl = host.newLaunchUrl()): Promise<string> {
  const url = new URL(launchUrl);
  const reply = await request(host, { path: `${url.pathname}${url.search}` });
  expect(reply.status).toBe(303);
  expect(reply.headers.location).toBe('/');
  const cookie = reply.headers['set-cookie']?.[0];
  expect(cookie).toMatch(/HttpOnly; SameSite=Strict/);
  return cookie!.split(';')[0]!;
}

function rpc(host: Host, cookie: string, method: string, input: unknown) {
  return request(host, {
    method: 'POST',
    path: '/rpc',
    headers: { cookie, 'x-recurra-token': host.token, 'content-type': 'application/json' },
    body: (req) => req.end(JSON.stringify({ method, input })),
  }).then((r) => JSON.parse(r.body) as { ok: boolean; data?: unknown; error?: { code: string; field?: string; message: string } });
}

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function start(opts: { maxUploadBytes?: number; maxCallBytes?: number } = {}) {
  const { core } = makeCore();
  const host = await startHost({ core, rendererDir: RENDERER, ...opts });
  cleanup = async () => {
    await host.close();
    core.close();
  };
  return { core, host };
}

describe('the browser host', () => {
  it('gives the page (and its token) only to the browser that opened the one-time address', async () => {
    const { host } = await start();
    const anyone = await request(host, { path: '/' });
    expect(anyone.status).toBe(403);
    expect(anyone.body).not.toContain(host.token);

    const cookie = await openTab(host, host.launchUrl);
    const page = await request(host, { path: '/', headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<meta name="recurra-host-token" content="${host.token}" />`);

    // The printed address is spent: another process that read it gets nothing.
    const again = await request(host, { path: new URL(host.launchUrl).search.replace(/^/, '/') });
    expect(again.status).toBe(403);
    expect(again.body).not.toContain(host.token);
    // A client-side route without the cookie is the page too, so it is refused too.
    expect((await request(host, { path: '/customers' })).status).toBe(403);
  });

  it('serves a download only to the tab that made it', async () => {
    const { host } = await start();
    const owner = await openTab(host);
    const other = await openTab(host);
    const signUp = await rpc(host, owner, 'business.signUp', {
      businessName: 'Download Co', currency: 'EUR', timezone: 'Europe/Paris', ownerName: 'O', ownerEmail: 'o@example.com', password: 'long password',
    });
    expect(signUp.ok).toBe(true);
    await rpc(host, owner, 'customers.create', { name: 'Émile Zola', email: 'emile@example.com' });
    const exported = await rpc(host, owner, 'customers.export', { bom: false });
    const downloadUrl = (exported.data as { downloadUrl: string }).downloadUrl;
    expect(downloadUrl).toMatch(/^\/download\//);

    expect((await request(host, { path: downloadUrl, headers: { cookie: other } })).status).toBe(404);
    const mine = await request(host, { path: downloadUrl, headers: { cookie: owner } });
    expect(mine.status).toBe(200);
    expect(mine.body).toContain('Émile Zola');
  });

  it('refuses an upload past the limit with 413 as it streams, and keeps nothing of it', async () => {
    const { host } = await start({ maxUploadBytes: 1024 * 1024 });
    const cookie = await openTab(host);
    const headers = { cookie, 'x-recurra-token': host.token, 'x-file-name': 'big.recurra-backup' };
    const chunk = Buffer.alloc(64 * 1024, 1);
    // No content-length (chunked): the host must count as it reads.
    const streamed = await request(host, {
      method: 'POST',
      path: '/upload',
      headers,
      body: (req) => {
        let sent = 0;
        const pump = () => {
          while (sent < 48) {
            sent += 1;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        req.on('error', () => {}); // the host may close the connection once it has answered
        pump();
      },
    });
    expect(streamed.status).toBe(413);
    expect(streamed.body).toMatch(/limit is 1 MB/);
    const declared = await request(host, { method: 'POST', path: '/upload', headers: { ...headers, 'content-length': String(3 * 1024 * 1024) }, body: (req) => {
      req.on('error', () => {});
      req.end();
    } });
    expect(declared.status).toBe(413);
    const leftovers = fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('recurra-downloads-'))
      .flatMap((d) => fs.readdirSync(path.join(os.tmpdir(), d)).filter((f) => f.startsWith('upload-')).map((f) => fs.statSync(path.join(os.tmpdir(), d, f)).size));
    expect(leftovers.every((size) => size <= 1024 * 1024)).toBe(true);

    const small = await request(host, { method: 'POST', path: '/upload', headers, body: (req) => req.end(Buffer.alloc(1000)) });
    expect(small.status).toBe(200);
  });

  it('answers bad percent-encoding with 400, not 500', async () => {
    const { host } = await start();
    expect((await request(host, { path: '/assets/%E0%A4%A.js' })).status).toBe(400);
    const cookie = await openTab(host);
    const upload = await request(host, { method: 'POST', path: '/upload', headers: { cookie, 'x-recurra-token': host.token, 'x-file-name': '%E0%A4%A' }, body: (req) => req.end('x') });
    expect(upload.status).toBe(400);
  });

  it('bounds prefs.set, which works before login: a 4 MB value is refused naming the field', async () => {
    const { host } = await start();
    const cookie = await openTab(host);
    const huge = await rpc(host, cookie, 'prefs.set', { lastBusinessId: 'x'.repeat(4 * 1024 * 1024) });
    // 4 MB of JSON is under the 5 MB body limit: the schema refuses it.
    expect(huge).toMatchObject({ ok: false, error: { code: 'validation', field: 'lastBusinessId' } });
    expect(await rpc(host, cookie, 'prefs.set', { colour: 'red' })).toMatchObject({ ok: false, error: { code: 'validation', field: 'colour' } });
    expect(await rpc(host, cookie, 'prefs.set', { theme: 'dark' })).toMatchObject({ ok: true, data: { theme: 'dark' } });
  });

  it('answers a call body past its limit with 413, not 500', async () => {
    const { host } = await start({ maxCallBytes: 5 * 1024 * 1024 });
    const cookie = await openTab(host);
    const reply = await request(host, {
      method: 'POST',
      path: '/rpc',
      headers: { cookie, 'x-recurra-token': host.token, 'content-type': 'application/json' },
      body: (req) => {
        req.on('error', () => {});
        req.end(JSON.stringify({ method: 'prefs.set', input: { lastBusinessId: 'x'.repeat(6 * 1024 * 1024) } }));
      },
    });
    expect(reply.status).toBe(413);
  });
});
