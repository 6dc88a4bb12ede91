import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { addDays } from '@shared/domain/dates';
import { churnRisk } from '@shared/insights/churn';
import { ledgerContent, ledgerOf } from '@shared/insights/features';
import { lifetimeValues } from '@shared/insights/ltv';
import { CHURN_BOOK_AS_OF, seedChurnBook } from '../../../bench/insights-churn-data';
import { rng } from '../../../bench/support';
import { loadInsightBooks } from '../../../src-main/core/insights/books';
import { loadInsightLedger } from '../../../src-main/core/insights/fast-books';
import { newId } from '../../../src-main/core/ids';
import type { BusinessDb } from '../../../src-main/core/db/open';
import type { Core } from '../../../src-main/core/core';
import { makeCore, signUp } from '../../support/core';

// The fast path (the long lists grouped per customer in SQL) against the full row-by-row
// read it replaces: the same ledger, so the same churn and LTV answers, on random books
// with back-dated and future-dated rows, as of today and of dates in the past.

let core: Core;
let db: BusinessDb;

/** Random extra rows on random customers, dated anywhere from before the book's start to after its end. */
function scatter(s: Database.Database, seed: number, count: number) {
  const random = rng(seed);
  const customers = s.prepare('SELECT id FROM customers').pluck().all() as string[];
  const invoiceOf = s.prepare('SELECT id FROM invoices WHERE customer_id = ? LIMIT 1').pluck();
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const someDay = () => addDays('2024-10-01', Math.floor(random() * 900)); // 2024-10-01 .. 2027-03
  const at = '2026-12-01T00:00:00.000Z';
  let sale = 0;
  s.transaction(() => {
    for (let i = 0; i < count; i++) {
      const customer = pick(customers);
      const what = random();
      if (what < 0.35) {
        const kind = pick(['note', 'call', 'email', 'system'] as const);
        const time = `${String(Math.floor(random() * 24)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}:00.000Z`;
        s.prepare("INSERT INTO customer_events (id, customer_id, kind, title, occurred_at, created_at) VALUES (?, ?, ?, 'Back-dated', ?, ?)").run(newId(), customer, kind, `${someDay()}T${time}`, at);
      } else if (what < 0.75) {
        const invoice = invoiceOf.get(customer) as string | undefined;
        s.prepare("INSERT INTO payments (id, invoice_id, customer_id, amount, currency, method, status, paid_on, attempt, created_at) VALUES (?, ?, ?, 500, 'USD', 'card', ?, ?, 1, ?)").run(
          newId(),
          invoice ?? null,
          customer,
          random() < 0.5 ? 'failed' : 'succeeded',
          someDay(),
          at,
        );
      } else {
        s.prepare("INSERT INTO sales (id, number, customer_id, sold_on, currency, subtotal, total, created_at) VALUES (?, ?, ?, ?, 'USD', 1500, 1500, ?)").run(
          newId(),
          `FAST-${seed}-${sale++}`,
          random() < 0.1 ? null : customer,
          someDay(),
          at,
        );
      }
    }
  })();
}

beforeAll(async () => {
  ({ core } = makeCore());
  const { businessId } = await signUp(core, { timezone: 'UTC' });
  db = core.businesses.get(businessId);
  seedChurnBook(db.sqlite, 500, 7);
  scatter(db.sqlite, 11, 3000);
}, 120_000);
afterAll(() => core.close());

const AS_OF = [CHURN_BOOK_AS_OF, '2026-12-31', '2026-06-14', '2025-09-30', '2025-01-15', '2024-12-31', '2024-01-01'];

describe('the fast insight ledger equals the full one', () => {
  // The ledgers' content: the two are built into typed arrays of different layouts (features.ts).
  it.each(AS_OF)('as of %s: the same timelines, day for day', (asOf) => {
    expect(ledgerContent(loadInsightLedger(db, asOf))).toStrictEqual(ledgerContent(ledgerOf(loadInsightBooks(db, asOf))));
  });

  it.each([CHURN_BOOK_AS_OF, '2026-06-14'])('as of %s: the same churn scores and lifetime values', (asOf) => {
    const fast = loadInsightLedger(db, asOf);
    const full = ledgerOf(loadInsightBooks(db, asOf));
    const churn = churnRisk(fast, { asOf });
    expect(churn).toStrictEqual(churnRisk(full, { asOf }));
    expect(lifetimeValues(fast, { asOf })).toStrictEqual(lifetimeValues(full, { asOf }));
    if (asOf === CHURN_BOOK_AS_OF) {
      // Not a comparison of two empty answers: the model is trained and scores customers.
      expect(churn.ready).toBe(true);
      expect(churn.customers.length).toBeGreaterThan(100);
    }
  });

  it('still equals it after back-dated rows land on a book already read', () => {
    const before = ledgerContent(loadInsightLedger(db, CHURN_BOOK_AS_OF));
    scatter(db.sqlite, 12, 400);
    const after = ledgerContent(loadInsightLedger(db, CHURN_BOOK_AS_OF));
    expect(after).not.toStrictEqual(before);
    expect(after).toStrictEqual(ledgerContent(ledgerOf(loadInsightBooks(db, CHURN_BOOK_AS_OF))));
  });
});
