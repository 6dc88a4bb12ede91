import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { addDays } from '@shared/domain/dates';
import { churnRisk } from '@shared/insights/churn';
import { ledgerContent, ledgerOf } from '@shared/insights/features';
import { lifetimeValues } from '@shared/insights/ltv';
import { CHURN_BOOK_AS_OF } from '../../../bench/insights-churn-data';
import { loadInsightBooks } from '../../../src-main/core/insights/books';
import { loadInsightLedger } from '../../../src-main/core/insights/fast-books';
import { currencyChange, scanCurrencyChange } from '../../../src-main/core/insights/sales-data';
import { newId } from '../../../src-main/core/ids';
import type { BusinessDb } from '../../../src-main/core/db/open';
import type { Core } from '../../../src-main/core/core';
import { insightBook } from '../../support/insight-book';

// insight_customer_days is kept by triggers (migration 0022_insight_triggers) in the same transaction as
// every write. After any sequence of writes (back-dated payments, declines turned into payments and back,
// payments moved to another customer or deleted, invoices voided, paid late, written off, re-dated, sent
// back to draft, notes re-dated or re-kinded, sales moved or deleted, a customer deleted, writes rolled
// back, money moved to another currency), the ledger read from it must be exactly the one read row by row
// from the books (books.ts), at every as-of date, and so must the churn scores and lifetime values computed
// from it; insight_currency_rows must count what the money tables hold, and the forecast's currency change
// read through it must be the one a scan finds.
// `BREAK_TRIGGER=insight_invoices_update npx vitest run tests/unit/insights/maintained-days.test.ts` drops one
// trigger first: the property must then fail.

let core: Core;
let db: BusinessDb;

const AS_OF = [CHURN_BOOK_AS_OF, '2026-12-31', '2026-06-14', '2025-09-30', '2025-03-01', '2024-12-31'];
const someDay = (n: number) => addDays('2024-10-01', n % 900); // 2024-10-01 .. 2027-03

const editArb = fc.oneof(
  fc.record({ kind: fc.constant('payment' as const), customer: fc.nat(), day: fc.nat(), failed: fc.boolean() }),
  fc.record({ kind: fc.constant('paymentStatus' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('paymentMove' as const), pick: fc.nat(), customer: fc.nat(), days: fc.integer({ min: -400, max: 60 }) }),
  fc.record({ kind: fc.constant('paymentDelete' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('invoice' as const),
    customer: fc.nat(),
    day: fc.nat(),
    status: fc.constantFrom('draft', 'open', 'paid', 'void', 'uncollectible'),
    closedAfter: fc.integer({ min: 0, max: 60 }),
  }),
  fc.record({ kind: fc.constant('invoiceVoid' as const), pick: fc.nat(), days: fc.integer({ min: 0, max: 90 }) }),
  fc.record({ kind: fc.constant('invoicePayLate' as const), pick: fc.nat(), days: fc.integer({ min: 0, max: 120 }) }),
  fc.record({ kind: fc.constant('invoiceUncollectible' as const), pick: fc.nat(), days: fc.integer({ min: 0, max: 120 }) }),
  fc.record({ kind: fc.constant('invoiceReopen' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('invoiceRedate' as const), pick: fc.nat(), days: fc.integer({ min: -200, max: 40 }) }),
  fc.record({ kind: fc.constant('invoiceDraft' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('invoiceMove' as const), pick: fc.nat(), customer: fc.nat() }),
  fc.record({ kind: fc.constant('invoiceDelete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('note' as const), customer: fc.nat(), day: fc.nat(), type: fc.constantFrom('note', 'call', 'email', 'system') }),
  fc.record({ kind: fc.constant('noteEdit' as const), pick: fc.nat(), days: fc.integer({ min: -300, max: 30 }), type: fc.constantFrom('note', 'call', 'email', 'system') }),
  fc.record({ kind: fc.constant('noteDelete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('sale' as const), customer: fc.option(fc.nat()), day: fc.nat() }),
  fc.record({ kind: fc.constant('saleMove' as const), pick: fc.nat(), customer: fc.option(fc.nat()), days: fc.integer({ min: -300, max: 30 }) }),
  fc.record({ kind: fc.constant('saleDelete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('customerDelete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('rolledBack' as const), customer: fc.nat(), day: fc.nat() }),
  // Money in another currency (the forecast's currency change, insight_currency_rows).
  { arbitrary: fc.record({ kind: fc.constant('currency' as const), table: fc.constantFrom('payments', 'invoices', 'sale_payments'), pick: fc.nat(), currency: fc.constantFrom('USD', 'EUR', 'GBP') }), weight: 4 },
  fc.record({ kind: fc.constant('salePayment' as const), pick: fc.nat(), day: fc.nat(), currency: fc.constantFrom('USD', 'EUR') }),
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
  // Half the picks among the invoices that went past due (those in the lists), half among all.
  const invoice = (n: number) =>
    n % 2 === 0
      ? pickOf("SELECT id FROM invoices WHERE status <> 'draft' AND amount_due + amount_paid > 0 AND due_date < coalesce(paid_on, voided_on, uncollectible_on, '9999-12-31') ORDER BY id", n >> 1)
      : pickOf('SELECT id FROM invoices ORDER BY id', n >> 1);
  const payment = (n: number) => pickOf('SELECT id FROM payments ORDER BY id', n);
  const note = (n: number) => pickOf('SELECT id FROM customer_events ORDER BY id', n);
  const saleId = (n: number) => pickOf('SELECT id FROM sales ORDER BY id', n);
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
    case 'paymentStatus':
      s.prepare("UPDATE payments SET status = CASE status WHEN 'failed' THEN 'succeeded' ELSE 'failed' END WHERE id = ?").run(payment(e.pick));
      return;
    case 'paymentMove':
      s.prepare('UPDATE payments SET customer_id = ?, paid_on = date(paid_on, ?) WHERE id = ?').run(customer(e.customer), `${e.days} days`, payment(e.pick));
      return;
    case 'paymentDelete':
      s.prepare('DELETE FROM payments WHERE id = ?').run(payment(e.pick));
      return;
    case 'invoice': {
      const issued = someDay(e.day);
      const closed = addDays(issued, e.closedAfter);
      s.prepare(
        `INSERT INTO invoices (id, number, customer_id, kind, status, issue_date, due_date, currency, subtotal, total, amount_paid, amount_due, paid_on, voided_on, uncollectible_on, created_at, updated_at)
         VALUES (?, ?, ?, 'manual', ?, ?, ?, 'USD', 2000, 2000, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        newId(),
        `PROP-INV-${sale++}`,
        customer(e.customer),
        e.status,
        issued,
        addDays(issued, 14),
        e.status === 'paid' ? 2000 : 0,
        e.status === 'paid' ? 0 : 2000,
        e.status === 'paid' ? closed : null,
        e.status === 'void' ? closed : null,
        e.status === 'uncollectible' ? closed : null,
        at,
        at,
      );
      return;
    }
    case 'invoiceVoid':
      s.prepare("UPDATE invoices SET status = 'void', voided_on = date(due_date, ?), paid_on = NULL WHERE id = ?").run(`${e.days} days`, invoice(e.pick));
      return;
    case 'invoicePayLate':
      s.prepare("UPDATE invoices SET status = 'paid', paid_on = date(due_date, ?), amount_paid = total, amount_due = 0 WHERE id = ?").run(`${e.days} days`, invoice(e.pick));
      return;
    case 'invoiceUncollectible':
      s.prepare("UPDATE invoices SET status = 'uncollectible', uncollectible_on = date(due_date, ?), paid_on = NULL WHERE id = ?").run(`${e.days} days`, invoice(e.pick));
      return;
    case 'invoiceReopen':
      s.prepare("UPDATE invoices SET status = 'open', paid_on = NULL, voided_on = NULL, uncollectible_on = NULL, amount_paid = 0, amount_due = total WHERE id = ?").run(invoice(e.pick));
      return;
    case 'invoiceRedate':
      s.prepare('UPDATE invoices SET issue_date = date(issue_date, ?), due_date = date(due_date, ?) WHERE id = ?').run(`${e.days} days`, `${e.days} days`, invoice(e.pick));
      return;
    case 'invoiceDraft':
      s.prepare("UPDATE invoices SET status = 'draft', paid_on = NULL, voided_on = NULL, uncollectible_on = NULL WHERE id = ?").run(invoice(e.pick));
      return;
    case 'invoiceMove':
      s.prepare('UPDATE invoices SET customer_id = ? WHERE id = ?').run(customer(e.customer), invoice(e.pick));
      return;
    case 'invoiceDelete': {
      const id = invoice(e.pick);
      s.prepare('UPDATE payments SET invoice_id = NULL WHERE invoice_id = ?').run(id);
      s.prepare('DELETE FROM invoices WHERE id = ?').run(id);
      return;
    }
    case 'note': {
      const time = `${String(e.day % 24).padStart(2, '0')}:${String(e.day % 60).padStart(2, '0')}:00.000Z`;
      s.prepare("INSERT INTO customer_events (id, customer_id, kind, title, occurred_at, created_at) VALUES (?, ?, ?, 'Logged', ?, ?)").run(newId(), customer(e.day), e.type, `${someDay(e.day)}T${time}`, at);
      return;
    }
    case 'noteEdit':
      s.prepare("UPDATE customer_events SET kind = ?, occurred_at = strftime('%Y-%m-%dT%H:%M:%fZ', occurred_at, ?) WHERE id = ?").run(e.type, `${e.days} days`, note(e.pick));
      return;
    case 'noteDelete':
      s.prepare('DELETE FROM customer_events WHERE id = ?').run(note(e.pick));
      return;
    case 'sale':
      s.prepare("INSERT INTO sales (id, number, customer_id, sold_on, currency, subtotal, total, created_at) VALUES (?, ?, ?, ?, 'USD', 1500, 1500, ?)").run(
        newId(),
        `PROP-${sale++}`,
        e.customer === null ? null : customer(e.customer),
        someDay(e.day),
        at,
      );
      return;
    case 'saleMove':
      s.prepare('UPDATE sales SET customer_id = ?, sold_on = date(sold_on, ?) WHERE id = ?').run(e.customer === null ? null : customer(e.customer), `${e.days} days`, saleId(e.pick));
      return;
    case 'saleDelete':
      s.prepare('DELETE FROM sales WHERE id = ?').run(saleId(e.pick));
      return;
    case 'customerDelete': {
      // A customer with nothing owed or paid can be deleted (its notes go with it; its sales are moved off first).
      const id = pickOf('SELECT id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.customer_id = c.id) AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id) AND NOT EXISTS (SELECT 1 FROM subscriptions x WHERE x.customer_id = c.id) ORDER BY id', e.pick);
      if (id === undefined) return;
      s.prepare('UPDATE sales SET customer_id = NULL WHERE customer_id = ?').run(id);
      s.prepare('DELETE FROM customers WHERE id = ?').run(id);
      return;
    }
    case 'currency':
      s.prepare(`UPDATE ${e.table} SET currency = ? WHERE id = ?`).run(e.currency, pickOf(`SELECT id FROM ${e.table} ORDER BY id`, e.pick) ?? '');
      return;
    case 'salePayment': {
      const id = saleId(e.pick);
      if (id !== undefined) {
        s.prepare("INSERT INTO sale_payments (id, sale_id, method, amount, currency, paid_on, created_at) VALUES (?, ?, 'cash', 1500, ?, ?, ?)").run(newId(), id, e.currency, someDay(e.day), at);
      }
      return;
    }
    case 'rolledBack':
      try {
        s.transaction(() => {
          s.prepare("INSERT INTO payments (id, customer_id, amount, currency, method, status, paid_on, attempt, created_at) VALUES (?, ?, 500, 'USD', 'card', 'failed', ?, 1, ?)").run(newId(), customer(e.customer), someDay(e.day), at);
          s.prepare("UPDATE invoices SET status = 'void', voided_on = issue_date WHERE customer_id = ?").run(customer(e.customer));
          throw new Error('rolled back');
        })();
      } catch {
        // the writes and the triggers' upkeep are undone together
      }
      return;
  }
}

beforeAll(async () => {
  ({ core, db } = await insightBook(120, 9));
}, 120_000);
afterAll(() => core.close());

// The ledgers' content: the two are built into typed arrays of different layouts (features.ts).
const fullLedger = (asOf: string) => ledgerOf(loadInsightBooks(db, asOf));
const full = (asOf: string) => ledgerContent(fullLedger(asOf));
const fastContent = (asOf: string) => ledgerContent(loadInsightLedger(db, asOf));
const currencyRows = (s: Database.Database) =>
  s.prepare(`SELECT source, currency, rows FROM (${['payments', 'sale_payments', 'invoices'].map((t) => `SELECT '${t}' AS source, currency, count(*) AS rows FROM ${t} GROUP BY currency`).join(' UNION ALL ')}) ORDER BY 1, 2`).all();

describe('insight_customer_days, kept by triggers, equals the books read row by row', () => {
  it('after any sequence of writes, at every as-of date', () => {
    fc.assert(
      fc.property(fc.array(editArb, { minLength: 1, maxLength: 25 }), (edits) => {
        const s = db.sqlite;
        // Each run on the same book: applied in a savepoint, compared, then undone (which the triggers' rows must follow too).
        s.exec('SAVEPOINT prop');
        try {
          for (const e of edits) edit(s, e);
          for (const asOf of AS_OF) {
            expect(fastContent(asOf)).toStrictEqual(full(asOf));
            expect(currencyChange(db, asOf)).toStrictEqual(scanCurrencyChange(db, asOf));
          }
          expect(s.prepare('SELECT source, currency, rows FROM insight_currency_rows WHERE rows <> 0 ORDER BY 1, 2').all()).toStrictEqual(currencyRows(s));
        } finally {
          s.exec('ROLLBACK TO prop; RELEASE prop');
        }
        expect(fastContent(CHURN_BOOK_AS_OF)).toStrictEqual(full(CHURN_BOOK_AS_OF));
      }),
      { numRuns: 40, seed: 20261207 },
    );
  }, 300_000);

  it('gives the same churn scores and lifetime values as the full read after many writes', () => {
    const s = db.sqlite;
    s.exec('SAVEPOINT scores');
    try {
      fc.sample(fc.array(editArb, { minLength: 300, maxLength: 300 }), { numRuns: 1, seed: 7 })[0]!.forEach((e) => edit(s, e));
      for (const asOf of [CHURN_BOOK_AS_OF, '2026-06-14']) {
        const fast = loadInsightLedger(db, asOf);
        const slow = fullLedger(asOf);
        expect(churnRisk(fast, { asOf })).toStrictEqual(churnRisk(slow, { asOf }));
        expect(lifetimeValues(fast, { asOf })).toStrictEqual(lifetimeValues(slow, { asOf }));
        expect(lifetimeValues(fast, { asOf }).customers.length).toBeGreaterThan(20);
      }
    } finally {
      s.exec('ROLLBACK TO scores; RELEASE scores');
    }
  }, 120_000);

  it('fills the table for a book written before the migration as the triggers keep it', () => {
    const s = db.sqlite;
    // A customer with no dates at all has a row of empty lists after the first fill and none from the triggers: the same to the reader.
    const rows = "SELECT * FROM insight_customer_days WHERE failed || paid || notes || sales || invoices <> '' ORDER BY customer_id";
    const kept = s.prepare(rows).all();
    expect(kept.length).toBeGreaterThan(100);
    s.exec('SAVEPOINT refill');
    try {
      s.exec('DELETE FROM insight_customer_days');
      // The migration's last statement, as it stands in the file: the first fill from the books already there.
      s.exec(fs.readFileSync(new URL('../../../resources/migrations/0022_insight_triggers.sql', import.meta.url), 'utf8').split('--> statement-breakpoint').at(-1)!);
      expect(s.prepare(rows).all()).toStrictEqual(kept);
    } finally {
      s.exec('ROLLBACK TO refill; RELEASE refill');
    }
  });
});
