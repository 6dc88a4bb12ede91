import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { LICENSE_KEY_ALPHABET } from '@shared/domain/license';
import { SYNC_TABLE_MAP } from '@shared/sync/table-map';
import type { ServerDb } from '../src-server/db/open';
import { lookupStatement, namedLookupQuery, runLookup, sha256 } from '../src-server/licenses/lookup';
import { percentile, round, type BenchResult } from './support';

// POST /v1/licenses/validate under load (issue 13's benchmark), part of
// `npm run bench -- --only api`: a business's subscriptions with license keys
// pushed over the sync protocol, then
// 1. known against unknown keys, at the same moment (one autocannon run of 50
//    connections, each alternating a known and an unknown key): an unknown key
//    must take as long as a known one (spec/server.md), so the figure is the
//    larger of the two ratios of their median and p95 latencies, whichever way it leans;
// 2. known keys from 50 connections against the lookup statement the route
//    runs, issued straight through the driver from 50 connections.

export const LICENSES = Number(process.env.BENCH_API_LICENSES ?? 10_000);

export interface Load {
  rps: number;
  p50: number;
  p95: number;
  errors: number;
  samples: number;
}

function licenseKey(): string {
  const bytes = randomBytes(25);
  const chars = [...bytes].map((b) => LICENSE_KEY_ALPHABET[b % 32]!);
  return [0, 5, 10, 15, 20].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

/** `count` licensed subscriptions on the seeded customers (c0000000…), pushed as the PC would push them; their keys. */
export async function seedLicenses(url: string, token: string, device: string, count: number): Promise<string[]> {
  const now = Date.now() - 30_000;
  const at = new Date(now).toISOString();
  const row = (table: string, values: Record<string, unknown>) => Object.fromEntries(SYNC_TABLE_MAP[table]!.columns.map((c) => [c, values[c] ?? null]));
  const changes: { id: string; hlc: string; table: string; rowId: string; op: 'upsert'; fields: Record<string, unknown> }[] = [];
  let n = 0;
  const add = (table: string, id: string, values: Record<string, unknown>) => {
    const hlc = `${String(now).padStart(13, '0')}-${String(n++).padStart(9, '0')}-${device}`;
    changes.push({ id: hlc, hlc, table, rowId: id, op: 'upsert', fields: row(table, { id, ...values }) });
  };
  add('plans', 'bench-plan', {
    code: 'pro', name: 'Pro', description: '', currency: 'USD', pricing_model: 'flat', unit_amount: 3000, interval: 'month', interval_count: 1, trial_days: 0, setup_fee: 0,
    features: '["Export","Sync"]', created_at: at, updated_at: at, max_machines: 3,
  });
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = licenseKey();
    keys.push(key);
    add('subscriptions', `s${String(i).padStart(7, '0')}`, {
      customer_id: `c${String(i).padStart(7, '0')}`, plan_id: 'bench-plan', status: 'active', quantity: 1, start_date: '2026-01-01', anchor_date: '2026-01-01', next_period_index: 1,
      setup_fee_invoiced: 1, cancel_at_period_end: 0, license_key: key, license_expires_on: '2099-01-01', created_at: at, updated_at: at,
    });
  }
  for (let i = 0; i < changes.length; i += 1000) {
    const response = await fetch(`${url}/sync/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ changes: changes.slice(i, i + 1000) }),
    });
    if (!response.ok) throw new Error(`push: ${response.status} ${await response.text()}`);
  }
  return keys;
}

async function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/v1/licenses/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * Every known key validated once (each one's first validation of the day writes
 * its date back after answering; and the business's signing key is made), then
 * those writes folded, so the load measures the steady state.
 */
export async function warmUp(url: string, known: string[], unknown: string[], apiKey: string): Promise<void> {
  // Each until it answers VALID: a key pushed and not folded yet answers 503 while its business is folded, and a load
  // started before that would time known keys' folds, not their validations.
  for (let i = 0; i < known.length; i += 50) {
    let left = known.slice(i, i + 50);
    while (left.length > 0) {
      const replies = await Promise.all(left.map((key) => post(url, { key })));
      left = left.filter((_, j) => replies[j]!.status !== 200 || replies[j]!.body.code !== 'VALID');
      if (left.length > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  // The write-backs those made (250 ms later), then past the API key check kept in the server (5 s at most on PGlite),
  // so the request below checks the key again, which folds them (3,000 server-made changes folded during the load
  // would hold PGlite's one connection in the middle of it).
  await new Promise((resolve) => setTimeout(resolve, 6000));
  // An API request folds whatever the business's log holds that the projection does not (api/auth.ts): the write-backs too.
  for (;;) {
    const response = await fetch(`${url}/v1/customers?limit=1`, { headers: { authorization: `Bearer ${apiKey}` } });
    await response.arrayBuffer();
    if (response.status === 200) break;
    if (response.status !== 503) throw new Error(`GET /v1/customers: ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  for (;;) {
    const reply = await post(url, { key: known[0] });
    if (reply.status === 200 && reply.body.code === 'VALID') break;
    if (reply.status !== 503) throw new Error(`validate of a known key: ${reply.status} ${JSON.stringify(reply.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const missing = await post(url, { key: unknown[0] });
  if (missing.body.code !== 'NOT_FOUND') throw new Error(`validate of an unknown key: ${JSON.stringify(missing.body)}`);
}

/**
 * Every key validated once more, 50 at a time: after it, each key's answer is kept in the server's verdict cache
 * (src-server/licenses/verdict-cache.ts), so the known-keys load that follows measures a product asking again,
 * not a first ask (the mixed load before it is mostly first asks: the warm-up's write-backs made every kept
 * answer stale, and it reaches only part of the keys in its seconds).
 */
export async function askEach(url: string, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 50) {
    const replies = await Promise.all(keys.slice(i, i + 50).map((key) => post(url, { key })));
    const bad = replies.find((r) => r.status !== 200);
    if (bad) throw new Error(`validate: ${bad.status} ${JSON.stringify(bad.body)}`);
  }
}

/**
 * POST /v1/licenses/validate for autocannon, each request's body made as it
 * is sent, with the key `pick` gives. Not a list of one request per key: a
 * list's requests are all built by every connection before the first one is
 * sent (3,000 pairs × 50 connections held the bench's event loop 4 to 13 s,
 * and each connection's first request, always the list's first key, was timed
 * across that stall: the "known-key tail of seconds" of earlier runs).
 */
function validateRequests(pick: () => string): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: '/v1/licenses/validate',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => ({ ...request, body: JSON.stringify({ key: pick() }) }),
    },
  ];
}

/** validate from `connections` connections for `seconds`, the keys taken in turn. */
export async function validateLoad(url: string, keys: string[], connections: number, seconds: number): Promise<Load> {
  const samples: number[] = [];
  let next = 0;
  const requests = validateRequests(() => keys[next++ % keys.length]!);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, requests }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status === 200) samples.push(ms);
    });
  });
  return {
    rps: result.requests.total / (result.duration || seconds),
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    errors: result.errors + result.non2xx + result.timeouts,
    samples: samples.length,
  };
}

/**
 * Known and unknown keys in one autocannon run, alternating as they are sent
 * (a known key, then an unknown one, …, whichever connection sends next), so
 * both kinds wait in the same queues at the same moments, and a connection's
 * first request is as often one kind as the other (two runs side by side, 25
 * connections each, measured mostly which run's connections came first).
 * Each answer is told apart by its size: a known key's carries the license,
 * an unknown key's `license: null`.
 */
export async function mixedLoad(url: string, known: string[], unknown: string[], connections: number, seconds: number): Promise<{ known: Load; unknown: Load }> {
  const answers: { bytes: number; ms: number }[] = [];
  let next = 0;
  const requests = validateRequests(() => {
    const n = next++;
    const i = Math.floor(n / 2);
    return n % 2 === 0 ? known[i % known.length]! : unknown[i % unknown.length]!;
  });
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, requests }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client: unknown, status: number, bytes: number, ms: number) => {
      if (status === 200) answers.push({ bytes, ms });
    });
  });
  const sizes = answers.map((a) => a.bytes);
  const cut = (Math.min(...sizes) + Math.max(...sizes)) / 2;
  const load = (samples: number[]): Load => ({ rps: samples.length / seconds, p50: percentile(samples, 50), p95: percentile(samples, 95), errors: 0, samples: samples.length });
  const knownLoad = load(answers.filter((a) => a.bytes > cut).map((a) => a.ms));
  const unknownLoad = load(answers.filter((a) => a.bytes <= cut).map((a) => a.ms));
  knownLoad.errors = result.errors + result.non2xx + result.timeouts;
  return { known: knownLoad, unknown: unknownLoad };
}

/** The route's lookup statement for known keys, `connections` at a time for `seconds`, straight through the driver (prepared, as the route runs it: named on PostgreSQL, PREPARE/EXECUTE on PGlite). */
export async function rawLookupLoad(target: { postgresUrl?: string; db: ServerDb }, keys: string[], connections: number, seconds: number): Promise<Load & { usesHashIndex: boolean }> {
  const dialect = new PgDialect();
  const pool = target.postgresUrl ? new pg.Pool({ connectionString: target.postgresUrl, max: connections }) : null;
  const run = async (key: string) => {
    // PostgreSQL: the route's named statement (each connection prepares it once, then runs the generic plan), as the route sends it.
    if (pool) return pool.query(namedLookupQuery(sha256(key), undefined));
    // PGlite: the route's own call (the statement prepared once on the handle, as the route runs it).
    return runLookup(target.db, sha256(key), undefined);
  };
  const explained = pool
    ? await pool.query(`explain ${dialect.sqlToQuery(lookupStatement(sha256(keys[0]!), undefined)).sql}`, dialect.sqlToQuery(lookupStatement(sha256(keys[0]!), undefined)).params)
    : null;
  const usesHashIndex = explained ? JSON.stringify(explained.rows).includes('synced_rows_license_hash') : true;
  const samples: number[] = [];
  const end = performance.now() + seconds * 1000;
  let count = 0;
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < end) {
          const t = performance.now();
          await run(keys[next++ % keys.length]!);
          samples.push(performance.now() - t);
          count++;
        }
      }),
    );
  } finally {
    await pool?.end();
  }
  return { rps: count / seconds, p50: percentile(samples, 50), p95: percentile(samples, 95), errors: 0, samples: count, usesHashIndex };
}

/** Known against unknown keys: the larger ratio of the two, whichever is slower (a lean either way would tell them apart). */
export function sameTime(bench: string, metric: string, unknown: number, known: number, target: number): BenchResult {
  const ratio = Math.max(unknown / Math.max(known, 1e-6), known / Math.max(unknown, 1e-6));
  return { bench, metric, unit: 'ms', value: round(unknown), raw: round(known), ratio: round(ratio), target, pass: ratio <= target };
}

export const unknownKeys = (count: number) => Array.from({ length: count }, () => licenseKey());
