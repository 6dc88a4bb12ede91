import { createHash, timingSafeEqual } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { dateInTimeZone, isTimeZone } from '@shared/domain/dates';
import type { SubscriptionStatus } from '@shared/domain/kinds';
import { pgliteOf, type PgliteClient, type ServerDb } from '../db/open';
import { ApiError } from '../errors';
import { ensureProjection } from '../projection/catch-up';

// A license key's state on the server (spec/server.md "License keys"), read
// from the projection: the subscription that carries the key (found without
// its business, by the SHA-256 of the key: an index on sha256(unique_value)),
// its business's suspension and time zone, its plan's features and
// max_machines, and its machines. One query, whatever the key: a key nobody
// has runs the same statement, and the decision is a constant-time compare.

export const LICENSE_CODES = ['VALID', 'EXPIRED', 'SUSPENDED', 'NOT_FOUND', 'FINGERPRINT_NOT_ACTIVATED', 'TOO_MANY_MACHINES'] as const;
export type LicenseCode = (typeof LICENSE_CODES)[number];

/** A row of the synced table license_machines (written by the server only). */
export interface MachineRow {
  id: string;
  subscription_id: string;
  fingerprint: string;
  name: string | null;
  activated_at: string;
  deactivated_at: string | null;
  last_seen_on: string | null;
}

export interface License {
  businessId: string;
  subscriptionId: string;
  key: string;
  status: SubscriptionStatus;
  /** The subscription's license_expires_on: valid while today (business time zone) is before it. */
  expiresOn: string | null;
  validatedOn: string | null;
  entitlements: string[];
  maxMachines: number | null;
  /** Every machine row, deactivated ones too. */
  machines: MachineRow[];
  suspended: boolean;
  timeZone: string;
  hasSigningKey: boolean;
}

type Row = Record<string, unknown>;
interface TailChange {
  row_id: string;
  op: 'upsert' | 'delete';
  fields: Row;
}
interface FoundRow {
  business_id: string;
  row_id: string;
  sub: Row;
  /** Hex SHA-256 of the row's key. */
  hash: string;
  suspended: boolean;
  behind: boolean;
  last_seq: number | string;
  cursor: number | string;
  timezone: string | null;
  features: string | null;
  max_machines: number | null;
  has_signing_key: boolean;
  machines: Row[] | null;
  tail: TailChange[] | null;
}

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * The machines as of the change log: the projection's rows overlaid with the
 * business's license_machines changes not folded yet (only the server writes
 * them, in stamp order), so an activation sees the one committed just before it.
 */
export function overlayMachines(projected: Row[] | null, tail: TailChange[] | null, subscriptionId: string): MachineRow[] {
  const byId = new Map<string, Row>((projected ?? []).map((m) => [String(m.id), m]));
  for (const c of tail ?? []) {
    if (c.op === 'delete') {
      byId.delete(c.row_id);
      continue;
    }
    const { '@base': base, ...fields } = c.fields;
    if (base === undefined) byId.set(c.row_id, fields);
    else {
      const current = byId.get(c.row_id);
      if (current) byId.set(c.row_id, { ...current, ...fields });
    }
  }
  return ([...byId.values()] as unknown as MachineRow[]).filter((m) => m.subscription_id === subscriptionId).sort((a, b) => a.activated_at.localeCompare(b.activated_at) || a.id.localeCompare(b.id));
}

/**
 * The projection's machines of a subscription plus the unfolded tail, read in one statement (one snapshot): each
 * through its own index (synced_rows_license_machines, changes_license_machines), the subscription's rows and the
 * log's machine changes past the cursor, never the business's other rows. `ahead`, when given, says whether the
 * business's log goes past the cursor at all: when it does not (the usual case), the tail is not looked for.
 */
const machinesSql = (businessId: unknown, subscriptionId: unknown, cursor: unknown, ahead?: SQL) => {
  const tail = sql`(select jsonb_agg(jsonb_build_object('row_id', c.row_id, 'op', c.op, 'fields', c.fields) order by c.seq) from changes c
    where c.business_id = ${businessId} and c.seq > ${cursor} and c.table_name = 'license_machines')`;
  return sql`
  (select jsonb_agg(m.data) from synced_rows m
    where m.business_id = ${businessId} and m.tbl = 'license_machines' and m.data is not null and (m.data->>'subscription_id') = ${subscriptionId}) as machines,
  ${ahead ? sql`case when ${ahead} then ${tail} end` : tail} as tail`;
};

/** The machines of one subscription now (inside an activation's transaction, after its lock). */
export async function machinesNow(db: ServerDb, businessId: string, subscriptionId: string): Promise<MachineRow[]> {
  const [row] = rowsOf<{ machines: Row[] | null; tail: TailChange[] | null }>(
    await db.execute(sql`select ${machinesSql(businessId, subscriptionId, sql`coalesce((select seq from projection_cursors where business_id = ${businessId}), 0)`)}`),
  );
  return overlayMachines(row?.machines ?? null, row?.tail ?? null, subscriptionId);
}

/**
 * The one statement a lookup runs, whatever the key: the subscriptions of
 * the two key hashes that come first at or after the hash sent (the key's own
 * row when it exists, else its neighbours in hash order, wrapping round), with
 * everything a verdict needs of each. A known and an unknown key walk the same
 * index and read the same joins of a real row; the caller keeps a row only if
 * its hash is the one sent (a constant-time compare). `hex` is the key's
 * SHA-256 in hex and `businessId` the optional scope, each as SQL: bound
 * values, or `$1`/`$2` when the text is prepared (runLookup).
 */
function lookupSql(hex: SQL, businessId: SQL | undefined) {
  const scope = businessId !== undefined ? sql`and s.business_id = ${businessId}` : sql``;
  // Each step is a min() over the hash index (PostgreSQL answers it with an ordered index walk, never a bitmap of
  // every hash past the one sent): the first hash at or after it, wrapping round, then the next one. Hex text in the
  // C collation orders as the bytes do.
  const hashOf = sql`(encode(sha256(s.unique_value::bytea), 'hex') collate "C")`;
  const first = (after: SQL) => sql`(select min(${hashOf}) from synced_rows s where s.tbl = 'subscriptions' and s.data is not null ${scope} ${after})`;
  return sql`
      with h1 as (
        select coalesce(${first(sql`and ${hashOf} >= ${hex}`)}, ${first(sql``)}) as h
      ), h2 as (
        select coalesce(${first(sql`and ${hashOf} > (select h from h1)`)}, ${first(sql``)}) as h
      ), hit as (
        select s.business_id, s.row_id, s.data, ${hashOf} as h from synced_rows s
        where s.tbl = 'subscriptions' and s.data is not null ${scope} and ${hashOf} in ((select h from h1), (select h from h2))
        limit 3
      ), found as (
        select s.business_id, s.row_id, s.data as sub, s.h as hash,
          b.suspended_at is not null as suspended,
          -- The business's stamp, in the same snapshot as the rest (verdict-cache.ts): its log's last seq and its projection's cursor.
          b.last_seq, coalesce(pc.seq, 0) as cursor,
          -- What a verdict depends on, pushed by a PC and not folded yet (a cancellation synced a moment ago). The server's own
          -- changes are not waited for: its machines are overlaid from the log below, its validation dates change no verdict.
          -- (Looked for only when the log goes past the cursor, and then on changes_license_verdict: the PC's changes of those
          -- tables alone, whatever else the tail holds.)
          b.last_seq > coalesce(pc.seq, 0) and exists (
            select 1 from changes c where c.business_id = s.business_id and c.seq > coalesce(pc.seq, 0) and c.device_id <> 'server'
              and c.table_name in ('subscriptions', 'plans', 'business', 'license_machines')) as behind,
          (select z.data->>'timezone' from synced_rows z where z.business_id = s.business_id and z.tbl = 'business' and z.data is not null limit 1) as timezone,
          p.data->>'features' as features,
          p.data->'max_machines' as max_machines,
          exists (select 1 from license_signing_keys k where k.business_id = s.business_id) as has_signing_key,
          ${machinesSql(sql`s.business_id`, sql`s.row_id`, sql`coalesce(pc.seq, 0)`, sql`b.last_seq > coalesce(pc.seq, 0)`)}
        from hit s
        join businesses b on b.id = s.business_id
        left join projection_cursors pc on pc.business_id = s.business_id
        left join synced_rows p on p.business_id = s.business_id and p.tbl = 'plans' and p.row_id = (s.data->>'plan_id')
      )
      select
        (select coalesce(jsonb_agg(to_jsonb(found)), '[]'::jsonb) from found) as found,
        (select c.business_id from changes c left join projection_cursors pc on pc.business_id = c.business_id
          where c.table_name = 'subscriptions' and c.fields ? 'license_key' and sha256((c.fields->>'license_key')::bytea) = decode(${hex}, 'hex')
            and c.seq > coalesce(pc.seq, 0) ${businessId !== undefined ? sql`and c.business_id = ${businessId}` : sql``}
          limit 1) as pending,
        -- The key's own stamp (verdict-cache.ts), whatever the scope: the live subscriptions holding it, and the changes ever
        -- pushed carrying it (the log only grows), each counted through its index.
        (select count(*) from synced_rows s where s.tbl = 'subscriptions' and s.data is not null and ${hashOf} = ${hex}) as key_rows,
        (select count(*) from changes c where c.table_name = 'subscriptions' and c.fields ? 'license_key'
          and sha256((c.fields->>'license_key')::bytea) = decode(${hex}, 'hex')) as key_changes`;
}

/** The lookup statement with its values bound (EXPLAIN in the bench; a transaction, which cannot use the session's prepared text). */
export const lookupStatement = (hash: Buffer, businessId: string | undefined) => lookupSql(sql`${hash.toString('hex')}`, businessId === undefined ? undefined : sql`${businessId}`);

/**
 * The stamps of businesses and keys now (verdict-cache.ts; the same parts
 * lookupSql reads with its answer): `businessIds` and `hashes` are JSON
 * arrays (ids; hex SHA-256s of keys), each part a primary-key or index probe.
 */
function stampsSql(businessIds: SQL, hashes: SQL) {
  const hashOf = sql`(encode(sha256(s.unique_value::bytea), 'hex') collate "C")`;
  return sql`
    select
      (select coalesce(jsonb_agg(jsonb_build_array(b.id, b.last_seq, coalesce(pc.seq, 0), b.suspended_at is not null,
          exists (select 1 from license_signing_keys k where k.business_id = b.id))), '[]'::jsonb)
        from businesses b left join projection_cursors pc on pc.business_id = b.id
        where b.id in (select jsonb_array_elements_text(${businessIds}::jsonb))) as businesses,
      (select coalesce(jsonb_agg(jsonb_build_array(h.hex,
          (select count(*) from synced_rows s where s.tbl = 'subscriptions' and s.data is not null and ${hashOf} = h.hex),
          (select count(*) from changes c where c.table_name = 'subscriptions' and c.fields ? 'license_key'
            and sha256((c.fields->>'license_key')::bytea) = decode(h.hex, 'hex')))), '[]'::jsonb)
        from jsonb_array_elements_text(${hashes}::jsonb) as h(hex)) as keys`;
}

const PREPARED = {
  any: { name: 'recurra_license_lookup', types: 'text', text: () => lookupSql(sql.raw('$1'), undefined) },
  in: { name: 'recurra_license_lookup_in', types: 'text, text', text: () => lookupSql(sql.raw('$1'), sql.raw('$2')) },
  stamps: { name: 'recurra_license_stamps', types: 'text, text', text: () => stampsSql(sql.raw('$1'), sql.raw('$2')) },
};
const prepared = new WeakMap<object, Promise<void>>();
const dialect = new PgDialect();
/** A text value as an SQL literal (PGlite's EXECUTE; no NUL reaches here: parseParam refuses them). */
export const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * PGlite (one session for the whole process) keeps the lookup prepared, once
 * per database handle: planning the statement costs about fifteen times
 * running it (11 ms against 0.7 ms, EXPLAIN ANALYZE on 1,000 licenses), and
 * its plan does not depend on the key. PGlite's query() binds only unnamed
 * statements, so the values travel as literals of an EXECUTE: the hash is hex,
 * the business id a quoted literal (no NUL: parseParam refuses them).
 */
function prepare(client: PgliteClient): Promise<void> {
  let ready = prepared.get(client);
  if (!ready) {
    const text = Object.values(PREPARED)
      .map((p) => `prepare ${p.name} (${p.types}) as ${dialect.sqlToQuery(p.text()).sql}`)
      .join(';\n');
    ready = client.exec(text).then(() => undefined);
    ready.catch(() => prepared.delete(client));
    prepared.set(client, ready);
  }
  return ready;
}

/**
 * The lookup as a named statement for `pg` (PostgreSQL): each pooled
 * connection prepares it on first use and runs PostgreSQL's generic plan after
 * five, so a lookup is not planned again each time (planning took 2 to 6 ms
 * against 1.3 to 3 ms to run it; 1.9 against 8.5 ms a lookup on one
 * connection, bench/api.ts's data). The bench's raw side sends the same.
 */
export function namedLookupQuery(hash: Buffer, businessId: string | undefined): { name: string; text: string; values: unknown[] } {
  const query = dialect.sqlToQuery(lookupStatement(hash, businessId));
  return { name: businessId === undefined ? PREPARED.any.name : PREPARED.in.name, text: query.sql, values: query.params };
}

interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}
/** Pools where a named statement failed as a transaction-mode pooler makes it fail (PgBouncer without prepared-statement support): unnamed from then on. */
const unnamed = new WeakSet<object>();

/**
 * Runs the lookup: prepared on PGlite; on PostgreSQL a named statement (the
 * statement with its values bound, unnamed, when `db` is not the pool itself,
 * or behind a pooler that loses named statements between transactions:
 * 26000 or 42P05 once, and that pool sends it unnamed from then on).
 */
export async function runLookup(db: ServerDb, hash: Buffer, businessId: string | undefined): Promise<{ rows: unknown[] }> {
  const hex = hash.toString('hex');
  return businessId === undefined
    ? runPrepared(db, PREPARED.any, [hex], () => namedLookupQuery(hash, businessId), () => lookupStatement(hash, businessId))
    : runPrepared(db, PREPARED.in, [hex, businessId], () => namedLookupQuery(hash, businessId), () => lookupStatement(hash, businessId));
}

/** The stamps now of these businesses and key hashes (hex), prepared as the lookup is (one row: {businesses, keys}). */
export async function runStamps(db: ServerDb, businessIds: string[], hashes: string[]): Promise<{ rows: unknown[] }> {
  const values = [JSON.stringify(businessIds), JSON.stringify(hashes)];
  const bound = () => stampsSql(sql`${values[0]}`, sql`${values[1]}`);
  return runPrepared(db, PREPARED.stamps, values, () => ({ name: PREPARED.stamps.name, text: dialect.sqlToQuery(bound()).sql, values: dialect.sqlToQuery(bound()).params }), bound);
}

/** One of PREPARED with these text values: EXECUTE on PGlite, a named statement on a `pg` pool, else bound and unnamed. */
async function runPrepared(
  db: ServerDb,
  statement: (typeof PREPARED)[keyof typeof PREPARED],
  values: string[],
  named: () => { name: string; text: string; values: unknown[] },
  bound: () => SQL,
): Promise<{ rows: unknown[] }> {
  const client = pgliteOf(db);
  if (!client) {
    const pool = (db as unknown as { $client?: Partial<PgPool> }).$client;
    if (pool && typeof pool.query === 'function' && !unnamed.has(pool)) {
      try {
        return await (pool as PgPool).query(named());
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== '26000' && code !== '42P05') throw error;
        unnamed.add(pool);
      }
    }
    return (await db.execute(bound())) as unknown as { rows: unknown[] };
  }
  const text = `execute ${statement.name}(${values.map(literal).join(', ')})`;
  await prepare(client);
  try {
    return await client.query(text);
  } catch (error) {
    // 26000: the session lost its prepared statements (a DEALLOCATE ALL): prepared again, once.
    if ((error as { code?: string }).code !== '26000') throw error;
    prepared.delete(client);
    await prepare(client);
    return client.query(text);
  }
}

interface LookupResult {
  found: FoundRow[];
  pending: string | null;
  keyRows: number;
  keyChanges: number;
}

async function lookup(db: ServerDb, hash: Buffer, businessId: string | undefined): Promise<LookupResult> {
  const [row] = rowsOf<{ found: FoundRow[]; pending: string | null; key_rows: string | number; key_changes: string | number }>(await runLookup(db, hash, businessId));
  return { found: row?.found ?? [], pending: row?.pending ?? null, keyRows: Number(row?.key_rows ?? 0), keyChanges: Number(row?.key_changes ?? 0) };
}

/** Folds the business's changes committed before now (a subscription just canceled on a PC counts at once); 503 while a first upload is folded. */
async function upToDate(db: ServerDb, businessId: string): Promise<void> {
  const ready = await ensureProjection(db, businessId, { maxWaitMs: 2000 });
  if (!ready.ready) {
    throw new ApiError(503, 'server', 'catching_up', `The server is still taking in this business's latest sync (${ready.behind} changes to go); retry in ${ready.retryAfterSeconds} s.`, undefined, {
      'retry-after': String(ready.retryAfterSeconds),
    });
  }
}

function parseFeatures(text: string | null): string[] {
  try {
    const list: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(list) ? list.map(String) : [];
  } catch {
    return [];
  }
}

/** What a license's answer was read at (verdict-cache.ts): the same for this key is the same answer. */
export interface BusinessStamp {
  id: string;
  lastSeq: number;
  cursor: number;
  suspended: boolean;
  hasSigningKey: boolean;
}
export interface LicenseStamp {
  /** The businesses whose rows the answer came from (the key's; for an unknown key, the neighbour's the lookup read). */
  businesses: BusinessStamp[];
  keyRows: number;
  keyChanges: number;
}

/**
 * The license of a key, or null: unknown, or held by subscriptions of two
 * businesses (a key a business chose itself) and no `business` given to say
 * which. Never another business's license when `businessId` is given.
 */
export async function findLicense(db: ServerDb, key: string, businessId?: string): Promise<License | null> {
  return (await readLicense(db, sha256(key), businessId)).license;
}

/**
 * findLicense, with the stamp of the snapshot it read (null when the answer
 * must not be kept: something it depends on was pushed and is not folded).
 */
export async function readLicense(db: ServerDb, hash: Buffer, businessId?: string): Promise<{ license: License | null; stamp: LicenseStamp | null }> {
  let result = await lookup(db, hash, businessId);
  // Only a row of this key, or a key pushed and not folded yet, is worth a fold (a neighbour's business is not).
  // (A row can come twice: the wrap-round part repeats the first rows when a server holds fewer than two keys past the hash.)
  const matches = (r: { found: FoundRow[] }) => {
    const rows = new Map(r.found.map((f) => [`${f.business_id} ${f.row_id}`, f]));
    return [...rows.values()].filter((f) => timingSafeEqual(Buffer.from(f.hash, 'hex'), hash));
  };
  const behind = result.pending ?? matches(result).find((f) => f.behind)?.business_id;
  if (behind) {
    await upToDate(db, behind);
    result = await lookup(db, hash, businessId);
  }
  // Every candidate is compared, in constant time, on the hashes; exactly one must be the key (two: businesses that chose the same key).
  // Each candidate is read into a License first, the key's own row and its neighbours alike, so a known key's answer
  // does no work of its own that an unknown key's would not (spec: an unknown key takes as long as a known one).
  const candidates = [...new Map(result.found.map((f) => [`${f.business_id} ${f.row_id}`, f])).values()].map((f) => ({
    row: f,
    same: timingSafeEqual(Buffer.from(f.hash, 'hex'), hash),
    license: toLicense(f),
  }));
  const same = candidates.filter((c) => c.same);
  const license = same.length === 1 ? same[0]!.license : null;
  // The stamp: the businesses of the key's own rows; for a key no row holds, the first neighbour's (so both kinds check one business).
  const stampRows = same.length > 0 ? same.map((c) => c.row) : candidates.slice(0, 1).map((c) => c.row);
  const keep = result.pending === null && !same.some((c) => c.row.behind);
  const businesses = new Map<string, BusinessStamp>();
  for (const r of stampRows) {
    businesses.set(r.business_id, { id: r.business_id, lastSeq: Number(r.last_seq), cursor: Number(r.cursor), suspended: r.suspended, hasSigningKey: r.has_signing_key });
  }
  return { license, stamp: keep ? { businesses: [...businesses.values()], keyRows: result.keyRows, keyChanges: result.keyChanges } : null };
}

function toLicense(row: FoundRow): License {
  const sub = row.sub;
  return {
    businessId: row.business_id,
    subscriptionId: row.row_id,
    key: String(sub.license_key),
    status: sub.status as SubscriptionStatus,
    expiresOn: (sub.license_expires_on as string | null) ?? null,
    validatedOn: (sub.license_validated_on as string | null) ?? null,
    entitlements: parseFeatures(row.features),
    maxMachines: typeof row.max_machines === 'number' ? row.max_machines : null,
    machines: overlayMachines(row.machines, row.tail, row.row_id),
    suspended: row.suspended,
    timeZone: row.timezone && isTimeZone(row.timezone) ? row.timezone : 'UTC',
    hasSigningKey: row.has_signing_key,
  };
}

export const activeMachines = (license: License) => license.machines.filter((m) => m.deactivated_at === null);

/** Today in the business's time zone. */
export const todayOf = (license: License, now: Date) => dateInTimeZone(now, license.timeZone);

/**
 * The verdict (spec/server.md "License keys"), in this order: unknown; the
 * business suspended on this server; expired (today, in the business's time
 * zone, on or after license_expires_on, which follows the subscription); more
 * machines active than the plan now allows; the fingerprint given not among
 * the active machines; else valid.
 */
export function verdict(license: License | null, fingerprint: string | undefined, today: string): LicenseCode {
  if (!license) return 'NOT_FOUND';
  if (license.suspended) return 'SUSPENDED';
  if (license.expiresOn === null || today >= license.expiresOn) return 'EXPIRED';
  const active = activeMachines(license);
  if (license.maxMachines !== null && active.length > license.maxMachines) return 'TOO_MANY_MACHINES';
  if (fingerprint !== undefined && !active.some((m) => m.fingerprint === fingerprint)) return 'FINGERPRINT_NOT_ACTIVATED';
  return 'VALID';
}

/** What the answers show of a license. */
export function licenseView(license: License) {
  return {
    key: license.key,
    status: license.status,
    expiresOn: license.expiresOn,
    entitlements: license.entitlements,
    machines: activeMachines(license).length,
    maxMachines: license.maxMachines,
  };
}
