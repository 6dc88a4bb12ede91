import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { addDays } from '@shared/domain/dates';
import { churnRisk } from '@shared/insights/churn';
import { lifetimeValues } from '@shared/insights/ltv';
import { CHURN_BOOK_AS_OF } from '../../../bench/insights-churn-data';
import { monthBounds, segmentsFromHistory } from '@shared/domain/metrics';
import { computeInsight } from '../../../src-main/core/insights/compute';
import { loadForecastHistory } from '../../../src-main/core/insights/sales-data';
import { monthFigures } from '../../../src-main/core/metrics/month-figures';
import { readCoupons, readHistory, readPlans } from '../../../src-main/core/metrics/segments';
import { loadInsightLedger } from '../../../src-main/core/insights/fast-books';
import { incrementalStats, saveSnapshot } from '../../../src-main/core/insights/incremental';
import { openSqlite } from '../../../src-main/core/db/open';
import * as schema from '../../../src-main/core/db/schema';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { newId } from '../../../src-main/core/ids';
import type { BusinessDb } from '../../../src-main/core/db/open';
import type { Core } from '../../../src-main/core/core';
import { insightBook } from '../../support/insight-book';

// The churn model and scores and the LTV ledger are kept between questions and brought up to date from the
// customers changed since (insight_changes, migration 0024; core/insights/incremental.ts). After any writes,
// committed one by one as the app commits them, the answers must be exactly those computed from scratch:
// the same scores, factors, model and backtest, the same lifetime values. The writes include those that keep
// the model (a payment, a note, a sale, a rename) and those that must retrain it or read everything again
// (a back-dated cancellation, a new or deleted customer, a plan's interval, many customers at once).
// `BREAK_TRIGGER=insight_changes_history_insert npx vitest run tests/unit/insights/incremental.test.ts` drops
// one trigger first: the property must then fail.

let core: Core;
let db: BusinessDb;
const asOf = CHURN_BOOK_AS_OF;
const today = CHURN_BOOK_AS_OF;
const someDay = (n: number) => addDays(today, -(n % 500));

const editArb = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('payment' as const), customer: fc.nat(), day: fc.nat(), failed: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('note' as const), customer: fc.nat(), day: fc.nat() }), weight: 3 },
  fc.record({ kind: fc.constant('sale' as const), customer: fc.nat(), day: fc.nat() }),
  fc.record({ kind: fc.constant('rename' as const), customer: fc.nat(), segment: fc.constantFrom('', 'Retail', 'Pro', 'New') }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(), day: fc.nat() }),
  fc.record({ kind: fc.constant('customerAdd' as const) }),
  fc.record({ kind: fc.constant('customerDelete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('plan' as const), pick: fc.nat(), interval: fc.constantFrom('month', 'year') }),
  fc.record({ kind: fc.constant('planPrice' as const), pick: fc.nat(), amount: fc.integer({ min: 100, max: 90_000 }) }),
  fc.record({ kind: fc.constant('coupon' as const), months: fc.integer({ min: 1, max: 12 }), percent: fc.integer({ min: 5, max: 60 }) }),
  fc.record({ kind: fc.constant('currency' as const), code: fc.constantFrom('USD', 'EUR') }),
  fc.record({ kind: fc.constant('many' as const), day: fc.nat() }),
);
type Edit = typeof editArb extends fc.Arbitrary<infer T> ? T : never;

let sale = 0;
function edit(s: Database.Database, e: Edit): void {
  const at = '2026-12-01T00:00:00.000Z';
  const pickOf = (sql: string, n: number): string | undefined => {
    const ids = s.prepare(sql).pluck().all() as string[];
    return ids.length === 0 ? undefined : ids[n % ids.length];
  };
  const customer = (n: number) => pickOf('SELECT id FROM customers ORDER BY id', n)!;
  switch (e.kind) {
    case 'payment':
      s.prepare("INSERT INTO payments (id, customer_id, amount, currency, method, status, paid_on, attempt, created_at) VALUES (?, ?, 500, 'USD', 'card', ?, ?, 1, ?)").run(
        newId(),
        customer(e.customer),
        e.failed ? 'failed' : 'succeeded',
        someDay(e.day),
        at,
      );
      return;
    case 'note':
      s.prepare("INSERT INTO customer_events (id, customer_id, kind, title, occurred_at, created_at) VALUES (?, ?, 'note', 'Logged', ?, ?)").run(newId(), customer(e.customer), `${someDay(e.day)}T10:00:00.000Z`, at);
      return;
    case 'sale':
      s.prepare("INSERT INTO sales (id, number, customer_id, sold_on, currency, subtotal, total, created_at) VALUES (?, ?, ?, ?, 'USD', 1500, 1500, ?)").run(newId(), `INC-${sale++}`, customer(e.customer), someDay(e.day), at);
      return;
    case 'rename':
      s.prepare('UPDATE customers SET name = name || ?, segment = ? WHERE id = ?').run('.', e.segment, customer(e.customer));
      return;
    case 'cancel': {
      // A cancellation row at a past date (back-dated: it can move the labels the model learned from).
      const sub = pickOf("SELECT subscription_id FROM subscription_history GROUP BY subscription_id HAVING max(status = 'canceled') = 0 ORDER BY 1", e.pick);
      if (sub === undefined) return;
      const last = s.prepare('SELECT * FROM subscription_history WHERE subscription_id = ? ORDER BY seq DESC LIMIT 1').get(sub) as Record<string, unknown>;
      const day = someDay(e.day) > (last.effective_date as string) ? someDay(e.day) : today;
      s.prepare(
        `INSERT INTO subscription_history (id, subscription_id, customer_id, seq, effective_date, event, status, plan_id, quantity, recurring_amount, recorded_at)
         VALUES (?, ?, ?, ?, ?, 'canceled', 'canceled', ?, ?, ?, ?)`,
      ).run(newId(), sub, last.customer_id, (last.seq as number) + 1, day, last.plan_id, last.quantity, last.recurring_amount, at);
      return;
    }
    case 'customerAdd': {
      const id = newId();
      s.prepare("INSERT INTO customers (id, name, email, email_normalized, segment, created_at, updated_at) VALUES (?, 'New one', ?, ?, '', ?, ?)").run(id, `${id}@example.com`, `${id}@example.com`, at, at);
      return;
    }
    case 'customerDelete': {
      const id = pickOf(
        'SELECT id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.customer_id = c.id) AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id) AND NOT EXISTS (SELECT 1 FROM subscriptions x WHERE x.customer_id = c.id) ORDER BY id',
        e.pick,
      );
      if (id === undefined) return;
      s.prepare('UPDATE sales SET customer_id = NULL WHERE customer_id = ?').run(id);
      s.prepare('DELETE FROM customers WHERE id = ?').run(id);
      return;
    }
    case 'plan':
      s.prepare('UPDATE plans SET interval = ? WHERE id = ?').run(e.interval, pickOf('SELECT id FROM plans ORDER BY id', e.pick) ?? '');
      return;
    case 'planPrice':
      // A plan's price (existing subscriptions keep their history rows' amounts): moves no timeline.
      s.prepare('UPDATE plans SET unit_amount = ? WHERE id = ?').run(e.amount, pickOf('SELECT id FROM plans ORDER BY id', e.pick) ?? '');
      return;
    case 'coupon':
      // The coupon's months and discount: every customer whose history names it (its end day, the MRR after it).
      s.prepare('UPDATE coupons SET duration_months = ?, percent_off_ppm = ?').run(e.months, e.percent * 10_000);
      return;
    case 'currency':
      s.prepare('UPDATE business SET currency = ?').run(e.code);
      return;
    case 'many':
      // Everyone at once (a billing run's payments): more than a quarter changed, read whole.
      s.transaction(() => {
        for (const id of s.prepare('SELECT id FROM customers ORDER BY id').pluck().all() as string[]) {
          s.prepare("INSERT INTO payments (id, customer_id, amount, currency, method, status, paid_on, attempt, created_at) VALUES (?, ?, 500, 'USD', 'card', 'succeeded', ?, 1, ?)").run(newId(), id, someDay(e.day), at);
        }
      })();
      return;
  }
}

beforeAll(async () => {
  ({ core, db } = await insightBook(400, 11));
}, 120_000);
afterAll(() => core.close());

const fromScratch = (day = asOf) => {
  const ledger = loadInsightLedger(db, day);
  const months = loadForecastHistory(db, day).map((h) => h.month);
  const segments = segmentsFromHistory(readHistory(db), readPlans(db), readCoupons(db));
  return {
    churn: churnRisk(ledger, { asOf: day, today: day }),
    ltv: lifetimeValues(ledger, { asOf: day, today: day }),
    monthlyMrr: monthFigures(segments, months.map((m) => monthBounds(m, day))).map((f) => f.mrrAtEnd),
  };
};
const kept = (on: BusinessDb = db, day = asOf) => ({
  churn: computeInsight(on, { kind: 'churn', asOf: day, today: day }),
  ltv: computeInsight(on, { kind: 'ltv', asOf: day, today: day }),
  monthlyMrr: loadForecastHistory(on, day).map((h) => h.recurring),
});
/** What the app asks (a page of the risk list, the list's scores, a customer's LTV), against the whole answers. */
const asked = (on: BusinessDb, day: string, whole: ReturnType<typeof fromScratch>) => {
  const someone = whole.ltv.customers[whole.ltv.customers.length >> 1]?.customerId ?? 'nobody';
  const page = computeInsight(on, { kind: 'churn-page', asOf: day, today: day, offset: 3, limit: 5, customerIds: null });
  expect(page.customers).toStrictEqual(whole.churn.customers.slice(3, 8));
  expect(page.total).toBe(whole.churn.customers.length);
  expect(JSON.parse(computeInsight(on, { kind: 'risk-rows', asOf: day, today: day }))).toStrictEqual(whole.churn.customers.map((c) => [c.customerId, c.score, c.band === 'low' ? 0 : 1]));
  const one = computeInsight(on, { kind: 'ltv-customer', asOf: day, today: day, customerId: someone });
  expect(one).toStrictEqual({ ...whole.ltv, customers: whole.ltv.customers.filter((c) => c.customerId === someone) });
  expect(loadForecastHistory(on, day).map((h) => h.recurring)).toStrictEqual(whole.monthlyMrr);
};
/** Another connection to the file: nothing kept in memory, as in a new run of the app. */
/** Runs `check` on a new connection to the file (as a new insights worker would open it), closed after. */
const onFreshConnection = (check: (fresh: BusinessDb) => void): void => {
  const sqlite = openSqlite(db.file, {});
  try {
    check({ businessId: db.businessId, file: db.file, sqlite, orm: drizzle(sqlite, { schema }) });
  } finally {
    sqlite.close();
  }
};

describe('insights kept between questions and brought up to date', () => {
  it('equal a computation from scratch after any writes', () => {
    const first = kept();
    expect(first.churn.ready).toBe(true);
    expect(first).toStrictEqual(fromScratch());
    const before = { ...incrementalStats };
    fc.assert(
      fc.property(fc.array(editArb, { minLength: 1, maxLength: 6 }), (edits) => {
        for (const e of edits) edit(db.sqlite, e);
        const answer = kept();
        expect(answer).toStrictEqual(fromScratch());
        // Asked again with no change: the same answer, nothing read.
        expect(kept().churn).toBe(answer.churn);
      }),
      { numRuns: 60, seed: 20261207 },
    );
    // Each path was taken: scored again only, retrained, read whole.
    expect(incrementalStats.churnRescored).toBeGreaterThan(before.churnRescored);
    expect(incrementalStats.churnRetrained).toBeGreaterThan(before.churnRetrained);
    expect(incrementalStats.ledgerWhole).toBeGreaterThan(before.ledgerWhole);
    expect(incrementalStats.ledgerCustomers).toBeGreaterThan(before.ledgerCustomers);
    expect(incrementalStats.ltvUpdated).toBeGreaterThan(before.ltvUpdated);
  }, 600_000);

  it('keeps the model after a payment dated today, and scores again only that customer', () => {
    kept();
    const s = db.sqlite;
    const id = s.prepare("SELECT id FROM customers WHERE name NOT LIKE 'Bare%' ORDER BY id LIMIT 1").pluck().get() as string;
    const before = { ...incrementalStats };
    edit(s, { kind: 'note', customer: 0, day: 0 });
    s.prepare("INSERT INTO payments (id, customer_id, amount, currency, method, status, paid_on, attempt, created_at) VALUES (?, ?, 500, 'USD', 'card', 'succeeded', ?, 1, ?)").run(newId(), id, today, today);
    const answer = kept();
    expect(incrementalStats.churnRetrained).toBe(before.churnRetrained);
    expect(incrementalStats.churnWhole).toBe(before.churnWhole);
    expect(incrementalStats.ledgerWhole).toBe(before.ledgerWhole);
    expect(incrementalStats.churnRescored - before.churnRescored).toBeLessThanOrEqual(2);
    expect(answer).toStrictEqual(fromScratch());
  });

  // A plan's price or interval, a coupon, the currency: each names everyone ('*') in insight_changes; the ledger
  // (and a new run's snapshot) builds again only the customers whose history names what moved (catalog.ts), never
  // the whole books. A new run 5 and 10 days later (the snapshot's days ahead run out) builds its ledger from the
  // snapshot's timelines, not from the books.
  it('a plan price, a plan interval, a coupon, a currency, and 5 or 10 days closed: no whole read, equal from scratch', () => {
    const s = db.sqlite;
    // The plan held by the fewest customers (a plan of a quarter of them or more is read whole: see WHOLE_ABOVE).
    const fewest = () => s.prepare('SELECT plan_id FROM subscription_history GROUP BY plan_id ORDER BY count(DISTINCT customer_id), plan_id LIMIT 1').pluck().get() as string;
    const cases: [string, () => void][] = [
      ['plan price', () => s.prepare('UPDATE plans SET unit_amount = unit_amount + 321').run()],
      ['plan interval', () => s.prepare("UPDATE plans SET interval = CASE interval WHEN 'year' THEN 'month' ELSE 'year' END WHERE id = ?").run(fewest())],
      ['coupon months', () => s.prepare('UPDATE coupons SET duration_months = duration_months + 2').run()],
      ['currency', () => s.prepare("UPDATE business SET currency = 'EUR'").run()],
      ['currency back, and a note', () => (s.prepare("UPDATE business SET currency = 'USD'").run(), edit(s, { kind: 'note', customer: 5, day: 3 }))],
    ];
    const customers = () => s.prepare('SELECT count(*) FROM customers').pluck().get() as number;
    for (const [name, write] of cases) {
      kept();
      saveSnapshot(db, { evenIfClose: true });
      const before = { ...incrementalStats };
      write();
      // The coupon is on about a quarter of the customers: below WHOLE_ABOVE's share here.
      expect(s.prepare("SELECT count(DISTINCT customer_id) FROM subscription_history WHERE coupon_id IS NOT NULL").pluck().get() as number).toBeLessThan(0.25 * customers());
      expect(kept()).toStrictEqual(fromScratch());
      for (const days of [0, 5, 10]) {
        const day = addDays(today, days);
        const whole = fromScratch(day);
        onFreshConnection((fresh) => {
          asked(fresh, day, whole);
          expect(kept(fresh, day)).toStrictEqual(whole);
        });
      }
      expect(incrementalStats.ledgerWhole, name).toBe(before.ledgerWhole);
      // A coupon's customers, not written since: a new run reads their history again, not their rows and lists.
      if (name === 'coupon months') expect(incrementalStats.ledgerHistoryOnly).toBeGreaterThan(before.ledgerHistoryOnly);
      // A plan's price moves no timeline: the model is kept, nothing read from the books for anyone.
      if (name === 'plan price') {
        expect(incrementalStats.churnRetrained + incrementalStats.churnWhole).toBe(before.churnRetrained + before.churnWhole);
        expect(incrementalStats.ledgerCustomers).toBe(before.ledgerCustomers);
      }
    }
  }, 600_000);

  // A new run starts from the snapshot the last one left in the file (snapshot.ts: the timelines and the model as of
  // a seq, and the answers of the next days), and a new day scores everyone again with the model kept (it changes
  // once a month). After writes before
  // and after the snapshot, a new connection asked on the same day, the next days or a month later, and the kept
  // connection asked on that day, all answer exactly as a computation from scratch.
  // `BREAK_SNAPSHOT=1 npx vitest run tests/unit/insights/incremental.test.ts` marks the snapshot as newer than it
  // is after the later writes (as a writer that left a bucket stale would): the property must then fail.
  it('a new run from the snapshot in the file, and a new day, equal a computation from scratch', () => {
    const before = { ...incrementalStats };
    fc.assert(
      fc.property(
        fc.array(editArb, { maxLength: 4 }),
        fc.array(editArb, { maxLength: 4 }),
        fc.constantFrom(0, 0, 1, 3, 5, 10, 40),
        (earlier, later, days) => {
          for (const e of earlier) edit(db.sqlite, e);
          kept();
          saveSnapshot(db, { evenIfClose: true });
          for (const e of later) edit(db.sqlite, e);
          if (process.env.BREAK_SNAPSHOT) db.sqlite.prepare("UPDATE insight_snapshot SET seq = (SELECT max(seq) FROM insight_changes)").run();
          const day = addDays(today, days);
          const whole = fromScratch(day);
          onFreshConnection((fresh) => {
            // What the app asks first (from the snapshot's days ahead when it has the day), then every answer whole.
            asked(fresh, day, whole);
            expect(kept(fresh, day)).toStrictEqual(whole);
            asked(fresh, day, whole);
          });
          // The next day on the kept connection (its ledger serves every date).
          expect(kept(db, day)).toStrictEqual(whole);
          asked(db, day, whole);
        },
      ),
      { numRuns: 40, seed: 20261208 },
    );
    expect(incrementalStats.ledgerRestored).toBeGreaterThan(before.ledgerRestored);
    expect(incrementalStats.churnRestored).toBeGreaterThan(before.churnRestored);
    expect(incrementalStats.churnNewDay).toBeGreaterThan(before.churnNewDay);
    expect(incrementalStats.snapshotsWritten).toBeGreaterThan(before.snapshotsWritten);
    expect(incrementalStats.quickAnswers).toBeGreaterThan(before.quickAnswers);
    // A day past the snapshot's days ahead: LTV's churn counts from its nearest day's, only the months that differ counted.
    expect(incrementalStats.ltvNear).toBeGreaterThan(before.ltvNear);
  }, 600_000);
});
