import { createHash } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { apiIdempotency } from '../db/schema';
import { ApiError, invalid } from '../errors';
import type { ApiKeyIdentity } from './define';

// Idempotency-Key (spec/server.md, "REST API"): a write's first answer is
// stored in the write's own transaction, so a retry (a lost answer, a
// double click) replays it for 24 hours instead of writing twice, even when
// both arrive at once on two server processes (the second commit meets the
// primary key and replays the first). The same key with another request is 409.

export const REPLAY_HOURS = 24;

export interface Stored {
  requestHash: string;
  status: number;
  body: unknown;
}

export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || value.length > 255 || !/^[\x21-\x7e]+$/.test(value)) {
    throw invalid('Idempotency-Key', 'Idempotency-Key: 1 to 255 visible ASCII characters (a UUID is a good choice).');
  }
  return value;
}

export const requestHashOf = (method: string, path: string, body: unknown) =>
  createHash('sha256').update(JSON.stringify([method, path, body ?? null])).digest('hex');

const since = (now: Date) => new Date(now.getTime() - REPLAY_HOURS * 3600_000);

export async function storedAnswer(db: ServerDb, key: ApiKeyIdentity, idempotencyKey: string, now: Date): Promise<Stored | null> {
  const [row] = await db
    .select({ requestHash: apiIdempotency.requestHash, status: apiIdempotency.status, body: apiIdempotency.body })
    .from(apiIdempotency)
    .where(
      and(
        eq(apiIdempotency.businessId, key.businessId),
        eq(apiIdempotency.keyId, key.keyId),
        eq(apiIdempotency.idempotencyKey, idempotencyKey),
        gt(apiIdempotency.createdAt, since(now)),
      ),
    );
  return row ?? null;
}

/** The stored answer again, or 409 when the key came with another request. */
export function replay(stored: Stored, requestHash: string): Stored {
  if (stored.requestHash !== requestHash) {
    throw new ApiError(409, 'conflict', 'idempotency_key_reused', 'This Idempotency-Key was used with another request in the last 24 hours; use a new key for a new request.', 'Idempotency-Key');
  }
  return stored;
}

/** Records the answer in the write's transaction (a concurrent twin's commit makes this one fail on the key). */
export async function storeAnswer(tx: ServerDb, key: ApiKeyIdentity, idempotencyKey: string, requestHash: string, status: number, body: unknown, now: Date): Promise<void> {
  // An expired record of the same key makes room; now and then, every expired record goes.
  await tx
    .delete(apiIdempotency)
    .where(
      Math.random() < 0.01
        ? lt(apiIdempotency.createdAt, since(now))
        : and(
            eq(apiIdempotency.businessId, key.businessId),
            eq(apiIdempotency.keyId, key.keyId),
            eq(apiIdempotency.idempotencyKey, idempotencyKey),
            lt(apiIdempotency.createdAt, since(now)),
          ),
    );
  await tx.insert(apiIdempotency).values({
    businessId: key.businessId,
    keyId: key.keyId,
    idempotencyKey,
    requestHash,
    status,
    body: sql`${JSON.stringify(body)}::jsonb`,
    createdAt: now,
  });
}
