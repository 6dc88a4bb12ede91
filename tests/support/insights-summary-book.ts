import type Database from 'better-sqlite3';
import { addDays } from '@shared/domain/dates';
import { CHURN_BOOK_AS_OF, seedChurnBook } from '../../bench/insights-churn-data';
import { newId } from '../../src-main/core/ids';

// A book on which every part of the summary card has something to say: the churn book of
// bench/insights-churn-data.ts (subscriptions with a known churn truth) and a counter that
// sells green tea every day, a yoga mat every Monday (3 left: it runs out within weeks),
// a strap after a mat, and one day (SPIKE_DAY) with 12 tea sales instead of 1.

export const SUMMARY_AS_OF = CHURN_BOOK_AS_OF;
export const SPIKE_DAY = '2026-11-12';

export function seedSummaryBook(db: Database.Database, customers = 400): { matBuyers: string[] } {
  seedChurnBook(db, customers);
  const at = '2026-01-01T00:00:00.000Z';
  let number = 0;
  const product = (sku: string, name: string, price: number, stock: number | null) => {
    const id = newId();
    db.prepare("INSERT INTO products (id, sku, name, price, currency, stock, created_at, updated_at) VALUES (?, ?, ?, ?, 'USD', ?, ?, ?)").run(id, sku, name, price, stock, at, at);
    return { id, sku, name, price };
  };
  const saleStmt = db.prepare("INSERT INTO sales (id, number, customer_id, sold_on, currency, subtotal, tax, total, created_at) VALUES (?, ?, ?, ?, 'USD', ?, 0, ?, ?)");
  const lineStmt = db.prepare('INSERT INTO sale_lines (id, sale_id, product_id, description, quantity, unit_price, amount, sku) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const payStmt = db.prepare("INSERT INTO sale_payments (id, sale_id, method, amount, currency, paid_on, created_at) VALUES (?, ?, 'cash', ?, 'USD', ?, ?)");
  const tea = product('TEA', 'Green tea', 350, null);
  const mat = product('MAT', 'Yoga mat', 3500, 3);
  const strap = product('STRAP', 'Mat strap', 900, null);
  type P = typeof tea;
  const sell = (customerId: string | null, date: string, items: { p: P; q: number }[]) => {
    const id = newId();
    const total = items.reduce((s, i) => s + i.p.price * i.q, 0);
    saleStmt.run(id, `S-${String(++number).padStart(6, '0')}`, customerId, date, total, total, at);
    for (const i of items) lineStmt.run(newId(), id, i.p.id, i.p.name, i.q, i.p.price, i.p.price * i.q, i.p.sku);
    payStmt.run(newId(), id, total, date, at);
  };
  db.transaction(() => {
    // 2026-05-04 is a Monday; 211 days reach the as-of date.
    for (let d = 0; d < 211; d++) {
      const date = addDays('2026-05-04', d);
      for (let k = date === SPIKE_DAY ? 12 : 1; k > 0; k--) sell(null, date, [{ p: tea, q: 3 }]);
      if (d % 7 === 0) sell(null, date, [{ p: mat, q: 1 }]);
    }
  })();
  // Paying customers of the churn book: 12 buy a mat, 10 of them a strap a month later.
  const paying = db.prepare("SELECT DISTINCT customer_id FROM subscriptions WHERE status = 'active' ORDER BY customer_id LIMIT 14").pluck().all() as string[];
  db.transaction(() => {
    paying.slice(0, 12).forEach((c, i) => {
      sell(c, addDays('2026-06-01', i), [{ p: mat, q: 1 }]);
      sell(c, addDays('2026-07-01', i), [i < 10 ? { p: strap, q: 1 } : { p: tea, q: 1 }]);
    });
    // Two more who bought a mat and nothing after: the strap is their next best.
    for (const c of paying.slice(12)) sell(c, '2026-08-03', [{ p: mat, q: 1 }]);
  })();
  return { matBuyers: paying.slice(12) };
}
