import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { refreshPlannerStats } from '../../../src-main/core/db/open';
import { newId } from '../../../src-main/core/ids';
import { signedUpCopy } from '../../support/core';

// The planner's statistics (db/open.ts): taken once a table holds 1,000 rows, again when it has
// doubled or halved, through a small page cache so the connection's own is left as it was.

function addCustomers(db: Database.Database, count: number): void {
  const at = '2026-01-01T00:00:00.000Z';
  const insert = db.prepare('INSERT INTO customers (id, name, email, email_normalized, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const email = `c${newId()}@example.com`;
      insert.run(newId(), `Customer ${i}`, email, email, at, at);
    }
  })();
}

const customerStats = (db: Database.Database) =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").get() === undefined
    ? undefined
    : (db.prepare("SELECT stat FROM sqlite_stat1 WHERE tbl = 'customers' AND idx = 'customers_id_unique'").pluck().get() as string | undefined);

describe('planner statistics', () => {
  it('are taken at 1,000 rows, refreshed when a table doubles or halves, and leave the page cache size as it was', async () => {
    const { core, businessId } = await signedUpCopy();
    try {
      const db = core.businesses.get(businessId).sqlite;
      const cacheSize = db.pragma('cache_size', { simple: true });

      addCustomers(db, 900);
      refreshPlannerStats(db);
      expect(customerStats(db)).toBeUndefined(); // under 1,000 rows: no statistics that would mislead later

      addCustomers(db, 300);
      refreshPlannerStats(db);
      expect(customerStats(db)?.split(' ')[0]).toBe('1200');
      expect(db.pragma('cache_size', { simple: true })).toBe(cacheSize);

      // Not doubled: left alone (the stat row is not rewritten).
      addCustomers(db, 500);
      refreshPlannerStats(db);
      expect(customerStats(db)?.split(' ')[0]).toBe('1200');

      // Doubled since: taken again.
      addCustomers(db, 800);
      refreshPlannerStats(db);
      expect(customerStats(db)?.split(' ')[0]).toBe('2500');
      expect(db.pragma('cache_size', { simple: true })).toBe(cacheSize);

      // The planner uses them: a lookup by email goes through its unique index.
      const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM customers WHERE email_normalized = 'x@example.com'").all() as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX/);
    } finally {
      core.close();
    }
  });
});
