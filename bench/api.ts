import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { SYNC_TABLE_MAP } from '@shared/sync/table-map';
import { customerPageStatement } from '../src-server/api/customers';
import { openStorage } from '../src-server/db/open';
import { startServerChild } from './sync';
import { limit, note, percentile, rate, round, type BenchResult } from './support';
import { askEach, LICENSES, mixedLoad, rawLookupLoad, sameTime, seedLicenses, unknownKeys, validateLoad, warmUp } from './api-licenses';
import { postgresBin, startPostgres, type Postgres } from '../tests/support/postgres';

// The REST API under load (issue 13): a business with BENCH_API_CUSTOMERS
// customers (100,000) on the server, `GET /v1/customers?limit=100` from 50
// connections for BENCH_API_SECONDS, against the statement the route issues
// (customerPageStatement: the page, its tags, the currency; the same text and
// parameters, the same 101 rows) straight through the driver from 50
// connections (pg on PostgreSQL, PGlite's own handle on PGlite) in the same
// run. Aim: at least half the raw rate, p95 under 20 ms, no errors. The
// server runs in its own process. The bare page (`select data … limit 101`,
// no tags or currency) is measured too and printed, not judged: it is not
// what the route needs to answer.

const CUSTOMERS = Number(process.env.BENCH_API_CUSTOMERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 10);
const CONNECTIONS = 50;

const BARE_PAGE_SQL = (businessId: string) => sql`
  select data from synced_rows where business_id = ${businessId} and tbl = 'customers' and data is not null order by row_id limit 101`;

/** The route's statement for the first page of 100 (GET /v1/customers?limit=100), as drizzle sends it. */
const ROUTE_PAGE_SQL = (businessId: string) => customerPageStatement(businessId, { limit: 100 });

function stamp(ms: number, n: number, device: string) {
  return `${String(ms).padStart(13, '0')}-${String(n).padStart(9, '0')}-${device}`;
}

/** A business on the server with its customers and one read key, pushed over the sync protocol as a PC would. */
async function seed(url: string, invite: string): Promise<{ businessId: string; key: string; token: string; device: string }> {
  const call = async (route: string, token: string | null, body: unknown) => {
    const response = await fetch(`${url}/sync/v1${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const businessId = `bench-api-${randomBytes(4).toString('hex')}`;
  const connected = await call('/connect', null, { inviteCode: invite, businessId, businessName: 'Bench API', deviceName: 'Bench PC' });
  const token = connected.token as string;
  const device = connected.deviceId as string;
  const now = Date.now() - 60_000;
  const key = `rk_${randomBytes(32).toString('base64url')}`;
  const at = new Date(now).toISOString();
  const row = (table: string, values: Record<string, unknown>) => Object.fromEntries(SYNC_TABLE_MAP[table]!.columns.map((c) => [c, values[c] ?? null]));
  const changes: { id: string; hlc: string; table: string; rowId: string; op: 'upsert'; fields: Record<string, unknown> }[] = [];
  let n = 0;
  const add = (table: string, id: string, values: Record<string, unknown>) => {
    const hlc = stamp(now, n++, device);
    changes.push({ id: hlc, hlc, table, rowId: id, op: 'upsert', fields: row(table, { id, ...values }) });
  };
  add('business', businessId, { name: 'Bench API', currency: 'USD', timezone: 'UTC', locale: 'en-US', tax_rate_ppm: 0, invoice_prefix: 'INV', next_invoice_number: 1, next_sale_number: 1, net_terms_days: 14, dunning_days: '[3,5,7]', billing_interval_minutes: 60, created_at: at, updated_at: at });
  add('api_keys', 'bench-key', { name: 'Bench', scope: 'read', key_hash: createHash('sha256').update(key).digest('hex'), key_prefix: key.slice(3, 11), created_at: at });
  for (let i = 0; i < CUSTOMERS; i++) {
    const email = `customer${i}@example.com`;
    const id = `c${String(i).padStart(7, '0')}`;
    add('customers', id, {
      name: `Customer ${i}`, email, email_normalized: email, phone: '', company: i % 3 ? '' : `Company ${i % 997}`, address_line1: '', address_line2: '', city: '', region: '',
      postal_code: '', country: '', segment: '', notes: '', status: 'active', payment_method: 'card', credit_balance: 0, created_at: at, updated_at: at,
    });
    // A quarter of the customers tagged (one in twelve twice), so a page carries tags.
    for (const tag of i % 4 ? [] : i % 12 ? ['vip'] : ['vip', 'wholesale']) {
      const hlc = stamp(now, n++, device);
      changes.push({ id: hlc, hlc, table: 'customer_tags', rowId: JSON.stringify([id, tag]), op: 'upsert', fields: { customer_id: id, tag } });
    }
  }
  for (let i = 0; i < changes.length; i += 1000) await call('/push', token, { changes: changes.slice(i, i + 1000) });
  // The projection folds in the background after the pushes; the first API call waits for the rest.
  for (;;) {
    const response = await fetch(`${url}/v1/customers?limit=1`, { headers: { authorization: `Bearer ${key}` } });
    await response.arrayBuffer();
    if (response.status === 200) break;
    if (response.status !== 503) throw new Error(`GET /v1/customers: ${response.status}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { businessId, key, token, device };
}

interface Load {
  rps: number;
  p95: number;
  errors: number;
}

/**
 * `GET /v1/customers?limit=100` from CONNECTIONS connections for `seconds`: the same first page every time (`walk`
 * false: after the first, answered from the server's page cache, src-server/api/page-cache.ts), or a walk where each
 * request starts after another customer in turn (`walk` true: no query asked twice within MAX_PAGES requests, so none
 * is kept: the uncached route).
 */
async function apiLoad(url: string, key: string, seconds = SECONDS, walk = false): Promise<Load> {
  const samples: number[] = [];
  let next = 0;
  const requests: autocannon.Request[] = walk
    ? [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `/v1/customers?limit=100&starting_after=c${String(next++ % CUSTOMERS).padStart(7, '0')}` }) }]
    : [{ method: 'GET', path: '/v1/customers?limit=100' }];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, connections: CONNECTIONS, duration: seconds, headers: { authorization: `Bearer ${key}` }, requests },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status === 200) samples.push(ms);
    });
  });
  return { rps: result.requests.total / (result.duration || seconds), p95: percentile(samples, 95), errors: result.errors + result.non2xx + result.timeouts };
}

/** WARM_SECONDS of the same load first, not counted, on both sides (a freshly opened database's first queries run cold). */
const WARM_SECONDS = 1;

/** The page query, CONNECTIONS at a time for `seconds`, straight through the driver. */
async function rawLoad(run: () => Promise<unknown>, seconds = SECONDS): Promise<Load> {
  const samples: number[] = [];
  const end = performance.now() + seconds * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await run();
        samples.push(performance.now() - t);
        count++;
      }
    }),
  );
  return { rps: count / seconds, p95: percentile(samples, 95), errors: 0 };
}

/** `rawLoad` after WARM_SECONDS of the same load. */
const warmRawLoad = async (run: () => Promise<unknown>) => {
  await rawLoad(run, WARM_SECONDS);
  return rawLoad(run);
};

export async function apiBench(dataDir: string): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const bin = postgresBin();
  // BENCH_API_STORAGE=pglite|postgres: one of the two (a profile of one, say).
  const kinds = (bin ? (['pglite', 'postgres'] as const) : (['pglite'] as const)).filter((k) => !process.env.BENCH_API_STORAGE || k === process.env.BENCH_API_STORAGE);
  for (const kind of kinds) {
    let postgres: Postgres | null = null;
    if (kind === 'postgres') postgres = await startPostgres(bin!, { prefix: 'recurra-bench-api-pg-', settings: ['shared_buffers=256MB'], stopMode: 'fast' });
    const serverDir = path.join(dataDir, `server-${kind}`);
    process.env.BENCH_API_RATE = '1000000';
    process.env.BENCH_LICENSE_RATE = '100000000';
    const server = await startServerChild(serverDir, postgres?.url, 1);
    try {
      note(`api: ${kind}: seeding ${CUSTOMERS.toLocaleString()} customers over the sync protocol`);
      const seeded = await seed(server.url, server.invites[0]!);
      // POST /v1/licenses/validate (bench/api-licenses.ts): known against unknown keys side by side, then known keys alone.
      note(`api: ${kind}: seeding ${LICENSES.toLocaleString()} licensed subscriptions`);
      const known = await seedLicenses(server.url, seeded.token, seeded.device, Math.min(LICENSES, CUSTOMERS));
      const unknown = unknownKeys(known.length);
      await warmUp(server.url, known, unknown, seeded.key);
      note(`api: ${kind}: validate, known and unknown keys alternating on each of ${CONNECTIONS} connections, ${SECONDS} s`);
      const { known: knownLoad, unknown: unknownLoad } = await mixedLoad(server.url, known, unknown, CONNECTIONS, SECONDS);
      note(`api: ${kind}: known ${round(knownLoad.rps)} req/s p50 ${round(knownLoad.p50)} ms p95 ${round(knownLoad.p95)} ms; unknown ${round(unknownLoad.rps)} req/s p50 ${round(unknownLoad.p50)} ms p95 ${round(unknownLoad.p95)} ms`);
      // Each known key asked once first, so this measures the steady state of a product asking again (kept answers).
      await askEach(server.url, known);
      note(`api: ${kind}: validate, known keys (each asked once before), ${CONNECTIONS} connections, ${SECONDS} s`);
      const validate = await validateLoad(server.url, known, CONNECTIONS, SECONDS);
      // The customers page last, on the data the raw side reads after it (the licensed subscriptions refer to the customers).
      note(`api: ${kind}: GET /v1/customers?limit=100, ${CONNECTIONS} connections, ${SECONDS} s`);
      await apiLoad(server.url, seeded.key, WARM_SECONDS);
      const api = await apiLoad(server.url, seeded.key);
      note(`api: ${kind}: GET /v1/customers?limit=100&starting_after=… (a walk: every request another page, none kept), ${CONNECTIONS} connections, ${SECONDS} s`);
      await apiLoad(server.url, seeded.key, WARM_SECONDS, true);
      const walk = await apiLoad(server.url, seeded.key, SECONDS, true);
      await server.stop();
      // The raw bound: the route's page statement through the driver, the server stopped (PGlite is one process's).
      const storage = await openStorage({ databaseUrl: postgres?.url, dataDir: serverDir });
      let raw: Load;
      let bareRaw: Load;
      let rawLookup: Awaited<ReturnType<typeof rawLookupLoad>>;
      try {
        const plan = JSON.stringify(await storage.db.execute(sql`explain ${ROUTE_PAGE_SQL(seeded.businessId)}`));
        if (!plan.includes('synced_rows_customer_tags')) note(`api: ${kind}: the page's tags are NOT read through the index synced_rows_customer_tags`);
        if (postgres) {
          const pool = new pg.Pool({ connectionString: postgres.url, max: CONNECTIONS });
          const dialect = new PgDialect();
          const route = dialect.sqlToQuery(ROUTE_PAGE_SQL(seeded.businessId));
          const bare = dialect.sqlToQuery(BARE_PAGE_SQL(seeded.businessId));
          raw = await warmRawLoad(() => pool.query(route.sql, route.params));
          bareRaw = await warmRawLoad(() => pool.query(bare.sql, bare.params));
          await pool.end();
        } else {
          raw = await warmRawLoad(() => storage.db.execute(ROUTE_PAGE_SQL(seeded.businessId)));
          bareRaw = await warmRawLoad(() => storage.db.execute(BARE_PAGE_SQL(seeded.businessId)));
        }
        await rawLookupLoad({ postgresUrl: postgres?.url, db: storage.db }, known, CONNECTIONS, WARM_SECONDS);
        rawLookup = await rawLookupLoad({ postgresUrl: postgres?.url, db: storage.db }, known, CONNECTIONS, SECONDS);
      } finally {
        await storage.close();
      }
      note(`api: ${kind}: validate ${round(validate.rps)} req/s (p95 ${round(validate.p95)} ms, ${validate.errors} errors) against the raw lookup ${round(rawLookup.rps)} queries/s (p95 ${round(rawLookup.p95)} ms${rawLookup.usesHashIndex ? '' : '; NOT on the hash index'})`);
      out.push(sameTime('api', `license-unknown-vs-known-${kind}-p50`, unknownLoad.p50, knownLoad.p50, 1.25));
      out.push(sameTime('api', `license-unknown-vs-known-${kind}-p95`, unknownLoad.p95, knownLoad.p95, 1.25));
      out.push(rate('api', `license-validate-${kind}`, 'req/s', validate.rps, rawLookup.rps, 2));
      out.push(limit('api', `license-validate-${kind}-p95`, 'ms', validate.p95, 20));
      out.push(limit('api', `license-validate-${kind}-errors`, 'errors', validate.errors + knownLoad.errors + unknownLoad.errors, 0));
      note(`api: ${kind}: ${round(api.rps)} req/s (p95 ${round(api.p95)} ms, ${api.errors} errors) against the route's statement raw ${round(raw.rps)} queries/s (p95 ${round(raw.p95)} ms); the bare page query (no tags, no currency) ${round(bareRaw.rps)} queries/s (p95 ${round(bareRaw.p95)} ms), ratio ${round(bareRaw.rps / api.rps)}`);
      note(`api: ${kind}: the walk (uncached) ${round(walk.rps)} req/s (p95 ${round(walk.p95)} ms, ${walk.errors} errors)`);
      // customers-page-*: the same first page each time (kept by the page cache after the first); customers-page-uncached-*: the walk, each page read.
      out.push(rate('api', `customers-page-${kind}`, 'req/s', api.rps, raw.rps, 2));
      out.push(limit('api', `customers-page-${kind}-p95`, 'ms', api.p95, 20));
      out.push(limit('api', `customers-page-${kind}-errors`, 'errors', api.errors, 0));
      out.push(rate('api', `customers-page-uncached-${kind}`, 'req/s', walk.rps, raw.rps, 2));
      out.push(limit('api', `customers-page-uncached-${kind}-p95`, 'ms', walk.p95, 20));
      out.push(limit('api', `customers-page-uncached-${kind}-errors`, 'errors', walk.errors, 0));
    } finally {
      await server.stop();
      postgres?.stop();
    }
  }
  return out;
}
