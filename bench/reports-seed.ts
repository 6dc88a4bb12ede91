import type Database from 'better-sqlite3';
import { addDays } from '@shared/domain/dates';
import { addMonths } from '@shared/domain/periods';
import { newId } from '../src-main/core/ids';
import { customers } from './data';
import { rng } from './support';

/** The dashboard is asked about this day; every seeded invoice was issued by then. */
export const REPORTS_AS_OF = '2026-10-31';

const PLANS = [
  { code: 'monthly', interval: 'month', price: 2900 },
  { code: 'pro', interval: 'month', price: 9900 },
  { code: 'yearly', interval: 'year', price: 29000 },
  { code: 'weekly', interval: 'week', price: 900 },
  { code: 'quarterly', interval: 'quarter', price: 7900 },
] as const;

/**
 * A business with a past: `subscriptions` customers, each with one
 * subscription started in 2025 and its history (15% change plan after five
 * months, 10% cancel after ten, 5% start with a trial), and `invoices`
 * monthly invoices spread over them, nearly all paid by a payment row on the
 * issue date (a few refunded), the last invoices of manual payers left open.
 * Raw prepared inserts in one transaction: seeding is not what is measured.
 */
export function seedReports(db: Database.Database, subscriptions: number, invoices: number): void {
  const random = rng(5);
  const at = '2025-01-01T00:00:00.000Z';
  const perSub = Math.ceil(invoices / subscriptions);
  const plans = PLANS.map((p) => ({ ...p, id: newId() }));
  const insert = {
    plan: db.prepare('INSERT INTO plans (id, code, name, currency, unit_amount, interval, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    customer: db.prepare(
      'INSERT INTO customers (id, name, email, email_normalized, phone, company, payment_method, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    sub: db.prepare(
      `INSERT INTO subscriptions (id, customer_id, plan_id, status, quantity, start_date, anchor_date, next_period_index, canceled_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
    ),
    history: db.prepare(
      `INSERT INTO subscription_history (id, subscription_id, customer_id, seq, effective_date, event, status, plan_id, quantity, recurring_amount, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    ),
    invoice: db.prepare(
      `INSERT INTO invoices (id, number, customer_id, subscription_id, kind, period_key, status, issue_date, due_date, period_start, period_end, currency,
                             subtotal, total, amount_paid, amount_due, attempt_count, paid_on, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'subscription', ?, ?, ?, ?, ?, ?, 'USD', ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    payment: db.prepare(
      `INSERT INTO payments (id, invoice_id, customer_id, amount, currency, method, status, paid_on, attempt, failure_reason, amount_refunded, created_at)
       VALUES (?, ?, ?, ?, 'USD', 'card', ?, ?, 1, ?, ?, ?)`,
    ),
    refund: db.prepare('INSERT INTO refunds (id, payment_id, amount, currency, refunded_on, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
  };
  // Subscriptions first; their invoices afterwards in issue-date order, as daily billing runs write them
  // (so a month's invoices and payments sit together in the file, as they do in a real business).
  const subs: { id: string; customerId: string; start: string; manual: boolean; first: (typeof plans)[number]; second: (typeof plans)[number]; changes: boolean }[] = [];
  db.transaction(() => {
    for (const p of plans) insert.plan.run(p.id, p.code, p.code, 'USD', p.price, p.interval, at, at);
    let i = 0;
    for (const c of customers(subscriptions, 13)) {
      const customerId = newId();
      const manual = i % 20 === 0;
      insert.customer.run(customerId, c.name, c.email, c.email, c.phone, c.company, manual ? 'manual' : 'card', `${addDays('2025-01-01', i % 365)}T12:00:00.000Z`, at);
      const first = plans[Math.floor(random() * plans.length)]!;
      const start = addDays('2025-01-01', Math.floor(random() * 365));
      const changes = random() < 0.15;
      const cancels = random() < 0.1;
      const trial = random() < 0.05;
      const second = changes ? plans[(plans.indexOf(first) + 1) % plans.length]! : first;
      const subId = newId();
      const canceledOn = cancels ? addMonths(start, perSub) : null;
      insert.sub.run(subId, customerId, second.id, cancels ? 'canceled' : 'active', start, start, perSub, canceledOn, at, at);
      let seq = 0;
      const history = (date: string, event: string, status: string, plan: (typeof plans)[number]) =>
        insert.history.run(newId(), subId, customerId, ++seq, date, event, status, plan.id, plan.price, at);
      if (trial) history(addDays(start, -14), 'created', 'trialing', first);
      history(start, trial ? 'trial_ended' : 'created', 'active', first);
      if (changes) history(addMonths(start, 5), 'changed', 'active', second);
      if (canceledOn) history(canceledOn, 'canceled', 'canceled', second);
      subs.push({ id: subId, customerId, start, manual, first, second, changes });
      i++;
    }
  })();

  const issues = invoiceSchedule(subs.map((s) => s.start), perSub, invoices);
  let issued = 0;
  db.transaction(() => {
    for (const { sub: index, k, issue } of issues) {
      const sub = subs[index]!;
      const plan = sub.changes && k >= 5 ? sub.second : sub.first;
      const invoiceId = newId();
      const number = `INV-${String(++issued).padStart(7, '0')}`;
      const open = sub.manual && k === perSub - 1;
      const paidOn = open ? null : random() < 0.05 ? addDays(issue, 3) : issue;
      insert.invoice.run(invoiceId, number, sub.customerId, sub.id, issue, open ? 'open' : 'paid', issue, sub.manual ? addDays(issue, 14) : issue, issue,
        addMonths(sub.start, k + 1), plan.price, plan.price, open ? 0 : plan.price, open ? plan.price : 0, sub.manual ? 0 : 1, paidOn, at, at);
      if (!paidOn) continue;
      const paymentId = newId();
      const refunded = random() < 0.005 ? Math.floor(plan.price / 2) : 0;
      insert.payment.run(paymentId, invoiceId, sub.customerId, plan.price, 'succeeded', paidOn, null, refunded, at);
      if (refunded) insert.refund.run(newId(), paymentId, refunded, 'USD', addDays(paidOn, 10), 'Goodwill', at);
    }
  })();
}

/** Every subscription's first `perSub` monthly issue dates (at most `limit` in all), sorted by date. */
function invoiceSchedule(starts: string[], perSub: number, limit: number): { sub: number; k: number; issue: string }[] {
  const all: { sub: number; k: number; issue: string }[] = [];
  for (let sub = 0; sub < starts.length && all.length < limit; sub++) {
    for (let k = 0; k < perSub && all.length < limit; k++) all.push({ sub, k, issue: addMonths(starts[sub]!, k) });
  }
  all.sort((a, b) => (a.issue < b.issue ? -1 : a.issue > b.issue ? 1 : a.sub - b.sub));
  return all;
}
