import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineRoute } from '../../src-server/api/define';
import { UsageCounter } from '../../src-server/api/limits';
import { openApiDocument } from '../../src-server/api/openapi';
import { apiRoutes } from '../../src-server/api/routes';
import { call, startTestServer, type TestServer } from './support';

// A route whose caller has no API key (`scope: 'public'`, as the license
// endpoints are): served without Authorization, its handler given no key (null), no
// Idempotency-Key replay, bad input still 400 naming the field; documented
// without security and with the statuses it declares.

describe('a public route (no API key)', () => {
  let server: TestServer;
  let app: FastifyInstance;
  let url: string;
  const seen: unknown[] = [];
  const route = defineRoute({
    method: 'POST',
    path: '/echo',
    operationId: 'echo',
    summary: 'Echo',
    tag: 'Test',
    scope: 'public',
    errors: { '404': 'Nothing to echo.' },
    body: z.object({ key: z.string().min(1).max(10) }).strict(),
    response: z.object({ key: z.string(), n: z.number() }),
    async handler(_ctx, { key, body }) {
      seen.push(key);
      return { key: body.key, n: seen.length };
    },
  });

  beforeAll(async () => {
    server = await startTestServer('pglite');
    const ctx = { db: server.storage.db, now: () => new Date(), serverKey: server.serverKey };
    app = Fastify({ logger: false });
    const usage = new UsageCounter(ctx.db, ctx.now);
    await app.register(async (scope: FastifyInstance) => apiRoutes(scope, ctx, { usage, document: openApiDocument([route], { version: 't' }), routes: [route] }), { prefix: '/v1' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  it('answers without a key, gives the handler no key, replays nothing, and still refuses bad input naming the field', async () => {
    const first = await fetch(`${url}/v1/echo`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' }, body: JSON.stringify({ key: 'abc' }) });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ key: 'abc', n: 1 });
    const again = await fetch(`${url}/v1/echo`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' }, body: JSON.stringify({ key: 'abc' }) });
    expect(await again.json()).toEqual({ key: 'abc', n: 2 });
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(seen).toEqual([null, null]);
    // A bearer header is not looked at: no 401 for a made-up one.
    expect((await call({ url }, 'POST', '/v1/echo', { token: 'rk_madeUpButIgnored000000', body: { key: 'x' } })).status).toBe(200);
    expect(await call({ url }, 'POST', '/v1/echo', { body: { key: 'x'.repeat(11) } })).toMatchObject({ status: 400, body: { error: { param: 'key' } } });
    expect(await call({ url }, 'POST', '/v1/echo', { body: { key: 'x', other: 1 } })).toMatchObject({ status: 400, body: { error: { param: 'other' } } });
    const doc = openApiDocument([route], { version: 't' }) as { paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown>; parameters: unknown[] }>> };
    const op = doc.paths['/v1/echo']!.post!;
    expect(op.security).toEqual([]);
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '404', '413', '429', '503']);
    expect(op.parameters).toEqual([]);
  });
});
