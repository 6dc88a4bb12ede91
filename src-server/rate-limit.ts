import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { ServerDb } from './db/open';
import { rateCounters } from './db/schema';
import { ApiError } from './errors';

/** Failed guesses (codes, passwords) allowed per window and client address before 429. */
export interface FailureLimit {
  max: number;
  windowMs: number;
}

export const CODE_GUESSES: FailureLimit = { max: 20, windowMs: 15 * 60_000 };
export const LOGIN_FAILURES: FailureLimit = { max: 10, windowMs: 15 * 60_000 };

/** Throws 429 when `key` already failed `max` times in the current window. */
export async function refuseIfLimited(db: ServerDb, key: string, limit: FailureLimit, now: Date): Promise<void> {
  const since = new Date(now.getTime() - limit.windowMs);
  const [row] = await db
    .select()
    .from(rateCounters)
    .where(and(eq(rateCounters.key, key), gt(rateCounters.windowStart, since), lte(rateCounters.windowStart, now)));
  if (row && row.count >= limit.max) {
    const retryAfter = Math.max(1, Math.ceil((row.windowStart.getTime() + limit.windowMs - now.getTime()) / 1000));
    throw new ApiError(429, 'rate_limit', 'too_many_attempts', `Too many failed attempts; try again in ${retryAfter} s.`, undefined, {
      'retry-after': String(retryAfter),
    });
  }
}

/** Counts one failure in a fixed window, in the database so every server process sees it. */
export async function recordFailure(db: ServerDb, key: string, limit: FailureLimit, now: Date): Promise<void> {
  const since = new Date(now.getTime() - limit.windowMs);
  // A window that starts in the future (this server's clock stepped back) is stale too.
  const stale = sql`(${rateCounters.windowStart} <= ${since.toISOString()}::timestamptz OR ${rateCounters.windowStart} > ${now.toISOString()}::timestamptz)`;
  await db
    .insert(rateCounters)
    .values({ key, windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: rateCounters.key,
      set: {
        count: sql`CASE WHEN ${stale} THEN 1 ELSE ${rateCounters.count} + 1 END`,
        windowStart: sql`CASE WHEN ${stale} THEN ${now.toISOString()}::timestamptz ELSE ${rateCounters.windowStart} END`,
      },
    });
}
