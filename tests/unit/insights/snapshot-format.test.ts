import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { ledgerContent, timelineContent } from '@shared/insights/features';
import { CHURN_BOOK_AS_OF } from '../../../bench/insights-churn-data';
import { computeInsight } from '../../../src-main/core/insights/compute';
import { loadInsightLedger, withHistoryAgain } from '../../../src-main/core/insights/fast-books';
import { EVERY_DATE, saveSnapshot } from '../../../src-main/core/insights/incremental';
import { readSnapshot, readSnapshotHead } from '../../../src-main/core/insights/snapshot';
import { openSqlite, type BusinessDb } from '../../../src-main/core/db/open';
import * as schema from '../../../src-main/core/db/schema';
import type { Core } from '../../../src-main/core/core';
import { insightBook } from '../../support/insight-book';

// The snapshot's buckets (core/insights/snapshot.ts, ledger-v3) are the columnar ledger's own numbers: float32 when
// every number of the bucket is exactly one, else float64, and the customers' names split on a separator unless a
// name holds it (then JSON). A new connection reading them back gets every timeline exactly as the books give it.

let core: Core;
let db: BusinessDb;

beforeAll(async () => {
  ({ core, db } = await insightBook(120, 3));
}, 120_000);
afterAll(() => core.close());

describe('the snapshot of a columnar ledger', () => {
  it('reads back each timeline as the books give it: a name holding the separator, an amount float32 cannot hold', () => {
    const [named, rich] = db.sqlite.prepare('SELECT customer_id FROM subscription_history GROUP BY customer_id ORDER BY customer_id LIMIT 2').pluck().all() as string[];
    db.sqlite.prepare('UPDATE customers SET name = ? WHERE id = ?').run('Ann\u001fLee [x]', named);
    // 123,456,789 minor units a month: above 2^24, not a float32; its bucket is written as float64.
    db.sqlite.prepare('UPDATE subscription_history SET recurring_amount = 123456789 WHERE customer_id = ?').run(rich);
    computeInsight(db, { kind: 'churn-page', asOf: CHURN_BOOK_AS_OF, today: CHURN_BOOK_AS_OF, offset: 0, limit: 5, customerIds: null });
    expect(saveSnapshot(db, { evenIfClose: true })).toBe(true);
    const widths = new Set((db.sqlite.prepare('SELECT data FROM insight_timelines').pluck().all() as Buffer[]).map((b) => b.readUInt32LE(0)));
    expect(widths).toEqual(new Set([32, 64]));
    const sqlite = openSqlite(db.file, {});
    try {
      const fresh: BusinessDb = { businessId: db.businessId, file: db.file, sqlite, orm: drizzle(sqlite, { schema }) };
      const head = readSnapshotHead(fresh)!;
      const snap = readSnapshot(fresh, head, Number.POSITIVE_INFINITY, (ids, was) => ({ ids, byCatalog: [], catalog: was }));
      expect(snap?.changed).toEqual([]);
      // In the books' order, each with its customer's rowid (ledger-v3): a new run takes the order from them.
      const books = ledgerContent(loadInsightLedger(fresh, EVERY_DATE)).timelines;
      expect(snap!.timelines.map((t) => timelineContent(t))).toStrictEqual(books);
      const order = fresh.sqlite.prepare('SELECT rowid FROM customers ORDER BY rowid').pluck().all() as number[];
      expect([...snap!.rowids]).toEqual(order);
      expect(snap!.timelines.find((t) => t.id === named)!.name).toBe('Ann\u001fLee [x]');
      expect(books.find((t) => t.id === rich)!.stretches.some((s) => s.mrr >= 123456789)).toBe(true);
      // A customer moved only by a plan or coupon (catalog.ts): its history read again, its name, segment and lists
      // those of the snapshot's timeline (float32 or float64), gives the timeline the books give.
      expect(withHistoryAgain(fresh, snap!.timelines).map((t) => timelineContent(t))).toStrictEqual(books);
    } finally {
      sqlite.close();
    }
  });
});
