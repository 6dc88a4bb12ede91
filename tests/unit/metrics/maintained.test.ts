import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '@shared/domain/dates';
import { fileKey, openExisting } from '../../../src-main/core/db/keyring';
import type { BusinessDb } from '../../../src-main/core/db/open';
import { newId } from '../../../src-main/core/ids';
import { dashboard, fullDashboard, maintainedSummary, renewalsFromHistory, upcomingRenewals } from '../../../src-main/core/metrics/dashboard';
import { markAllDirty, rebuildParts } from '../../../src-main/core/metrics/maintained';
import { metricsAsOf } from '../../../src-main/core/metrics/metrics-service';
import { play, scenarioArb } from '../../support/billing-scenarios';
import { billingBusiness } from '../../support/billing';

// The dashboard reads tables kept up to date by triggers and folded in on
// open (metrics/maintained.ts). After any history of writes, what it shows
// must be exactly what the full recomputation (fullDashboard) computes from
// the books. `BREAK_TRIGGER=metric_refund_insert npx vitest run tests/unit/metrics/maintained.test.ts`
// drops one trigger first: the property must then fail (metric_sale_payment_insert too: counter sales are in the generator).

const AS_OF = ['2026-01-20', '2026-02-28', '2026-03-31', '2026-04-15', '2026-05-01', '2026-06-30'];

/** Edits the books as a back-dated correction, a refund, a void, a late payment, a catalog change or a killed billing run would. */
const editArb = fc.oneof(
  fc.record({ kind: fc.constant('backdate' as const), pick: fc.nat(), days: fc.integer({ min: -60, max: -1 }) }),
  fc.record({ kind: fc.constant('amount' as const), pick: fc.nat(), delta: fc.integer({ min: -500, max: 2000 }) }),
  fc.record({ kind: fc.constant('deleteRow' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(), days: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('void' as const), pick: fc.nat(), days: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('payLate' as const), pick: fc.nat(), days: fc.integer({ min: 0, max: 40 }), partial: fc.boolean() }),
  fc.record({ kind: fc.constant('plan' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('coupon' as const), percent: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant('killedRun' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('billing' as const), days: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ kind: fc.constant('open' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('subscribe' as const), plan: fc.nat(), days: fc.integer({ min: -90, max: 10 }), method: fc.constantFrom('card', 'card_declining', 'manual') }),
  fc.record({ kind: fc.constant('cancelAtEnd' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('snapshot' as const) }),
  // Counter sales count in revenue (issue 14): a sale paid by one method or split, a refund of one, a back-dated sale payment.
  fc.record({ kind: fc.constant('sale' as const), day: fc.integer({ min: 0, max: 180 }), total: fc.integer({ min: 1, max: 50_000 }), split: fc.boolean(), refundAfter: fc.option(fc.integer({ min: 0, max: 40 })) }),
  fc.record({ kind: fc.constant('saleRefund' as const), pick: fc.nat(), days: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('saleBackdate' as const), pick: fc.nat(), days: fc.integer({ min: -40, max: -1 }) }),
);

/**
 * Corrections reach back into the history: rows before a subscription's last one (its present state
 * stays what the subscriptions table says, as every real write keeps it), moved earlier, repriced or removed.
 */
const PAST_ROWS = 'h WHERE seq < (SELECT max(seq) FROM subscription_history l WHERE l.subscription_id = h.subscription_id) ORDER BY id';

type Edit = typeof editArb extends fc.Arbitrary<infer T> ? T : never;

function pickRow<T>(db: BusinessDb, sql: string, pick: number): T | undefined {
  const rows = db.sqlite.prepare(sql).all() as T[];
  return rows.length === 0 ? undefined : rows[pick % rows.length];
}

function edit(db: BusinessDb, e: Edit): void {
  const s = db.sqlite;
  const at = new Date().toISOString();
  switch (e.kind) {
    case 'backdate': {
      const row = pickRow<{ id: string; effective_date: string }>(db, `SELECT id, effective_date FROM subscription_history ${PAST_ROWS}`, e.pick);
      if (row) s.prepare('UPDATE subscription_history SET effective_date = ? WHERE id = ?').run(addDays(row.effective_date, e.days), row.id);
      break;
    }
    case 'amount': {
      const row = pickRow<{ id: string; recurring_amount: number }>(db, `SELECT id, recurring_amount FROM subscription_history ${PAST_ROWS}`, e.pick);
      if (row) s.prepare('UPDATE subscription_history SET recurring_amount = ? WHERE id = ?').run(Math.max(0, row.recurring_amount + e.delta), row.id);
      break;
    }
    case 'deleteRow': {
      const row = pickRow<{ id: string }>(db, `SELECT id FROM subscription_history ${PAST_ROWS}`, e.pick);
      if (row) s.prepare('DELETE FROM subscription_history WHERE id = ?').run(row.id);
      break;
    }
    case 'refund': {
      const p = pickRow<{ id: string; amount: number; amount_refunded: number; paid_on: string; currency: string }>(
        db,
        "SELECT id, amount, amount_refunded, paid_on, currency FROM payments WHERE status = 'succeeded' AND amount_refunded < amount ORDER BY id",
        e.pick,
      );
      if (!p) break;
      const amount = Math.max(1, Math.floor((p.amount - p.amount_refunded) / 2));
      s.transaction(() => {
        s.prepare('INSERT INTO refunds (id, payment_id, amount, currency, refunded_on, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(newId(), p.id, amount, p.currency, addDays(p.paid_on, e.days), 'test', at);
        s.prepare('UPDATE payments SET amount_refunded = amount_refunded + ? WHERE id = ?').run(amount, p.id);
      })();
      break;
    }
    case 'void': {
      const inv = pickRow<{ id: string; issue_date: string }>(db, "SELECT id, issue_date FROM invoices WHERE status = 'open' ORDER BY id", e.pick);
      if (inv) s.prepare("UPDATE invoices SET status = 'void', voided_on = ?, amount_due = 0, next_retry_on = NULL WHERE id = ?").run(addDays(inv.issue_date, e.days), inv.id);
      break;
    }
    case 'payLate': {
      const inv = pickRow<{ id: string; issue_date: string; customer_id: string; amount_due: number; currency: string }>(
        db,
        "SELECT id, issue_date, customer_id, amount_due, currency FROM invoices WHERE status = 'open' AND amount_due > 0 ORDER BY id",
        e.pick,
      );
      if (!inv) break;
      const on = addDays(inv.issue_date, e.days);
      const amount = e.partial ? Math.ceil(inv.amount_due / 2) : inv.amount_due;
      s.transaction(() => {
        s.prepare("INSERT INTO payments (id, invoice_id, customer_id, amount, currency, method, status, paid_on, created_at) VALUES (?, ?, ?, ?, ?, 'cash', 'succeeded', ?, ?)").run(
          newId(), inv.id, inv.customer_id, amount, inv.currency, on, at,
        );
        s.prepare('UPDATE invoices SET amount_paid = amount_paid + ?, amount_due = amount_due - ? WHERE id = ?').run(amount, amount, inv.id);
        if (amount === inv.amount_due) s.prepare("UPDATE invoices SET status = 'paid', paid_on = ?, next_retry_on = NULL WHERE id = ?").run(on, inv.id);
      })();
      break;
    }
    case 'plan': {
      const plan = pickRow<{ id: string; interval_count: number }>(db, 'SELECT id, interval_count FROM plans ORDER BY id', e.pick);
      if (plan) s.prepare('UPDATE plans SET interval_count = ? WHERE id = ?').run((plan.interval_count % 3) + 1, plan.id);
      break;
    }
    case 'coupon':
      s.prepare('UPDATE coupons SET percent_off_ppm = ? WHERE percent_off_ppm IS NOT NULL').run(e.percent * 10_000);
      break;
    case 'killedRun': {
      // A billing run that never committed: its writes (history, invoice, payment) roll back, and so do the marks of its triggers.
      const sub = pickRow<{ id: string; customer_id: string; plan_id: string }>(db, 'SELECT id, customer_id, plan_id FROM subscriptions ORDER BY id', e.pick);
      if (!sub) break;
      expect(() =>
        s.transaction(() => {
          s.prepare(
            `INSERT INTO subscription_history (id, subscription_id, customer_id, seq, effective_date, event, status, plan_id, quantity, recurring_amount, recorded_at)
             VALUES (?, ?, ?, 100000, '2026-02-01', 'canceled', 'canceled', ?, 1, 0, ?)`,
          ).run(newId(), sub.id, sub.customer_id, sub.plan_id, at);
          s.prepare("INSERT INTO refunds (id, payment_id, amount, currency, refunded_on, created_at) SELECT ?, id, 1, currency, '2026-02-02', ? FROM payments WHERE status = 'succeeded' LIMIT 1").run(newId(), at);
          s.prepare("UPDATE invoices SET status = 'void', voided_on = '2026-02-03' WHERE status = 'open'").run();
          s.prepare("UPDATE subscriptions SET status = 'canceled' WHERE id = ?").run(sub.id);
          throw new Error('killed');
        })(),
      ).toThrow('killed');
      break;
    }
    case 'sale': {
      const on = addDays('2026-01-01', e.day);
      const id = newId();
      const currency = s.prepare('SELECT currency FROM business').pluck().get() as string;
      const number = `R-${String(s.prepare('SELECT count(*) + 1 FROM sales').pluck().get()).padStart(6, '0')}`;
      s.transaction(() => {
        s.prepare("INSERT INTO sales (id, number, sold_on, currency, subtotal, tax, total, created_at, method) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)").run(
          id, number, on, currency, e.total, e.total, at, e.split && e.total > 1 ? 'split' : 'cash',
        );
        const parts = e.split && e.total > 1 ? [Math.floor(e.total / 3) || 1, e.total - (Math.floor(e.total / 3) || 1)] : [e.total];
        parts.forEach((amount, i) =>
          s.prepare('INSERT INTO sale_payments (id, sale_id, method, amount, currency, paid_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(newId(), id, i === 0 ? 'cash' : 'card', amount, currency, on, at),
        );
        if (e.refundAfter !== null) {
          const amount = Math.ceil(e.total / 2);
          s.prepare("INSERT INTO sale_refunds (id, sale_id, refunded_on, amount, currency, method, created_at) VALUES (?, ?, ?, ?, ?, 'card', ?)").run(newId(), id, addDays(on, e.refundAfter), amount, currency, at);
          s.prepare('UPDATE sales SET refunded = ? WHERE id = ?').run(amount, id);
        }
      })();
      break;
    }
    case 'saleRefund': {
      const sale = pickRow<{ id: string; total: number; refunded: number; sold_on: string; currency: string }>(
        db,
        'SELECT id, total, refunded, sold_on, currency FROM sales WHERE refunded < total ORDER BY id',
        e.pick,
      );
      if (!sale) break;
      const amount = Math.max(1, Math.floor((sale.total - sale.refunded) / 2));
      s.transaction(() => {
        s.prepare("INSERT INTO sale_refunds (id, sale_id, refunded_on, amount, currency, method, created_at) VALUES (?, ?, ?, ?, ?, 'cash', ?)").run(newId(), sale.id, addDays(sale.sold_on, e.days), amount, sale.currency, at);
        s.prepare('UPDATE sales SET refunded = refunded + ? WHERE id = ?').run(amount, sale.id);
      })();
      break;
    }
    case 'saleBackdate': {
      const p = pickRow<{ id: string; paid_on: string }>(db, 'SELECT id, paid_on FROM sale_payments ORDER BY id', e.pick);
      if (p) s.prepare('UPDATE sale_payments SET paid_on = ? WHERE id = ?').run(addDays(p.paid_on, e.days), p.id);
      break;
    }
    default:
      break;
  }
}

function expectSame(db: BusinessDb, asOf: string, timezone: string): void {
  const full = fullDashboard(db, asOf, timezone);
  expect(dashboard(db, asOf, timezone)).toEqual(full);
  expect(maintainedSummary(db, asOf)).toEqual(metricsAsOf(db, asOf));
}

describe('the maintained dashboard equals the full recomputation', () => {
  it('after random histories, back-dated changes, refunds, voids, catalog changes, a killed run and a restored backup', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.array(editArb, { minLength: 1, maxLength: 8 }), fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata'), async (scenario, edits, timezone) => {
        const b = await play(scenario, false);
        try {
          const db = b.db;
          if (process.env.BREAK_TRIGGER) db.sqlite.exec(`DROP TRIGGER ${process.env.BREAK_TRIGGER}`);
          // Every as-of date asked once before the edits: its months are kept (complete, or up to a mid-month date), and each edit must move them.
          for (const asOf of AS_OF) expectSame(db, asOf, timezone);
          let snapshot: string | null = null;
          let billedTo = '2026-05-01';
          for (const e of edits) {
            if (e.kind === 'open') dashboard(db, AS_OF[e.at % AS_OF.length]!, timezone);
            else if (e.kind === 'snapshot') {
              // A backup taken now (VACUUM INTO, as backups are written), restored at the end.
              snapshot = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-restore-')), 'backup.sqlite');
              db.sqlite.exec(`VACUUM INTO '${snapshot}'`);
            }
            else if (e.kind === 'billing') await b.run((billedTo = addDays(billedTo, e.days)));
            else if (e.kind === 'subscribe') {
              const plan = pickRow<{ id: string }>(db, 'SELECT id FROM plans ORDER BY id', e.plan)!;
              const customer = await b.customer(e.method as 'card');
              await b.core.dispatch(b.conn, 'subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: addDays(billedTo, e.days) });
            } else if (e.kind === 'cancelAtEnd') {
              const sub = pickRow<{ id: string }>(db, "SELECT id FROM subscriptions WHERE status IN ('active', 'past_due') ORDER BY id", e.pick);
              if (sub) await b.core.dispatch(b.conn, 'subscriptions.cancel', { id: sub.id, on: billedTo, atPeriodEnd: true, prorate: false });
            }
            else edit(db, e);
          }
          // The last billed day too: with nothing dated after it, renewals come from metric_renewals.
          for (const asOf of [...AS_OF, billedTo]) expectSame(db, asOf, timezone);
          if (snapshot) {
            // A backup restored: its tables and marks are those of its own moment.
            const restored = openExisting(snapshot, { key: fileKey(db.file) }); // VACUUM INTO keeps the file's key
            try {
              for (const asOf of AS_OF) expectSame({ sqlite: restored } as BusinessDb, asOf, timezone);
            } finally {
              restored.close();
              fs.rmSync(path.dirname(snapshot), { recursive: true, force: true });
            }
          }
        } finally {
          b.close();
        }
      }),
      { numRuns: 25, seed: Number(process.env.PROPERTY_SEED ?? 7), endOnFailure: true },
    );
  }, 600_000);
});

describe('failed payments and upcoming renewals as of a past date', () => {
  it('show what was true then, not what is true now', async () => {
    const b = await billingBusiness({ dunningDays: [20] });
    try {
      const plan = await b.plan({ price: 5000, interval: 'month' });
      const declining = await b.customer('card_declining', 'Declined Dora');
      const sub = await b.subscribe({ planId: plan.id, startDate: '2026-01-10', customerId: declining.id });
      const steady = await b.subscribe({ planId: plan.id, startDate: '2026-01-05' });
      await b.run('2026-01-25');
      const failedThen = dashboard(b.db, '2026-01-20', 'UTC').failedPayments;
      expect(failedThen.count).toBe(1);
      expect(failedThen.rows[0]).toMatchObject({ customerName: 'Declined Dora', amountDue: 5000, subscriptionId: sub.id, attempts: 1, nextRetryOn: '2026-01-30' });
      expect(failedThen.mrrAtRisk).toBe(5000);
      // The customer pays by hand, and the steady subscription is canceled from February 20.
      const [invoice] = await b.invoices({ customerId: declining.id });
      await b.call('invoices.pay', { id: invoice!.id, amount: 5000, method: 'cash', on: '2026-01-28' });
      await b.call('customers.update', { id: declining.id, paymentMethod: 'card' });
      await b.call('subscriptions.cancel', { id: steady.id, on: '2026-02-20', atPeriodEnd: false, prorate: false });
      await b.run('2026-03-31');
      const thenAgain = dashboard(b.db, '2026-01-20', 'UTC');
      expect(thenAgain.failedPayments.count).toBe(1);
      expect(dashboard(b.db, '2026-01-29', 'UTC').failedPayments.count).toBe(0);
      // On January 20 both subscriptions were to renew within 30 days (Feb 5 and Feb 10); by March 31 the canceled one renews no more.
      expect(thenAgain.upcomingRenewals.rows.map((r) => [r.subscriptionId, r.date])).toEqual([
        [steady.id, '2026-02-05'],
        [sub.id, '2026-02-10'],
      ]);
      const now = dashboard(b.db, '2026-03-31', 'UTC').upcomingRenewals;
      expect(now.rows.map((r) => r.subscriptionId)).toEqual([sub.id]);
      expect(upcomingRenewals(b.db, '2026-03-31', 30)).toEqual(renewalsFromHistory(b.db, '2026-03-31', 30));
    } finally {
      b.close();
    }
  }, 60_000);
});

describe('the comparison catches a stale figure', () => {
  it('a refund written with its trigger dropped leaves the maintained revenue behind, and expectSame says so', async () => {
    const b = await billingBusiness();
    try {
      const plan = await b.plan({ price: 3000, interval: 'month' });
      await b.subscribe({ planId: plan.id, startDate: '2026-01-05' });
      await b.run('2026-01-31');
      expectSame(b.db, '2026-01-31', 'UTC');
      const payment = b.db.sqlite.prepare("SELECT id FROM payments WHERE status = 'succeeded'").pluck().get() as string;
      b.db.sqlite.exec('DROP TRIGGER metric_refund_insert');
      await b.call('payments.refund', { id: payment, amount: 1000, on: '2026-01-20', reason: 'stale on purpose' });
      expect(() => expectSame(b.db, '2026-01-31', 'UTC')).toThrow();
    } finally {
      b.close();
    }
  }, 60_000);
});

describe("a '*' mark names everyone (migration 0027)", () => {
  it('the triggers stop marking one by one while it is there, and the fold rebuilds the table whole', async () => {
    const b = await billingBusiness({ dunningDays: [3, 5] });
    try {
      const plan = await b.plan({ price: 4000, interval: 'month' });
      const declining = await b.customer('card_declining', 'Declined Dora');
      await b.subscribe({ planId: plan.id, startDate: '2026-01-10', customerId: declining.id });
      const steady = await b.subscribe({ planId: plan.id, startDate: '2026-01-05' });
      await b.subscribe({ planId: plan.id, startDate: '2026-01-20' });
      await b.run('2026-01-08');
      dashboard(b.db, '2026-01-08', 'UTC'); // folds the marks in: nothing marked now
      const marks = () => [
        b.db.sqlite.prepare('SELECT customer_id FROM metric_dirty ORDER BY 1').pluck().all(),
        b.db.sqlite.prepare('SELECT subscription_id FROM metric_dirty_subscriptions ORDER BY 1').pluck().all(),
      ];
      expect(marks()).toEqual([[], []]);
      // A run whose agenda holds every running subscription marks their renewals as one '*'; the history it
      // writes (a failed payment, a cancel after the last retry) is marked by customer, as before.
      await b.run('2026-01-31');
      const [customers, subscriptions] = marks();
      expect(subscriptions).toEqual(['*']);
      expect(customers).toContain(declining.id);
      expect(customers).not.toContain('*');
      expectSame(b.db, '2026-01-31', 'UTC');
      // With '*' in metric_dirty (what a run sets past 3,000 marked customers), new history is not marked one by one.
      markAllDirty(b.db, 'customers');
      await b.call('subscriptions.cancel', { id: steady.id, on: '2026-02-03', atPeriodEnd: false, prorate: false });
      await b.run('2026-02-28');
      expect(marks()[0]).toEqual(['*']);
      for (const asOf of ['2026-01-31', '2026-02-10', '2026-02-28']) expectSame(b.db, asOf, 'UTC');
      expect(marks()).toEqual([[], []]);
      // The whole rebuild reads the history a range of customers at a time: parts of one, two and all.
      for (const customersAtATime of [1, 2, 5000]) {
        rebuildParts.customersAtATime = customersAtATime;
        markAllDirty(b.db, 'customers');
        for (const asOf of ['2026-01-31', '2026-02-10', '2026-02-28']) expectSame(b.db, asOf, 'UTC');
      }
    } finally {
      b.close();
    }
  }, 60_000);
});
