import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { businesses, changes, devices, invites, pairCodes } from '../db/schema';
import { ApiError, conflict, forbidden, invalid, isUniqueViolation, sqlState } from '../errors';
import { hashCode, hashSecret, newCode, newId, newToken } from '../secrets';
import { MAX_PULL_BYTES, type PulledChange, type SyncChange } from '@shared/sync/server-wire';
import { businessChanged } from '../api/key-cache';

export const INVITE_TTL_MS = 24 * 3600_000;
export const PAIR_TTL_MS = 15 * 60_000;

/** The rows of a raw `execute` (node-postgres and PGlite both answer `{rows}`). */
const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

export interface DeviceIdentity {
  deviceId: string;
  deviceName: string;
  businessId: string;
  businessName: string;
  suspended: boolean;
  revoked: boolean;
}

/** The device a Bearer token belongs to, or null (the token is looked up by its SHA-256 only). */
export async function deviceByToken(db: ServerDb, token: string): Promise<DeviceIdentity | null> {
  const [row] = await db
    .select({
      deviceId: devices.id,
      deviceName: devices.name,
      revokedAt: devices.revokedAt,
      businessId: businesses.id,
      businessName: businesses.name,
      suspendedAt: businesses.suspendedAt,
    })
    .from(devices)
    .innerJoin(businesses, eq(businesses.id, devices.businessId))
    .where(eq(devices.tokenHash, hashSecret(token)));
  if (!row) return null;
  return {
    deviceId: row.deviceId,
    deviceName: row.deviceName,
    businessId: row.businessId,
    businessName: row.businessName,
    suspended: row.suspendedAt !== null,
    revoked: row.revokedAt !== null,
  };
}

export async function createInvite(db: ServerDb, now: Date): Promise<{ code: string; expiresAt: string }> {
  const code = newCode(4);
  const expiresAt = new Date(now.getTime() + INVITE_TTL_MS);
  await db.insert(invites).values({ codeHash: hashCode(code), expiresAt, createdAt: now });
  return { code, expiresAt: expiresAt.toISOString() };
}

/** A code that does not open anything: counted as a failed guess by the caller. */
export class BadCode extends ApiError {}

const badCode = (status: number, code: string, message: string, param: string) =>
  new BadCode(status, status === 400 ? 'invalid_request' : 'conflict', code, message, param);

export interface Enrolled {
  businessId: string;
  businessName: string;
  deviceId: string;
  token: string;
  billingDevice: { id: string; name: string } | null;
}

/** `POST /sync/v1/connect`: spends the invite, registers the business and its device 1, the billing device. */
export async function connectBusiness(
  db: ServerDb,
  input: { inviteCode: string; businessId: string; businessName: string; deviceName: string },
  now: Date,
): Promise<Enrolled> {
  const token = newToken();
  const deviceId = newId();
  const businessExists = () =>
    conflict('business_exists', 'This business is already connected to the server; join it from a connected PC with a pairing code instead.');
  await db.transaction(async (tx) => {
    const [invite] = await tx.select().from(invites).where(eq(invites.codeHash, hashCode(input.inviteCode))).for('update');
    if (!invite) throw badCode(400, 'invalid_invite', 'This invite code is not known to the server; check it, or ask the operator for a new one.', 'inviteCode');
    if (invite.usedAt) throw badCode(409, 'invite_used', 'This invite code was already used; each code connects one business. Ask the operator for a new one.', 'inviteCode');
    if (invite.expiresAt <= now) throw badCode(409, 'invite_expired', 'This invite code has expired (codes are valid 24 h); ask the operator for a new one.', 'inviteCode');
    const [existing] = await tx.select({ id: businesses.id }).from(businesses).where(eq(businesses.id, input.businessId));
    if (existing) throw businessExists();
    await tx.insert(businesses).values({ id: input.businessId, name: input.businessName, billingDeviceId: deviceId, createdAt: now });
    await tx.insert(devices).values({ id: deviceId, businessId: input.businessId, name: input.deviceName, tokenHash: hashSecret(token), createdAt: now });
    await tx.update(invites).set({ usedAt: now, usedByBusiness: input.businessId }).where(eq(invites.codeHash, invite.codeHash));
  }).catch((error: unknown) => {
    // Two invites connecting one business id at the same instant: the primary key decides, the loser hears why.
    throw isUniqueViolation(error) ? businessExists() : error;
  });
  return {
    businessId: input.businessId,
    businessName: input.businessName,
    deviceId,
    token,
    billingDevice: { id: deviceId, name: input.deviceName },
  };
}

export async function createPairCode(db: ServerDb, who: DeviceIdentity, now: Date): Promise<{ code: string; expiresAt: string }> {
  const code = newCode(3);
  const expiresAt = new Date(now.getTime() + PAIR_TTL_MS);
  await db.insert(pairCodes).values({ codeHash: hashCode(code), businessId: who.businessId, createdByDevice: who.deviceId, expiresAt, createdAt: now });
  return { code, expiresAt: expiresAt.toISOString() };
}

/** `POST /sync/v1/join`: spends a pairing code and registers one more device of its business. */
export async function joinBusiness(db: ServerDb, input: { code: string; deviceName: string }, now: Date): Promise<Enrolled> {
  const token = newToken();
  const deviceId = newId();
  const business = await db.transaction(async (tx) => {
    const [pair] = await tx.select().from(pairCodes).where(eq(pairCodes.codeHash, hashCode(input.code))).for('update');
    if (!pair) throw badCode(400, 'invalid_pairing_code', 'This pairing code is not known to the server; check it, or make a new one with `sync pair` on a connected PC.', 'code');
    if (pair.usedAt) throw badCode(409, 'pairing_code_used', 'This pairing code was already used; make a new one with `sync pair` on a connected PC.', 'code');
    if (pair.expiresAt <= now) throw badCode(409, 'pairing_code_expired', 'This pairing code has expired (codes are valid 15 min); make a new one with `sync pair`.', 'code');
    const [biz] = await tx.select().from(businesses).where(eq(businesses.id, pair.businessId));
    if (!biz) throw badCode(400, 'invalid_pairing_code', 'This pairing code is not known to the server.', 'code');
    if (biz.suspendedAt) throw suspendedError();
    await tx.insert(devices).values({ id: deviceId, businessId: biz.id, name: input.deviceName, tokenHash: hashSecret(token), createdAt: now });
    await tx.update(pairCodes).set({ usedAt: now }).where(eq(pairCodes.codeHash, pair.codeHash));
    return biz;
  });
  return {
    businessId: business.id,
    businessName: business.name,
    deviceId,
    token,
    billingDevice: await deviceRef(db, business.billingDeviceId),
  };
}

export const suspendedError = () =>
  forbidden('business_suspended', 'This business is suspended on the sync server; its PCs keep working offline. Ask the server operator to resume it.');
export const revokedError = () =>
  forbidden('device_revoked', 'This device was revoked on the sync server; it keeps working offline. Pair it again from a connected PC to sync.');

async function deviceRef(db: ServerDb, id: string | null): Promise<{ id: string; name: string } | null> {
  if (!id) return null;
  const [row] = await db.select({ id: devices.id, name: devices.name }).from(devices).where(eq(devices.id, id));
  return row ?? null;
}

/** How long a push whose `after` is not stored yet waits for it (retrying its transaction) before 409 push_out_of_order. */
export const PUSH_ORDER_WAIT_MS = 2000;

/**
 * `POST /sync/v1/push`. One transaction: lock the business's counter row
 * (so pushes of one business take turns and seqs commit in order), drop the
 * change ids already stored, give the rest the next seqs, insert, move the counter.
 */
export async function pushChanges(
  db: ServerDb,
  who: DeviceIdentity,
  batch: SyncChange[],
  now: Date,
  /** A change id this business must already have (the PC's previous push, still in flight): else 409 push_out_of_order. */
  after?: string,
): Promise<{ accepted: number; duplicates: number; lastSeq: number }> {
  const started = Date.now();
  let pushed: Awaited<ReturnType<typeof pushInTransaction>>;
  for (let attempt = 0; ; attempt++) {
    try {
      pushed = await pushInTransaction(db, who, batch, now, after);
      break;
    } catch (error) {
      // jsonb cannot hold the character U+0000; the whole batch is refused, nothing stored.
      if (sqlState(error) === '22P05') throw invalid('changes', 'changes: a field holds the character U+0000, which the server cannot store; remove it and push again.');
      // It overtook the push it follows (sent just before it, on another connection): wait for that one a moment.
      const early = error instanceof ApiError && error.code === 'push_out_of_order';
      if (!early || Date.now() - started >= PUSH_ORDER_WAIT_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, 5 * 2 ** attempt)));
    }
  }
  // Committed: API keys checked before it are checked again (it may revoke one).
  if (pushed.accepted > 0) businessChanged(who.businessId);
  return pushed;
}

async function pushInTransaction(db: ServerDb, who: DeviceIdentity, batch: SyncChange[], now: Date, after: string | undefined) {
  return db.transaction(async (tx) => {
    const [biz] = await tx
      .select({ lastSeq: businesses.lastSeq, suspendedAt: businesses.suspendedAt })
      .from(businesses)
      .where(eq(businesses.id, who.businessId))
      .for('update');
    if (!biz) throw forbidden('business_gone', 'This business is no longer on the server.');
    if (biz.suspendedAt) throw suspendedError();
    // Under the business's lock: the push this one follows has committed, or this one waits its turn.
    if (after !== undefined) {
      const [found] = await tx.select({ one: sql<number>`1` }).from(changes).where(and(eq(changes.businessId, who.businessId), eq(changes.changeId, after)));
      if (!found) {
        throw new ApiError(
          409,
          'conflict',
          'push_out_of_order',
          `This push follows change ${after}, which the server does not have yet; nothing of it was stored. Push the batch before it first.`,
          'after',
        );
      }
    }
    const unique = new Map<string, SyncChange>();
    for (const c of batch) if (!unique.has(c.id)) unique.set(c.id, c);
    // A text parameter cannot carry U+0000 (jsonb neither: 22P05 above, for the fields).
    batch.forEach((c, i) => {
      for (const key of ['id', 'hlc', 'rowId'] as const) {
        if (c[key].includes('\u0000')) throw invalid(`changes.${i}.${key}`, `changes.${i}.${key}: holds the character U+0000, which the server cannot store.`);
      }
    });
    // The ids already stored (a retried push): one probe of the unique index per id (an array, never a
    // hash join over the business's whole log).
    if (unique.size > 0) {
      const stored = await tx.execute(
        sql`select change_id from ${changes} where business_id = ${who.businessId}
            and change_id = any(array(select json_array_elements_text(${JSON.stringify([...unique.keys()])}::json)))`,
      );
      for (const row of rowsOf<{ change_id: string }>(stored)) unique.delete(row.change_id);
    }
    // One parameter per column, a JSON array (PGlite parses long parameter lists slowly): `json`, which
    // PostgreSQL only checks, not `jsonb`, which it would build whole before taking it apart. The fields
    // go in as each change's text, serialized once here (their size is counted on it), and become jsonb
    // one by one. Seqs are numbered here, in the batch's order.
    const ids: string[] = [];
    const hlcs: string[] = [];
    const tables: string[] = [];
    const rowIds: string[] = [];
    const ops: string[] = [];
    const fields: string[] = [];
    const sizes: number[] = [];
    let bytes = 0;
    for (const c of unique.values()) {
      const text = JSON.stringify(c.fields);
      const size = Buffer.byteLength(text) + c.id.length + c.rowId.length + c.hlc.length + c.table.length;
      ids.push(c.id);
      hlcs.push(c.hlc);
      tables.push(c.table);
      rowIds.push(c.rowId);
      ops.push(c.op);
      fields.push(text);
      sizes.push(size);
      bytes += size;
    }
    const accepted = ids.length;
    const lastSeq = biz.lastSeq + accepted;
    if (accepted > 0) {
      const texts = (values: string[]) => sql`json_array_elements_text(${JSON.stringify(values)}::json)`;
      await tx.execute(sql`
        insert into ${changes} (business_id, seq, change_id, device_id, hlc, table_name, row_id, op, fields, bytes, received_at)
        select ${who.businessId}, ${biz.lastSeq}::bigint + x.n, x.change_id, ${who.deviceId}, x.hlc, x.table_name, x.row_id, x.op, x.fields::jsonb, x.bytes::int, ${now.toISOString()}::timestamptz
        from rows from (${texts(ids)}, ${texts(hlcs)}, ${texts(tables)}, ${texts(rowIds)}, ${texts(ops)},
                        json_array_elements(${`[${fields.join(',')}]`}::json), json_array_elements_text(${`[${sizes.join(',')}]`}::json))
          with ordinality as x(change_id, hlc, table_name, row_id, op, fields, bytes, n)`);
    }
    // The counter and the device's last sync in one statement (one round trip fewer per push).
    await tx.execute(sql`
      with counter as (
        update ${businesses} set last_seq = ${lastSeq}, change_count = change_count + ${accepted}, change_bytes = change_bytes + ${bytes}
        where id = ${who.businessId})
      update ${devices} set last_sync_at = ${now.toISOString()}::timestamptz where id = ${who.deviceId}`);
    return { accepted, duplicates: batch.length - accepted, lastSeq };
  });
}

/**
 * `GET /sync/v1/pull`. Reads the business's counter first: every seq up to it
 * is committed (the push that set it committed its changes with it), so
 * reading `after < seq <= lastSeq` can never skip a change that commits later.
 */
export async function pullChanges(
  db: ServerDb,
  who: DeviceIdentity,
  after: number,
  limit: number,
  now: Date,
  /** This device's own changes too (a PC whose file went back to a backup). */
  own = false,
): Promise<{ changes: PulledChange[]; next: number; hasMore: boolean }> {
  const [biz] = await db.select({ lastSeq: businesses.lastSeq }).from(businesses).where(eq(businesses.id, who.businessId));
  const lastSeq = biz?.lastSeq ?? 0;
  if (after > lastSeq) {
    throw conflict('cursor_ahead', `The cursor ${after} is past the server's last change (${lastSeq}) for this business; the server lost data or this PC's cursor is wrong. Pull again from 0.`);
  }
  // The page, and the device's last sync set by the same statement (one round trip fewer per pull).
  const page = await db.execute(sql`
    with touched as (update ${devices} set last_sync_at = ${now.toISOString()}::timestamptz where id = ${who.deviceId})
    select seq, change_id, device_id, hlc, table_name, row_id, op, fields, bytes from ${changes}
    where business_id = ${who.businessId} and seq > ${after} and seq <= ${lastSeq} ${own ? sql`` : sql`and device_id <> ${who.deviceId}`}
    order by seq limit ${limit + 1}`);
  const rows = rowsOf<{
    seq: number | string | bigint;
    change_id: string;
    device_id: string;
    hlc: string;
    table_name: string;
    row_id: string;
    op: 'upsert' | 'delete';
    fields: Record<string, unknown>;
    bytes: number;
  }>(page);
  const out: PulledChange[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (out.length === limit || (out.length > 0 && bytes + row.bytes > MAX_PULL_BYTES)) break;
    bytes += row.bytes;
    out.push({ seq: Number(row.seq), id: row.change_id, deviceId: row.device_id, hlc: row.hlc, table: row.table_name, rowId: row.row_id, op: row.op, fields: row.fields });
  }
  const hasMore = out.length < rows.length;
  return { changes: out, next: hasMore ? out[out.length - 1]!.seq : lastSeq, hasMore };
}

export async function syncStatus(db: ServerDb, who: DeviceIdentity, own = false) {
  const [biz] = await db.select().from(businesses).where(eq(businesses.id, who.businessId));
  // Read backwards along the primary key (business, seq): it stops at this device's newest change,
  // past the others' changes pushed since (what the PC is about to pull anyway).
  const [newest] = own
    ? await db
        .select({ id: changes.changeId })
        .from(changes)
        .where(and(eq(changes.businessId, who.businessId), eq(changes.deviceId, who.deviceId)))
        .orderBy(desc(changes.seq))
        .limit(1)
    : [];
  const list = await db.select().from(devices).where(eq(devices.businessId, who.businessId)).orderBy(asc(devices.createdAt), asc(devices.id));
  const billing = list.find((d) => d.id === biz?.billingDeviceId);
  return {
    businessId: who.businessId,
    businessName: biz?.name ?? who.businessName,
    deviceId: who.deviceId,
    deviceName: who.deviceName,
    billingDevice: billing ? { id: billing.id, name: billing.name } : null,
    suspended: Boolean(biz?.suspendedAt),
    lastSeq: biz?.lastSeq ?? 0,
    ...(own ? { ownNewest: newest?.id ?? null } : {}),
    devices: list.map((d) => ({
      id: d.id,
      name: d.name,
      createdAt: d.createdAt.toISOString(),
      lastSyncAt: d.lastSyncAt?.toISOString() ?? null,
      revoked: d.revokedAt !== null,
    })),
  };
}

/** `POST /sync/v1/billing-device/take`: one UPDATE, so two PCs taking at once end with exactly one holder. */
export async function takeBillingDevice(db: ServerDb, who: DeviceIdentity) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ id: businesses.billingDeviceId }).from(businesses).where(eq(businesses.id, who.businessId)).for('update');
    await tx.update(businesses).set({ billingDeviceId: who.deviceId }).where(eq(businesses.id, who.businessId));
    const previousId = before?.id ?? null;
    const [previous] = previousId ? await tx.select({ id: devices.id, name: devices.name }).from(devices).where(eq(devices.id, previousId)) : [];
    return { billingDevice: { id: who.deviceId, name: who.deviceName }, previous: previous ?? null };
  });
}
