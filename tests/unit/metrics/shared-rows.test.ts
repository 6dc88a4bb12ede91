import type Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '@shared/domain/dates';
import { metricsSummaryFromRows, withCounterSales, type MetricsRows, type RefundRow, type SalePaymentRow } from '@shared/domain/metrics';
import { maintainedSummary } from '../../../src-main/core/metrics/dashboard';
import { metricsAsOf, readMetricsRows } from '../../../src-main/core/metrics/metrics-service';
import { newId } from '../../../src-main/core/ids';
import { fullFieldsSql, syncedTable } from '../../../src-main/core/sync/tables';
import { play, scenarioArb } from '../../support/billing-scenarios';
import { rng } from '../../support/rng';

// The server computes GET /v1/metrics from the rows the PCs synced, with
// metricsSummaryFromRows (src-shared). Here a business billed in SQLite is
// dumped whole, each row as the sync change log carries it (fullFieldsSql:
// snake_case keys, SQLite's values), shuffled, and the summary from those
// rows must equal, to the cent, what `recurra metrics --as-of` answers
// (metrics.summary, from the maintained tables) and the PC's full computation
// (metricsAsOf, fed by narrowing queries) for dates before, during and after
// the history.

const TABLES = ['subscription_history', 'plans', 'coupons', 'invoices', 'payments', 'refunds'] as const;

/** Every row of a table as a change's `fields` object. */
function dumpTable(sqlite: Database.Database, name: string): Record<string, unknown>[] {
  const info = sqlite.prepare(`PRAGMA table_info(${name})`).all() as { name: string; pk: number }[];
  const table = syncedTable({ name, columns: info.map((c) => c.name), primaryKey: info.filter((c) => c.pk > 0).map((c) => c.name) });
  return (sqlite.prepare(`SELECT ${fullFieldsSql(table, 't')} FROM ${name} t`).pluck().all() as string[]).map((json) => JSON.parse(json) as Record<string, unknown>);
}

function shuffled<T>(rows: readonly T[], random: ReturnType<typeof rng>): T[] {
  const out = [...rows];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The whole books as a server holds them (every row, any order). */
function serverRows(sqlite: Database.Database, seed: number): MetricsRows {
  const random = rng(seed);
  const [history, plans, coupons, invoices, payments, refunds] = TABLES.map((t) => shuffled(dumpTable(sqlite, t), random));
  // Counter sales as the server adds them (src-server/api/metrics.ts).
  return withCounterSales(
    {
      currency: sqlite.prepare('SELECT currency FROM business').pluck().get() as string,
      subscriptionHistory: history,
      plans,
      coupons,
      invoices,
      payments,
      refunds,
    } as unknown as MetricsRows,
    shuffled(dumpTable(sqlite, 'sale_payments'), random) as unknown as SalePaymentRow[],
    shuffled(dumpTable(sqlite, 'sale_refunds'), random) as unknown as RefundRow[],
  );
}

/** A few counter sales (one split in two payments) and a refund of one, on days around the history (issue 14: sales count in revenue). */
function addCounterSales(sqlite: Database.Database, days: number[]): void {
  const currency = sqlite.prepare('SELECT currency FROM business').pluck().get() as string;
  const at = '2026-01-01T00:00:00.000Z';
  days.forEach((day, i) => {
    const id = newId();
    const on = addDays('2026-01-01', day);
    const total = 1000 + 37 * day;
    sqlite.prepare("INSERT INTO sales (id, number, sold_on, currency, subtotal, tax, total, created_at, method) VALUES (?, ?, ?, ?, ?, 0, ?, ?, 'split')").run(id, `R-${i + 1}`, on, currency, total, total, at);
    sqlite.prepare("INSERT INTO sale_payments (id, sale_id, method, amount, currency, paid_on, created_at) VALUES (?, ?, 'cash', ?, ?, ?, ?)").run(newId(), id, 400, currency, on, at);
    sqlite.prepare("INSERT INTO sale_payments (id, sale_id, method, amount, currency, paid_on, created_at) VALUES (?, ?, 'card', ?, ?, ?, ?)").run(newId(), id, total - 400, currency, on, at);
    if (i % 2 === 0) {
      sqlite.prepare("INSERT INTO sale_refunds (id, sale_id, refunded_on, amount, currency, method, created_at) VALUES (?, ?, ?, ?, ?, 'cash', ?)").run(newId(), id, addDays(on, day % 20), 500, currency, at);
    }
  });
}

/** Month ends, mid-months and days around the history (2026-01-01 to 2026-05-01), before it and after it. */
const DATES = ['2025-12-31', '2026-01-01', '2026-01-15', '2026-01-31', '2026-02-14', '2026-02-28', '2026-03-01', '2026-03-17', '2026-03-31', '2026-04-09', '2026-04-30', '2026-05-01', '2026-05-31', '2026-12-31'];

describe('metricsSummaryFromRows over synced rows equals the CLI and the PC, to the cent', () => {
  it('for random businesses and many dates, past ones included', async () => {
    // What the businesses showed, so the comparison is known to have met every figure.
    const seen = { mrr: 0, churn: 0, expansion: 0, ar: 0, pastDue: 0, atRisk: 0, revenue: 0 };
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.nat(), fc.integer({ min: 0, max: 120 }), fc.array(fc.integer({ min: -10, max: 140 }), { maxLength: 6 }), async (scenario, seed, offset, saleDays) => {
        const b = await play(scenario, false);
        try {
          addCounterSales(b.db.sqlite, saleDays);
          const rows = serverRows(b.db.sqlite, seed);
          for (const asOf of [...DATES, addDays('2026-01-01', offset)]) {
            const fromRows = metricsSummaryFromRows(rows, asOf);
            const { movements: mv, arAging: ar } = fromRows;
            const counts = { mrr: fromRows.mrr, churn: mv.churn, expansion: mv.expansion, ar: ar.current, pastDue: ar.d1to30 + ar.d31to60 + ar.d61to90 + ar.over90, atRisk: fromRows.atRiskCustomers, revenue: fromRows.revenue };
            for (const k of Object.keys(seen) as (keyof typeof seen)[]) if (counts[k] > 0) seen[k]++;
            expect(await b.call('metrics.summary', { asOf })).toEqual(fromRows);
            expect(metricsAsOf(b.db, asOf)).toEqual(fromRows);
            expect(maintainedSummary(b.db, asOf)).toEqual(fromRows);
          }
          // The PC's narrowed rows are a subset of the whole books that gives the same answer.
          const narrowed = readMetricsRows(b.db, '2026-03-17');
          expect(narrowed.invoices.length).toBeLessThanOrEqual(rows.invoices.length);
          expect(narrowed.payments.length).toBeLessThanOrEqual(rows.payments.length);
        } finally {
          b.close();
        }
      }),
      { numRuns: 15, seed: Number(process.env.PROPERTY_SEED ?? 13), endOnFailure: true },
    );
    for (const [figure, times] of Object.entries(seen)) expect(times, figure).toBeGreaterThan(0);
  }, 300_000);
});
