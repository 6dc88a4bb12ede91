import path from 'node:path';
import { openBusinessFile } from '../support/core';
import Ajv2020 from 'ajv/dist/2020';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { dashboardPage } from '../../src-server/admin/pages';
import { listBusinesses, setSuspended } from '../../src-server/admin/store';
import { buildApp } from '../../src-server/app';
import { createInvite } from '../../src-server/sync/store';
import { SHARED_TTL_MS } from '../../src-server/api/key-cache';
import { appendServerChanges } from '../../src-server/projection/writer';
import { ensureProjection } from '../../src-server/projection/catch-up';
import { PageCache, pageCacheOf } from '../../src-server/api/page-cache';
import { writeSnapshotOf } from '../../src-server/db/shared-statement';
import { addDays } from '@shared/domain/dates';
import { businessOnNewPc, customers, PAST, type Customer, type Pc } from './pcs';
import { startTestServer, storageKinds, type TestServer } from './support';

// The REST API (spec/server.md, "REST API") on the data a PC synced: keys made
// with `recurra api-key create` on the PC, the customers endpoints, scopes,
// tenancy, idempotency, bad input, and every answer checked against the
// served OpenAPI document. On PGlite and on PostgreSQL.

interface Business {
  pc: Pc;
  businessId: string;
  read: string;
  write: string;
  writeId: string;
  jane: Customer;
}


describe.each(storageKinds)('the REST API on %s', (kind) => {
  let server: TestServer;
  let ajv: Ajv2020;
  let openapi: { paths: Record<string, Record<string, { responses: Record<string, { content: { 'application/json': { schema: unknown } } }> }>>; components: { schemas: Record<string, unknown> } };

  /** One HTTP call; its answer is checked against the OpenAPI document's schema for that route and status. */
  async function api(method: string, route: string, options: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    if ((options.body !== undefined || options.raw !== undefined) && !headers['content-type']) headers['content-type'] = 'application/json';
    const response = await fetch(`${server.url}${route}`, { method, headers, body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) });
    const text = await response.text();
    const body = text ? JSON.parse(text) : null;
    const template = Object.keys(openapi.paths).find((p) => new RegExp(`^${p.replace(/\{\w+\}/g, '[^/]+')}$`).test(route.split('?')[0]!));
    if (template) {
      const operation = openapi.paths[template]![method.toLowerCase()];
      const documented = operation?.responses[String(response.status)];
      expect(documented, `${method} ${route} answered ${response.status}, which the OpenAPI document does not list`).toBeDefined();
      const schema = documented!.content['application/json'].schema;
      const validate = ajv.compile({ ...(schema as object), components: openapi.components });
      expect(validate(body), `${method} ${route} ${response.status}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    return { status: response.status, body, headers: response.headers };
  }

  async function business(name: string, email: string): Promise<Business> {
    const { a, businessId, jane } = await businessOnNewPc(name);
    await a.ok(['customer', 'update', jane.id, '--email', email]);
    await a.ok(['sync', 'connect', '--server', server.url, '--invite', (await createInvite(server.storage.db, server.clock.now())).code]);
    const read = await a.ok<{ key: string }>(['api-key', 'create', '--name', 'Website', '--scope', 'read']);
    const write = await a.ok<{ key: string; id: string }>(['api-key', 'create', '--name', 'Zapier', '--scope', 'write']);
    await a.ok(['sync', 'now']);
    return { pc: a, businessId, read: read.key, write: write.key, writeId: write.id, jane: (await customers(a)).find((c) => c.id === jane.id)! };
  }

  const changeCount = async (businessId: string) =>
    Number(((await server.storage.db.execute(sql`select count(*) as n from changes where business_id = ${businessId}`)) as unknown as { rows: { n: string }[] }).rows[0]!.n);

  let one: Business;
  let two: Business;

  beforeAll(async () => {
    server = await startTestServer(kind, { apiRatePerSecond: 10_000 });
    ajv = new Ajv2020({ strict: false });
    openapi = (await (await fetch(`${server.url}/v1/openapi.json`)).json()) as typeof openapi;
    one = await business('Sunrise Yoga', 'jane@sunrise.example');
    two = await business('Harbor Gym', 'jane@harbor.example');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves an OpenAPI 3.1 document of every route, and a readable reference at /docs', async () => {
    expect(openapi).toMatchObject({ openapi: '3.1.0' });
    expect(Object.keys(openapi.paths).filter((p) => !p.startsWith('/v1/licenses/')).sort()).toEqual(['/v1/customers', '/v1/customers/{id}', '/v1/invoices', '/v1/invoices/{id}', '/v1/metrics', '/v1/plans', '/v1/subscriptions', '/v1/subscriptions/{id}']);
    const docs = await fetch(`${server.url}/docs`, { redirect: 'follow' });
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('lists the customers the PC synced, in the CLI\'s shape, page by page, and finds by search', async () => {
    const onPc = await customers(one.pc);
    const listed = await api('GET', '/v1/customers?limit=100', { key: one.read });
    expect(listed.status).toBe(200);
    expect(listed.body.hasMore).toBe(false);
    expect([...listed.body.data].sort((x: Customer, y: Customer) => x.email.localeCompare(y.email))).toEqual(onPc);
    expect(await api('GET', `/v1/customers/${one.jane.id}`, { key: one.read })).toMatchObject({ status: 200, body: one.jane });
    const found = await api('GET', '/v1/customers?search=JOHN', { key: one.read });
    expect(found.body.data.map((c: Customer) => c.name)).toEqual(['John Smith']);
    // A % in a search is a character, not a wildcard.
    expect((await api('GET', '/v1/customers?search=%25', { key: one.read })).body.data).toEqual([]);
  });

  it('walks every customer exactly once with starting_after while customers are being added', async () => {
    for (let i = 0; i < 5; i++) await api('POST', '/v1/customers', { key: one.write, body: { name: `Walker ${i}`, email: `walker${i}@example.com` } });
    const before = (await api('GET', '/v1/customers?limit=100', { key: one.read })).body.data.map((c: Customer) => c.id);
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 50; page++) {
      const reply = await api('GET', `/v1/customers?limit=2${after ? `&starting_after=${after}` : ''}`, { key: one.read });
      expect(reply.status).toBe(200);
      seen.push(...reply.body.data.map((c: Customer) => c.id));
      await api('POST', '/v1/customers', { key: one.write, body: { name: `Added ${page}`, email: `added${page}@example.com` } });
      if (!reply.body.hasMore) break;
      after = reply.body.data.at(-1).id;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(before));
  });

  it('keeps a customers page as sent while the projection stands, and reads it again once a change is folded, a PC\'s or another process\'s', async () => {
    const cache = pageCacheOf(server.storage.db);
    const page = async (route = '/v1/customers?limit=100') => {
      const reads = cache.reads;
      const reply = await api('GET', route, { key: one.read });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      return { body: reply.body, read: cache.reads - reads };
    };
    const first = await page();
    const again = await page();
    expect(again).toEqual({ body: first.body, read: 0 });
    // Another query is another page.
    expect((await page('/v1/customers?limit=99')).read).toBe(1);
    // A customer renamed on the PC and synced: folded (the next key check folds it), then the page is read again.
    const renamed = first.body.data[0] as Customer;
    await one.pc.ok(['customer', 'update', renamed.id, '--name', `${renamed.name} Cached`]);
    await one.pc.ok(['sync', 'now']);
    await ensureProjection(server.storage.db, one.businessId);
    const after = await page();
    expect(after.read).toBe(1);
    expect(after.body.data.find((c: Customer) => c.id === renamed.id).name).toBe(`${renamed.name} Cached`);
    expect((await page()).read).toBe(0);
    // A change another server process wrote and folded (straight into the database: this process is told nothing).
    await server.storage.db.transaction(async (tx) =>
      appendServerChanges(tx as unknown as typeof server.storage.db, one.businessId, [{ table: 'customers', rowId: renamed.id, op: 'upsert', fields: { name: 'Renamed Elsewhere', '@base': { name: `${renamed.name} Cached` } } }], server.clock.now()),
    );
    await ensureProjection(server.storage.db, one.businessId);
    const elsewhere = await page();
    expect(elsewhere.read).toBe(1);
    expect(elsewhere.body.data.find((c: Customer) => c.id === renamed.id).name).toBe('Renamed Elsewhere');
  });

  it.runIf(kind === 'pglite')('on PGlite, sends a kept customers page with no check while nothing at all was written, and checks it once after any write', async () => {
    const db = server.storage.db;
    const cache = pageCacheOf(db);
    const snapshot = () => writeSnapshotOf(db)!.ask(null);
    const route = '/v1/customers?limit=7';
    const first = await api('GET', route, { key: one.read });
    expect(first.status).toBe(200);
    // (The API usage counts are written every 5 s: a round that saw the snapshot move is run again.)
    let quiet = false;
    for (let round = 0; round < 5 && !quiet; round++) {
      const [checks, reads, before] = [cache.checks, cache.reads, await snapshot()];
      for (let i = 0; i < 3; i++) expect((await api('GET', route, { key: one.read })).body).toEqual(first.body);
      if ((await snapshot()) !== before) continue;
      quiet = true;
      expect([cache.checks - checks, cache.reads - reads]).toEqual([0, 0]);
    }
    expect(quiet).toBe(true);
    // A write that leaves the page as it was (another business's usage count): one cursor check, the page kept.
    await db.execute(sql`insert into api_usage (business_id, day, requests) values (${two.businessId}, ${'2026-01-01'}, 1)
      on conflict (business_id, day) do update set requests = api_usage.requests + 1`);
    const [checks, reads] = [cache.checks, cache.reads];
    expect((await api('GET', route, { key: one.read })).body).toEqual(first.body);
    expect([cache.checks - checks, cache.reads - reads]).toEqual([1, 0]);
    // One that moves it (a customer renamed over the API, folded): read again.
    const renamed = first.body.data[0] as Customer;
    expect((await api('PATCH', `/v1/customers/${renamed.id}`, { key: one.write, body: { name: 'Quick Renamed' } })).status).toBe(200);
    await ensureProjection(db, one.businessId);
    const after = await api('GET', route, { key: one.read });
    expect(after.body.data.find((c: Customer) => c.id === renamed.id).name).toBe('Quick Renamed');
    expect(cache.reads - reads).toBe(1);
  });

  it('keeps at most its bound of pages and of text, the least recently used going first', async () => {
    const small = new PageCache(server.storage.db, 3, 250);
    // A business with no projection yet: its cursor reads 0, as these pages say they were read at.
    const page = (text: string) => async () => ({ cursor: 0, body: { text } });
    const ask = async (query: string, text = query) => {
      const reads = small.reads;
      await small.get('no-projection-yet', query, page(text));
      return small.reads - reads;
    };
    for (const q of ['a', 'b', 'c']) expect(await ask(q)).toBe(1);
    expect(small.size.pages).toBe(3);
    expect(await ask('a')).toBe(0); // kept, and now the most recently used
    expect(await ask('d')).toBe(1); // four pages: b, the least recently used, goes
    expect(small.size.pages).toBe(3);
    expect(await ask('b')).toBe(1);
    expect(await ask('a')).toBe(0);
    // By text: each page above is 12 characters of JSON; one of 241 pushes out the least recently used until it fits in 250.
    expect(await ask('big', 'x'.repeat(230))).toBe(1);
    expect(small.size).toEqual({ pages: 1, bytes: 241 });
    expect(await ask('big')).toBe(0);
    expect(await ask('a')).toBe(1);
  });

  it('creates and edits customers that the PC gets on its next sync, with a timeline entry and an audit row naming the key', async () => {
    const created = await api('POST', '/v1/customers', { key: one.write, body: { name: 'Ada From Web', email: 'Ada@Example.com', tags: ['web', 'Lead'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Ada From Web', email: 'Ada@Example.com', tags: ['Lead', 'web'], creditBalance: 0, currency: 'USD', status: 'active' });
    const edited = await api('PATCH', `/v1/customers/${created.body.id}`, { key: one.write, body: { phone: '+1 555 0123', tags: ['web'] } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ phone: '+1 555 0123', tags: ['web'] });
    expect(await api('GET', `/v1/customers/${created.body.id}`, { key: one.read })).toMatchObject({ body: edited.body });

    expect((await one.pc.ok<{ pulled: number }>(['sync', 'now'])).pulled).toBeGreaterThan(0);
    const onPc = (await customers(one.pc)).find((c) => c.id === created.body.id);
    expect(onPc).toEqual(edited.body);
    const file = path.join(one.pc.dataDir, 'businesses', `${one.businessId}.sqlite`);
    const db = openBusinessFile(file, { readonly: true });
    try {
      const audit = db.prepare('SELECT user_email, action FROM audit_log WHERE entity_id = ? ORDER BY id').all(created.body.id);
      expect(audit).toEqual([
        { user_email: 'API key "Zapier"', action: 'customers.create' },
        { user_email: 'API key "Zapier"', action: 'customers.update' },
      ]);
      const timeline = db.prepare('SELECT title FROM customer_events WHERE customer_id = ? ORDER BY id').pluck().all(created.body.id);
      expect(timeline).toEqual(['Customer created (API key "Zapier")', 'Customer edited (API key "Zapier")']);
    } finally {
      db.close();
    }
    // Taken emails are refused, naming the field, whatever their case.
    const taken = await api('POST', '/v1/customers', { key: one.write, body: { name: 'Twin', email: 'ADA@example.com' } });
    expect(taken).toMatchObject({ status: 409, body: { error: { type: 'conflict', code: 'email_taken', param: 'email' } } });
  });

  it('replays a POST with the same Idempotency-Key for 24 h and refuses the key with another body', async () => {
    const body = { name: 'Once Only', email: 'once@example.com' };
    const headers = { 'idempotency-key': 'order-7781' };
    const first = await api('POST', '/v1/customers', { key: one.write, body, headers });
    const count = await changeCount(one.businessId);
    const again = await api('POST', '/v1/customers', { key: one.write, body, headers });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await changeCount(one.businessId)).toBe(count);
    const other = await api('POST', '/v1/customers', { key: one.write, body: { ...body, name: 'Someone Else' }, headers });
    expect(other).toMatchObject({ status: 409, body: { error: { code: 'idempotency_key_reused', param: 'Idempotency-Key' } } });
    // Both at once: one write, one replay.
    const twins = await Promise.all([0, 1].map(() => api('POST', '/v1/customers', { key: one.write, body: { name: 'Twin', email: 'twin@example.com' }, headers: { 'idempotency-key': 'twin-1' } })));
    expect(twins.map((t) => t.status)).toEqual([201, 201]);
    expect(twins[0]!.body).toEqual(twins[1]!.body);
    expect((await api('GET', '/v1/customers?search=twin@', { key: one.read })).body.data).toHaveLength(1);
    // After 24 hours the key is free again.
    server.clock.advance(24 * 3600_000 + 1000);
    try {
      const later = await api('POST', '/v1/customers', { key: one.write, body: { ...body, email: 'once-more@example.com' }, headers });
      expect(later.status).toBe(201);
      expect(later.body.id).not.toBe(first.body.id);
    } finally {
      server.clock.advance(-(24 * 3600_000 + 1000));
    }
  });

  it('keeps each key to its business and its scope', async () => {
    const count = await changeCount(one.businessId);
    expect(await api('POST', '/v1/customers', { key: one.read, body: { name: 'Nope', email: 'nope@example.com' } })).toMatchObject({
      status: 403,
      body: { error: { type: 'permission', code: 'insufficient_scope' } },
    });
    expect(await api('PATCH', `/v1/customers/${one.jane.id}`, { key: one.read, body: { name: 'Nope' } })).toMatchObject({ status: 403 });
    expect(await changeCount(one.businessId)).toBe(count);
    // Business two's key never sees or touches business one's customers.
    expect(await api('GET', `/v1/customers/${one.jane.id}`, { key: two.read })).toMatchObject({ status: 404 });
    expect(await api('PATCH', `/v1/customers/${one.jane.id}`, { key: two.write, body: { name: 'Hijack' } })).toMatchObject({ status: 404 });
    const list = await api('GET', '/v1/customers?limit=100', { key: two.read });
    expect(list.body.data.map((c: Customer) => c.email).sort()).toEqual(['jane@harbor.example', 'john@example.com']);
    // The same email in two businesses is no conflict.
    expect(await api('POST', '/v1/customers', { key: two.write, body: { name: 'Ada', email: 'ada@example.com' } })).toMatchObject({ status: 201 });
    expect(await changeCount(one.businessId)).toBe(count);
  });

  it('tells the PCs the day a key was last used', async () => {
    const extra = await one.pc.ok<{ key: string; id: string }>(['api-key', 'create', '--name', 'Unused', '--scope', 'read']);
    await one.pc.ok(['sync', 'now']);
    expect((await api('GET', '/v1/customers?limit=1', { key: one.read })).status).toBe(200);
    await one.pc.ok(['sync', 'now']);
    const keys = await one.pc.ok<{ id: string; name: string; lastUsedOn: string | null }[]>(['api-key', 'list']);
    const today = server.clock.now().toISOString().slice(0, 10);
    expect(keys.find((k) => k.name === 'Website')?.lastUsedOn).toBe(today);
    expect(keys.find((k) => k.id === extra.id)?.lastUsedOn).toBeNull();
    // Once a day: more requests today write no more changes.
    const count = await changeCount(one.businessId);
    for (let i = 0; i < 3; i++) await api('GET', '/v1/customers?limit=1', { key: one.read });
    expect(await changeCount(one.businessId)).toBe(count);
  });

  it('refuses missing, unknown and revoked keys', async () => {
    expect(await api('GET', '/v1/customers')).toMatchObject({ status: 401, body: { error: { type: 'authentication' } } });
    expect(await api('GET', '/v1/customers', { key: 'rk_thisIsNotAKeyAnyoneMade000000' })).toMatchObject({ status: 401, body: { error: { code: 'unknown_key' } } });
    expect(await api('GET', '/v1/customers', { key: 'sk_live_123' })).toMatchObject({ status: 401 });
    const extra = await two.pc.ok<{ key: string; id: string }>(['api-key', 'create', '--name', 'Old script', '--scope', 'read']);
    await two.pc.ok(['sync', 'now']);
    expect((await api('GET', '/v1/customers', { key: extra.key })).status).toBe(200);
    await two.pc.ok(['api-key', 'revoke', extra.id]);
    await two.pc.ok(['sync', 'now']);
    expect(await api('GET', '/v1/customers', { key: extra.key })).toMatchObject({ status: 401, body: { error: { code: 'key_revoked' } } });
  });

  it('checks a key again once anything changed in its business: a suspension, a push, its own write', async () => {
    // On PGlite the server keeps a key it checked (api/key-cache.ts); these must still be seen at once.
    expect((await api('GET', '/v1/customers?limit=1', { key: two.read })).status).toBe(200);
    expect((await api('GET', '/v1/customers?limit=1', { key: two.read })).status).toBe(200);
    await setSuspended(server.storage.db, two.businessId, true, server.clock.now());
    expect(await api('GET', '/v1/customers?limit=1', { key: two.read })).toMatchObject({ status: 403, body: { error: { code: 'business_suspended' } } });
    await setSuspended(server.storage.db, two.businessId, false, server.clock.now());
    expect((await api('GET', '/v1/customers?limit=1', { key: two.read })).status).toBe(200);
    // A customer made through the API is in the next page read with a key checked before the write.
    const made = await api('POST', '/v1/customers', { key: two.write, body: { name: 'Cached Reader', email: 'cached.reader@example.com' } });
    expect(made.status).toBe(201);
    const listed = await api('GET', '/v1/customers?limit=100&search=cached.reader', { key: two.read });
    expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual([made.body.id]);
    // A PC's edit pushed since is read too.
    await two.pc.ok(['sync', 'now']);
    await two.pc.ok(['customer', 'update', made.body.id, '--name', 'Cached Reader Renamed']);
    await two.pc.ok(['sync', 'now']);
    const again = await api('GET', '/v1/customers?limit=100&search=cached.reader', { key: two.read });
    expect(again.body.data.map((c: { name: string }) => c.name)).toEqual(['Cached Reader Renamed']);
  });

  it.runIf(kind === 'postgres')('sees a revocation another server process committed within SHARED_TTL_MS: on a shared PostgreSQL a checked key is kept 1 s', async () => {
    const extra = await two.pc.ok<{ key: string; id: string }>(['api-key', 'create', '--name', 'Other process', '--scope', 'read']);
    await two.pc.ok(['sync', 'now']);
    expect((await api('GET', '/v1/customers?limit=1', { key: extra.key })).status).toBe(200);
    // Another process's commit: the revocation is in the log, and this process was not told (key-cache.ts businessChanged).
    const db = server.storage.db;
    await db.transaction((tx) =>
      appendServerChanges(tx as unknown as typeof db, two.businessId, [{ table: 'api_keys', rowId: extra.id, op: 'upsert', fields: { revoked_at: server.clock.now().toISOString(), '@base': { revoked_at: null } } }], server.clock.now()),
    );
    const start = Date.now();
    let reply = await api('GET', '/v1/customers?limit=1', { key: extra.key });
    while (reply.status === 200 && Date.now() - start < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      reply = await api('GET', '/v1/customers?limit=1', { key: extra.key });
    }
    expect(reply).toMatchObject({ status: 401, body: { error: { code: 'key_revoked' } } });
    // The kept answer expires after SHARED_TTL_MS; the rest is the fold of the change on a loaded machine.
    expect(Date.now() - start).toBeLessThan(SHARED_TTL_MS + 1_000);
  });

  it('answers bad input with 400 naming the param, and writes nothing', async () => {
    const count = await changeCount(one.businessId);
    const bad: [string, string, { body?: unknown; raw?: string; headers?: Record<string, string> }, string][] = [
      ['POST', '/v1/customers', { body: { name: 5, email: 'x@example.com' } }, 'name'],
      ['POST', '/v1/customers', { body: { name: 'No Email' } }, 'email'],
      ['POST', '/v1/customers', { body: { name: 'X', email: 'not-an-email' } }, 'email'],
      ['POST', '/v1/customers', { body: { name: 'X', email: 'x@example.com', admin: true } }, 'admin'],
      ['POST', '/v1/customers', { body: { name: 'X'.repeat(100_000), email: 'x@example.com' } }, 'name'],
      ['POST', '/v1/customers', { body: { name: 'X', email: 'x@example.com', tags: 'vip' } }, 'tags'],
      ['POST', '/v1/customers', { body: { name: 'X', email: 'x@example.com', status: 'deleted' } }, 'status'],
      ['POST', '/v1/customers', { body: [] }, 'body'],
      ['POST', '/v1/customers', { raw: '{"name": "X", "email": ' }, 'body'],
      ['POST', '/v1/customers', { raw: 'name=X', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 'Content-Type'],
      ['POST', '/v1/customers', { raw: '{}', headers: { 'content-type': 'text/plain' } }, 'Content-Type'],
      ['POST', '/v1/customers', { body: { name: 'X', email: 'x@example.com' }, headers: { 'idempotency-key': 'x'.repeat(300) } }, 'Idempotency-Key'],
      ['PATCH', `/v1/customers/${one.jane.id}`, { body: { email: 'jane@' } }, 'email'],
      ['PATCH', `/v1/customers/${one.jane.id}`, { body: { creditBalance: 100000 } }, 'creditBalance'],
      ['GET', '/v1/customers?limit=1000', {}, 'limit'],
      ['GET', '/v1/customers?limit=abc', {}, 'limit'],
      ['GET', '/v1/customers?sort=name', {}, 'sort'],
    ];
    for (const [method, route, options, param] of bad) {
      const reply = await api(method, route, { key: one.write, ...options });
      expect({ route, status: reply.status, param: reply.body?.error?.param }).toEqual({ route, status: 400, param });
      expect(reply.body.error.type).toBe('invalid_request');
    }
    const huge = await api('POST', '/v1/customers', { key: one.write, raw: JSON.stringify({ name: 'X', email: 'x@example.com', notes: 'n'.repeat(1_100_000) }) });
    expect(huge.status).toBe(413);
    expect(await api('GET', '/v1/customers/no-such-id', { key: one.read })).toMatchObject({ status: 404, body: { error: { type: 'not_found' } } });
    expect(await changeCount(one.businessId)).toBe(count);
  });

  it('limits each key\'s rate with 429 and Retry-After', async () => {
    // A second app on the same database (servers are stateless), with a rate of 5 a second per key.
    const strict = await buildApp({ db: server.storage.db, now: server.clock.now, serverKey: server.serverKey }, { apiRatePerSecond: 5, log: () => undefined });
    await strict.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(strict.server.address() as AddressInfo).port}`;
    const replies = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const r = await fetch(`${url}/v1/customers?limit=1`, { headers: { authorization: `Bearer ${two.read}` } });
        return { status: r.status, headers: r.headers, body: (await r.json()) as { error?: unknown } };
      }),
    );
    await strict.close();
    const limited = replies.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.headers.get('retry-after')).toBe('1');
    expect(limited[0]!.body.error).toMatchObject({ type: 'rate_limit', code: 'rate_limited' });
    expect(replies.filter((r) => r.status === 200).length).toBeGreaterThan(0);
  });

  it('counts requests per business and day for the admin page', async () => {
    await server.app.flushApiUsage();
    const before = (await listBusinesses(server.storage.db, server.clock.now())).find((b) => b.id === two.businessId)!.apiRequests;
    for (let i = 0; i < 3; i++) expect((await api('GET', '/v1/customers?limit=1', { key: two.read })).status).toBe(200);
    await api('GET', '/v1/customers', { key: 'rk_thisIsNotAKeyAnyoneMade000000' });
    await server.app.flushApiUsage();
    const rows = await listBusinesses(server.storage.db, server.clock.now());
    const after = rows.find((b) => b.id === two.businessId)!.apiRequests;
    expect(after).toEqual({ today: before.today + 3, week: before.week + 3 });
    expect(after.today).toBeGreaterThan(3);
    expect(dashboardPage('ops@example.com', 'csrf', rows)).toContain(`${after.today} today`);
  });

  it('answers GET /v1/metrics with the document of `recurra metrics --as-of`, to the cent, for past dates too; plans, subscriptions and invoices as the CLI shows them', async () => {
    const three = await business('Metrics Studio', 'jane@metrics.example');
    const pc = three.pc;
    const start = addDays(PAST, -150);
    const monthly = (await pc.ok<{ plan: { id: string } }>(['plan', 'create', '--name', 'Monthly', '--price', '30.00', '--interval', 'month'])).plan;
    const yearly = (await pc.ok<{ plan: { id: string } }>(['plan', 'create', '--name', 'Yearly', '--price', '300.00', '--interval', 'year'])).plan;
    const people: { id: string }[] = [];
    for (const [i, method] of (['card', 'card', 'card_declining', 'manual', 'card'] as const).entries()) {
      people.push((await pc.ok<{ customer: { id: string } }>(['customer', 'create', '--name', `Member ${i}`, '--email', `member${i}@metrics.example`, '--payment-method', method])).customer);
    }
    await pc.ok(['coupon', 'create', '--code', 'HALF', '--percent-off', '50', '--duration', 'repeating', '--months', '2']);
    const subs: { id: string }[] = [];
    for (const [i, p] of people.entries()) {
      const args = ['subscription', 'create', '--customer', p.id, '--plan', i === 4 ? yearly.id : monthly.id, '--start', addDays(start, i * 9)];
      if (i === 1) args.push('--coupon', 'HALF');
      if (i === 2) args.push('--trial-days', '14');
      subs.push((await pc.ok<{ subscription: { id: string } }>(args)).subscription);
    }
    await pc.ok(['billing', 'run', '--as-of', addDays(PAST, -60)]);
    await pc.ok(['subscription', 'change', subs[0]!.id, '--quantity', '3', '--on', addDays(PAST, -60), '--mode', 'prorate']);
    await pc.ok(['subscription', 'cancel', subs[1]!.id, '--on', addDays(PAST, -40)]);
    await pc.ok(['billing', 'run', '--as-of', PAST]);
    const open = (await pc.ok<{ id: string; customerId: string; issueDate: string; status: string }[]>(['invoice', 'list']))
      .filter((i) => i.customerId === people[3]!.id && i.status === 'open')
      .sort((x, y) => x.issueDate.localeCompare(y.issueDate));
    expect(open.length).toBeGreaterThan(1);
    const paidOn = addDays(open[0]!.issueDate, 3);
    const paid = await pc.ok<{ payment: { id: string } }>(['invoice', 'pay', open[0]!.id, '--amount', '10.00', '--method', 'cash', '--on', paidOn]);
    await pc.ok(['payment', 'refund', paid.payment.id, '--amount', '4.00', '--on', addDays(paidOn, 1)]);
    // Counter sales count in revenue (issue 14): a product written into the PC's file, two sales, a refund of part of one.
    const file = openBusinessFile(path.join(pc.dataDir, 'businesses', `${three.businessId}.sqlite`));
    file.prepare("INSERT INTO products (id, sku, name, price, currency, created_at, updated_at) VALUES ('0190aaaa-0000-7000-8000-000000000001', 'MAT', 'Mat', 2500, 'USD', ?, ?)").run(PAST, PAST);
    file.close();
    const counter = await pc.ok<{ sale: { id: string; total: number } }>(['sale', 'create', '--item', 'MAT:2', '--method', 'cash', '--tendered', '60', '--on', addDays(PAST, -3)]);
    await pc.ok(['sale', 'create', '--item', 'MAT:1', '--method', 'card', '--on', paidOn]);
    await pc.ok(['sale', 'refund', counter.sale.id, '--item', 'MAT:1', '--on', PAST]);
    await pc.ok(['sync', 'now']);

    const dates = [addDays(start, -1), addDays(start, 20), addDays(PAST, -75), addDays(PAST, -45), addDays(PAST, -38), addDays(PAST, -31), paidOn, addDays(paidOn, 1), addDays(PAST, -3), PAST];
    let nonZero = 0;
    const seen = { revenue: false, overdue: false, churn: false };
    for (const date of dates) {
      const cli = await pc.ok<{ mrr: number; revenue: number; arAging: Record<string, number>; movements: { churn: number } }>(['metrics', '--as-of', date]);
      const day = await pc.ok<{ net: number }>(['report', 'day', '--on', date]);
      if (date === PAST) expect(day.net).toBe(-2500);
      seen.revenue ||= cli.revenue > 0;
      seen.overdue ||= cli.arAging.d1to30! + cli.arAging.d31to60! > 0;
      seen.churn ||= cli.movements.churn > 0;
      const served = await api('GET', `/v1/metrics?as_of=${date}`, { key: three.read });
      expect({ date, status: served.status, body: served.body }).toEqual({ date, status: 200, body: cli });
      if (cli.mrr > 0) nonZero++;
    }
    // The dates cover what could go wrong: revenue with a refund, overdue invoices, a churn.
    expect(nonZero).toBeGreaterThan(3);
    expect(seen).toEqual({ revenue: true, overdue: true, churn: true });
    expect(await api('GET', '/v1/metrics', { key: three.read })).toMatchObject({ status: 400, body: { error: { param: 'as_of' } } });

    // Plans, subscriptions and invoices: the CLI's objects.
    const byId = <T extends { id: string }>(list: T[]) => [...list].sort((x, y) => x.id.localeCompare(y.id));
    expect((await api('GET', '/v1/plans', { key: three.read })).body).toEqual({ data: await pc.ok(['plan', 'list']), hasMore: false });
    const subsOnPc = await pc.ok<{ id: string; status: string; customerId: string }[]>(['subscription', 'list']);
    expect((await api('GET', '/v1/subscriptions?limit=100', { key: three.read })).body).toEqual({ data: byId(subsOnPc), hasMore: false });
    const canceled = await api('GET', '/v1/subscriptions?status=canceled', { key: three.read });
    expect(canceled.body.data).toEqual(byId(subsOnPc.filter((x) => x.status === 'canceled')));
    expect(canceled.body.data.length).toBeGreaterThan(0);
    expect((await api('GET', `/v1/subscriptions/${subs[0]!.id}`, { key: three.read })).body).toEqual(subsOnPc.find((x) => x.id === subs[0]!.id));
    const invoicesOnPc = await pc.ok<{ id: string; number: string; customerId: string }[]>(['invoice', 'list']);
    expect(invoicesOnPc.length).toBeGreaterThan(5);
    const walked: unknown[] = [];
    for (let after = ''; ; ) {
      const page = await api('GET', `/v1/invoices?limit=3${after ? `&starting_after=${after}` : ''}`, { key: three.read });
      walked.push(...page.body.data);
      if (!page.body.hasMore) break;
      after = page.body.data.at(-1).id;
    }
    expect(walked).toEqual(byId(invoicesOnPc));
    const mine = await api('GET', `/v1/invoices?limit=100&customer_id=${people[3]!.id}`, { key: three.read });
    expect(mine.body.data).toEqual(byId(invoicesOnPc.filter((i) => i.customerId === people[3]!.id)));
    const shown = (await pc.ok<{ invoice: Record<string, unknown> }>(['invoice', 'show', invoicesOnPc[0]!.number])).invoice;
    const served = (await api('GET', `/v1/invoices/${invoicesOnPc[0]!.number}`, { key: three.read })).body;
    // `invoice show` adds the detail (payments, refunds, the tax rate, what credit notes took off); the API's invoice is the list's object.
    expect(served).toEqual(Object.fromEntries(Object.entries(shown).filter(([k]) => !['payments', 'refunds', 'taxRatePpm', 'credited'].includes(k))));
    expect(await api('GET', '/v1/invoices?status=late', { key: three.read })).toMatchObject({ status: 400, body: { error: { param: 'status' } } });
    expect(await api('GET', '/v1/subscriptions?search=x', { key: three.read })).toMatchObject({ status: 400, body: { error: { param: 'search' } } });
    expect(await api('GET', '/v1/metrics?as_of=2026-02-30', { key: three.read })).toMatchObject({ status: 400, body: { error: { param: 'as_of' } } });
  });
});
