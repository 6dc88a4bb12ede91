import { sql } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { apiUsage } from '../db/schema';
import { ApiError } from '../errors';

// Per-key request rate (429 with Retry-After) and per-business daily usage
// (the admin page). Both in this process's memory: counting in the database
// would cost a write per read request. With several server processes a key
// gets the rate per process, and the usage is summed in the database.

/** Requests per second one API key may make (per server process). */
export const DEFAULT_RATE_PER_SECOND = 100;

export class KeyRateLimiter {
  private window = 0;
  private readonly counts = new Map<string, number>();

  constructor(private readonly perSecond = DEFAULT_RATE_PER_SECOND) {}

  /** Counts one request of the key (the Authorization header as sent); 429 once it is over the rate in this second. */
  take(key: string, now: Date): void {
    const second = Math.floor(now.getTime() / 1000);
    if (second !== this.window) {
      this.window = second;
      this.counts.clear();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    if (n > this.perSecond) {
      throw new ApiError(429, 'rate_limit', 'rate_limited', `Over ${this.perSecond} requests a second for this API key; slow down.`, undefined, { 'retry-after': '1' });
    }
  }
}

/** Requests per business and UTC day, added up here and written every few seconds (and on close). */
export class UsageCounter {
  private pending = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: ServerDb,
    private readonly now: () => Date,
    flushMs = 5000,
  ) {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), flushMs);
    this.timer.unref?.();
  }

  count(businessId: string): void {
    const key = `${businessId} ${this.now().toISOString().slice(0, 10)}`;
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending].map(([key, requests]) => {
      const [businessId, day] = key.split(' ') as [string, string];
      return { businessId, day, requests };
    });
    this.pending = new Map();
    await this.db
      .insert(apiUsage)
      .values(batch)
      .onConflictDoUpdate({ target: [apiUsage.businessId, apiUsage.day], set: { requests: sql`${apiUsage.requests} + excluded.requests` } });
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
