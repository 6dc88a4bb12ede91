import { createHash, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { ServerContext } from '../context';
import { ensureProjection, projectionLag, scheduleProjection } from '../projection/catch-up';
import { appendServerChanges } from '../projection/writer';
import { ApiError, forbidden, unauthenticated } from '../errors';
import type { ApiKeyIdentity, Scope } from './define';
import { businessChanged, cachedKey, cachesKeys, changesSoFar, generationOf, keepKey } from './key-cache';
import { rowsOf } from './rows';

// API keys (spec/server.md, "REST API"): made on a PC (`recurra api-key
// create`, Settings > API keys), which keeps only the SHA-256 of the key in its
// synced `api_keys` table; the key reaches the server with the next sync and
// the projection's fold. A request's key is hashed and looked up by that hash.

const KEY_FORMAT = /^rk_[A-Za-z0-9_-]{16,200}$/;

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Brings the business's projection up to the changes committed before this
 * request (so a revocation that arrived is seen, and reads are current):
 * true when it had to fold something. 503 with Retry-After while a large
 * backlog (a first connect) is folded.
 */
async function upToDate(ctx: ServerContext, businessId: string): Promise<boolean> {
  const lag = await projectionLag(ctx.db, businessId);
  if (lag.seq >= lag.lastSeq) return false;
  const ready = await ensureProjection(ctx.db, businessId, { maxWaitMs: 2000 });
  if (!ready.ready) {
    throw new ApiError(503, 'server', 'catching_up', `The server is still taking in this business's latest sync (${ready.behind} changes to go); retry in ${ready.retryAfterSeconds} s.`, undefined, {
      'retry-after': String(ready.retryAfterSeconds),
    });
  }
  return true;
}

interface KeyRow {
  business_id: string;
  row_id: string;
  data: { key_hash: string; name: string; scope: string; revoked_at: string | null; last_used_on: string | null };
  suspended: boolean;
  /** The business's projection is behind its change log. */
  behind: boolean;
}

/** The key's row with its business's suspension and projection lag: one query on the hot path of every request. */
async function keyRow(ctx: ServerContext, hash: string): Promise<KeyRow | undefined> {
  const found = rowsOf<KeyRow>(
    await ctx.db.execute(sql`
      select k.business_id, k.row_id, k.data, b.suspended_at is not null as suspended, b.last_seq > coalesce(p.seq, 0) as behind
      from synced_rows k join businesses b on b.id = k.business_id left join projection_cursors p on p.business_id = k.business_id
      where k.tbl = 'api_keys' and (k.data->>'key_hash') = ${hash} and k.data is not null limit 1`),
  );
  return found[0];
}

/** The key of `Authorization: Bearer rk_…`, checked: known, not revoked, its business not suspended, its scope enough; the business's projection brought up to date. */
export async function authenticate(ctx: ServerContext, authorization: string | undefined, need: Scope): Promise<ApiKeyIdentity> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw unauthenticated('Send an API key: Authorization: Bearer rk_… (create one in Settings > API keys, or with `recurra api-key create`).');
  const key = match[1]!;
  if (!KEY_FORMAT.test(key)) throw unauthenticated('That is not an API key: keys start with rk_.');
  const hash = hashApiKey(key);
  const caching = cachesKeys(ctx.db);
  const cached = caching ? cachedKey<KeyRow>(ctx.db, hash, Date.now()) : undefined;
  if (cached) return identityOf(ctx, cached, hash, need);
  const seen = changesSoFar();
  let row = await keyRow(ctx, hash);
  if (!row) {
    // Made and synced a moment ago, not yet folded: the change log has it (by the same hash).
    const [pushed] = rowsOf<{ business_id: string }>(
      await ctx.db.execute(sql`
        select c.business_id from changes c left join projection_cursors p on p.business_id = c.business_id
        where c.table_name = 'api_keys' and (c.fields->>'key_hash') = ${hash} and c.seq > coalesce(p.seq, 0) limit 1`),
    );
    if (pushed) await upToDate(ctx, pushed.business_id);
    // Asked again either way: a fold that committed between the two reads moved the key from the log into the rows.
    row = await keyRow(ctx, hash);
  } else if (row.behind && (await upToDate(ctx, row.business_id))) {
    // The business's latest changes were just folded: they may revoke (or delete) this key.
    row = await keyRow(ctx, hash);
  }
  // Kept only when no business changed while it was read: a change's generation is bumped after its commit, so one made meanwhile could be missing here.
  const keep = caching && row !== undefined && changesSoFar() === seen ? generationOf(row.business_id) : null;
  return identityOf(ctx, row, hash, need, keep);
}

/** The key's answer: its identity, or the error that refuses it. A key found good is kept (key-cache.ts) where that is safe. */
async function identityOf(ctx: ServerContext, row: KeyRow | undefined, hash: string, need: Scope, keep: number | null = null): Promise<ApiKeyIdentity> {
  // The index found it by hash; the comparison that decides is constant-time.
  const same = row !== undefined && row.data.key_hash.length === hash.length && timingSafeEqual(Buffer.from(row.data.key_hash), Buffer.from(hash));
  if (!row || !same) throw new ApiError(401, 'authentication', 'unknown_key', 'Unknown API key. A new key works once the PC that made it has synced.');
  if (row.data.revoked_at) throw new ApiError(401, 'authentication', 'key_revoked', `This API key ("${row.data.name}") was revoked.`);
  if (row.suspended) throw forbidden('business_suspended', 'This business is suspended on this server; ask its operator.');
  const scope: Scope = row.data.scope === 'write' ? 'write' : 'read';
  if (need === 'write' && scope !== 'write') throw forbidden('insufficient_scope', `This API key ("${row.data.name}") may only read; writes need a key with the write scope.`);
  await noteUse(ctx, row);
  // Only an answer read with nothing left to fold; the business's next change makes it stale.
  if (keep !== null && !row.behind) keepKey(ctx.db, hash, row.business_id, keep, row, Date.now());
  return { businessId: row.business_id, keyId: row.row_id, name: row.data.name, scope };
}

/** Keys (business and key id and UTC day) whose use this process has already recorded, so a busy key writes one change a day. */
const recorded = new Set<string>();

/**
 * The key's `last_used_on` (a UTC date), written back once a day as a
 * server-made change, so Settings > API keys on every PC says when a key was
 * last used after its next sync.
 */
async function noteUse(ctx: ServerContext, row: KeyRow): Promise<void> {
  const today = ctx.now().toISOString().slice(0, 10);
  const mark = `${row.business_id} ${row.row_id} ${today}`;
  if (row.data.last_used_on === today || recorded.has(mark)) return;
  if (recorded.size > 10_000) recorded.clear();
  recorded.add(mark);
  await ctx.db.transaction(async (tx) =>
    appendServerChanges(
      tx as unknown as ServerContext['db'],
      row.business_id,
      [{ table: 'api_keys', rowId: row.row_id, op: 'upsert', fields: { last_used_on: today, '@base': { last_used_on: row.data.last_used_on ?? null } } }],
      ctx.now(),
    ),
  );
  businessChanged(row.business_id);
  scheduleProjection(ctx.db, row.business_id);
}
