import { hash, randomBytes } from 'node:crypto';

// Ids are UUIDv7 strings: unique across PCs (so two offline PCs never collide
// when they sync) and sortable by creation time.
// Random bytes are drawn 4 KiB at a time: one call per id costs more than the rest of an insert.
// A billing run makes about six ids per invoice, so the time part is formatted once per millisecond
// and the rest read straight from the pool (no Buffer views, no number-to-string conversions).
// Empty until the first id, so loading the core draws no random bytes (a `recurra business list` makes no id).
let pool = Buffer.alloc(0);
let poolOffset = 0;

let lastMs = 0;
let counter = 0;
let prefixMs = -1;
let prefix = '';

export function newId(nowMs = Date.now()): string {
  // A per-millisecond counter in the random bits keeps ids from one process strictly increasing.
  if (nowMs <= lastMs) {
    counter += 1;
    if (counter > 0xfff) {
      lastMs += 1;
      counter = 0;
    }
    nowMs = lastMs;
  } else {
    lastMs = nowMs;
    counter = 0;
  }
  if (nowMs !== prefixMs) {
    // 48 bits of milliseconds, as 12 hex digits (Number arithmetic is exact below 2^53), then the version digit.
    const time = nowMs.toString(16).padStart(12, '0');
    prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
    prefixMs = nowMs;
  }
  if (poolOffset + 8 > pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  const p = pool;
  const i = poolOffset;
  poolOffset += 8;
  return (
    prefix +
    DIGIT[counter >> 8]! +
    HEX[counter & 0xff]! +
    '-' +
    HEX[0x80 | (p[i]! & 0x3f)]! +
    HEX[p[i + 1]!]! +
    '-' +
    HEX[p[i + 2]!]! +
    HEX[p[i + 3]!]! +
    HEX[p[i + 4]!]! +
    HEX[p[i + 5]!]! +
    HEX[p[i + 6]!]! +
    HEX[p[i + 7]!]!
  );
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const DIGIT = '0123456789abcdef';

/**
 * An id that is the same on every PC for the same thing (sync guarantee 4,
 * spec/server.md): a UUIDv7 whose time is `date` (midnight UTC, so such ids
 * still sort by date) and whose other 74 bits come from SHA-256 of `parts`.
 */
export function derivedId(date: string, ...parts: string[]): string {
  const ms = Date.parse(`${date}T00:00:00.000Z`);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`derivedId: not a date: ${date}`);
  const time = ms.toString(16).padStart(12, '0');
  // One-shot hash (half the cost of createHash: a billing run derives two ids per invoice).
  const h = hash('sha256', parts.join('\u0000'), 'buffer');
  return (
    `${time.slice(0, 8)}-${time.slice(8)}-7` +
    DIGIT[h[0]! & 0x0f]! +
    HEX[h[1]!]! +
    '-' +
    HEX[0x80 | (h[2]! & 0x3f)]! +
    HEX[h[3]!]! +
    '-' +
    HEX[h[4]!]! +
    HEX[h[5]!]! +
    HEX[h[6]!]! +
    HEX[h[7]!]! +
    HEX[h[8]!]! +
    HEX[h[9]!]!
  );
}

/**
 * The id of a subscription's invoice for one period: derived from (business,
 * subscription, period start), so two PCs that ever both invoiced one period
 * offline made one row, not two, and the charges' idempotency keys built from
 * it are the same on both.
 */
export function periodInvoiceId(businessId: string, subscriptionId: string, periodStart: string): string {
  return derivedId(periodStart, businessId, subscriptionId, periodStart);
}

/** The key a payment provider deduplicates a charge by: (invoice id, attempt number), the same on every PC. */
export function chargeIdempotencyKey(invoiceId: string, attempt: number): string {
  return `${invoiceId}:${attempt}`;
}

/**
 * The payment row of an automatic charge: derived from its idempotency key, so one attempt is one
 * row on every PC. No hash (a billing run makes one per attempt): the charge date as the UUIDv7
 * time, and the invoice id's 74 random (or, for a period's invoice, hashed) bits with the attempt
 * number folded into the last 16, so two attempts of one invoice never share an id.
 */
export function chargePaymentId(idempotencyKey: string, date: string): string {
  const at = idempotencyKey.lastIndexOf(':');
  const invoiceId = idempotencyKey.slice(0, at);
  const attempt = Number(idempotencyKey.slice(at + 1));
  if (at < 0 || !/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(invoiceId) || !Number.isInteger(attempt) || attempt < 1 || attempt > 0xffff) {
    throw new Error(`chargePaymentId: not an idempotency key: ${idempotencyKey}`);
  }
  const ms = Date.parse(`${date}T00:00:00.000Z`);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`chargePaymentId: not a date: ${date}`);
  const time = ms.toString(16).padStart(12, '0');
  const last = (parseInt(invoiceId.slice(32), 16) ^ attempt).toString(16).padStart(4, '0');
  return `${time.slice(0, 8)}-${time.slice(8)}${invoiceId.slice(13, 32)}${last}`;
}
