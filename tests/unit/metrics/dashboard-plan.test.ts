import type Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { ANALYZED_TABLES } from '../../../src-main/core/db/open';
import { call } from '../../support/core';
import { billingBusiness } from '../../support/billing';

// Issue 10: the dashboard reads the open invoices from metric_open_spans through two covering
// indexes (migration 0025: metric_open_spans_failed, metric_open_spans_aging). At full size a
// row lookup per span was most of the pages an encrypted dashboard read after another
// connection's change (README "Encrypted at rest"); this fails if a query falls back to them.

/** The plan of a statement as SQLite would run it, its parameters bound to dates (plans do not depend on them). */
function planOf(sqlite: Database.Database, sql: string): string[] {
  const named = [...new Set([...sql.matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => m[1]!))];
  const positional = (sql.match(/\?/g) ?? []).length;
  const explain = sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const args: unknown[] = [...Array.from({ length: positional }, () => '2026-06-15')];
  if (named.length) args.push(Object.fromEntries(named.map((n) => [n, '2026-06-15'])));
  return (explain.all(...args) as { detail: string }[]).map((r) => r.detail);
}

describe("the dashboard's reads of metric_open_spans", () => {
  it('AR aging reads only its covering index, failed payments only the partial index of declined spans; none scans the table', async () => {
    const b = await billingBusiness({ copy: true });
    const seen: string[] = [];
    const prepare = b.db.sqlite.prepare.bind(b.db.sqlite);
    vi.spyOn(b.db.sqlite, 'prepare').mockImplementation(((sql: string) => {
      seen.push(sql);
      return prepare(sql);
    }) as typeof b.db.sqlite.prepare);
    // A book with invoices left open, some with a card declined (spans with failed_on).
    const plan = await b.plan({ price: 2_000 });
    for (const method of ['card', 'card_declining', 'manual', 'card_declining', 'card'] as const) {
      const customer = await b.customer(method);
      await b.subscribe({ planId: plan.id, customerId: customer.id, startDate: '2026-03-01' });
    }
    await b.runDaily('2026-03-01', '2026-03-03');
    await b.run('2026-04-01');
    const spans = b.db.sqlite.prepare('SELECT count(*) AS n, count(failed_on) AS failed FROM metric_open_spans').get() as { n: number; failed: number };
    expect(spans.n).toBeGreaterThan(0);
    expect(spans.failed).toBeGreaterThan(0);

    await call(b.core, b.conn, 'metrics.dashboard', { asOf: '2026-04-02' });
    await call(b.core, b.conn, 'metrics.summary', { asOf: '2026-04-02' });
    // Every read of the spans the two calls prepared (the statement cache keeps each SQL once).
    const reads = [...new Set(seen)].filter((sql) => /\bFROM metric_open_spans o\b/.test(sql) && /^\s*(SELECT|WITH)\b/i.test(sql));
    const aging = reads.filter((sql) => /o\.due_date/.test(sql));
    const declined = reads.filter((sql) => /o\.failed_on <= @d/.test(sql));
    expect(aging).toHaveLength(1);
    expect(declined).toHaveLength(1);
    expect(reads).toHaveLength(2); // a new read of the spans: add its expected plan here

    // As the file is, and with the planner statistics refreshPlannerStats takes as the books grow
    // (on the big tables: never on metric_open_spans, whose statistics on a small book would mislead).
    for (const stats of ['as created', 'analyzed']) {
      if (stats === 'analyzed') for (const table of ANALYZED_TABLES) b.db.sqlite.exec(`ANALYZE "${table}"`);
      const spansIn = (sql: string) => planOf(b.db.sqlite, sql).filter((d) => /\b(o|metric_open_spans)\b/.test(d));
      for (const sql of reads) expect(spansIn(sql).some((d) => /^SCAN (o|metric_open_spans)\b/.test(d)), `${stats}: ${sql}`).toBe(false);
      // AR aging: every column it needs is in the index, so no row of the table is read.
      expect(spansIn(aging[0]!), stats).toEqual(['SEARCH o USING COVERING INDEX metric_open_spans_aging (settled_on>?)']);
      // Failed payments and at-risk customers: the partial index of the declined spans. It holds no
      // invoice_id, so each declined span (a few of the open ones) is looked up for it; making it
      // covering needs invoice_id in the index (a migration).
      expect(spansIn(declined[0]!), stats).toEqual(['SEARCH o USING INDEX metric_open_spans_failed (settled_on>?)']);
    }
  });
});
