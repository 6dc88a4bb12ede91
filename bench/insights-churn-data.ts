import type Database from 'better-sqlite3';
import { addDays, fromDayNumber, toDayNumber } from '@shared/domain/dates';
import { addMonths } from '@shared/domain/periods';
import { newId } from '../src-main/core/ids';
import { customers as names } from './data';
import { rng } from './support';

// A business whose churn has a known truth (issue 15): each month a paying customer
// cancels with a chance set by the factors below, and by nothing else. A model that
// finds them ranks who leaves well; a single rule catches only one of them.
//
//   logit = -5.6 + 1.2 monthly plan + 1.4 in the first 4 months + 1.1 per failed payment
//           in 60 days + 2.0 downgraded in 90 days + 1.2 paused in the year
//           + 1.0 discount ending within 60 days + 0.35 per support note in 90 days
//           - 0.8 bought at the counter in 90 days

export const CHURN_BOOK_AS_OF = '2026-11-30';
const FIRST_DAY = '2025-01-01';

const PLANS = [
  { code: 'basic', interval: 'month', price: 2900 },
  { code: 'pro', interval: 'month', price: 9900 },
  { code: 'quarterly', interval: 'quarter', price: 7900 },
  { code: 'yearly', interval: 'year', price: 29000 },
] as const;
const SEGMENTS = ['Retail', 'SMB', 'Enterprise', ''];

interface Seeder {
  plan: Database.Statement;
  coupon: Database.Statement;
  customer: Database.Statement;
  sub: Database.Statement;
  subEnd: Database.Statement;
  history: Database.Statement;
  invoice: Database.Statement;
  payment: Database.Statement;
  note: Database.Statement;
  sale: Database.Statement;
}

function statements(db: Database.Database): Seeder {
  return {
    plan: db.prepare('INSERT INTO plans (id, code, name, currency, unit_amount, interval, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    coupon: db.prepare(
      "INSERT INTO coupons (id, code, name, percent_off_ppm, currency, duration, duration_months, created_at, updated_at) VALUES (?, 'WELCOME20', 'Welcome', 200000, 'USD', 'repeating', 3, ?, ?)",
    ),
    customer: db.prepare('INSERT INTO customers (id, name, email, email_normalized, segment, payment_method, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    subEnd: db.prepare('UPDATE subscriptions SET plan_id = ?, status = ?, canceled_at = ? WHERE id = ?'),
    sub: db.prepare(
      `INSERT INTO subscriptions (id, customer_id, plan_id, status, quantity, start_date, anchor_date, next_period_index, coupon_id, coupon_applied_on, canceled_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    history: db.prepare(
      `INSERT INTO subscription_history (id, subscription_id, customer_id, seq, effective_date, event, status, plan_id, quantity, recurring_amount, coupon_id, coupon_applied_on, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
    ),
    invoice: db.prepare(
      `INSERT INTO invoices (id, number, customer_id, subscription_id, kind, period_key, status, issue_date, due_date, period_start, currency, subtotal, total, amount_paid, amount_due, attempt_count, paid_on, voided_on, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'subscription', ?, ?, ?, ?, ?, 'USD', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    payment: db.prepare(
      `INSERT INTO payments (id, invoice_id, customer_id, amount, currency, method, status, paid_on, attempt, failure_reason, created_at)
       VALUES (?, ?, ?, ?, 'USD', 'card', ?, ?, ?, ?, ?)`,
    ),
    note: db.prepare("INSERT INTO customer_events (id, customer_id, kind, title, occurred_at, created_at) VALUES (?, ?, 'note', 'Support ticket', ?, ?)"),
    sale: db.prepare(
      "INSERT INTO sales (id, number, customer_id, sold_on, currency, subtotal, total, created_at) VALUES (?, ?, ?, ?, 'USD', 1500, 1500, ?)",
    ),
  };
}

/** Counts of what was written, and how many customers left. */
export interface ChurnBookStats {
  customers: number;
  left: number;
  invoices: number;
  payments: number;
}

/**
 * `count` customers from 2025-01 to CHURN_BOOK_AS_OF, one subscription each, billed every
 * period (a payment on the issue date, or 1-2 declined attempts while the card is in
 * trouble), with downgrades, pauses, a welcome discount, support notes and counter sales;
 * each month's cancellation drawn from the known truth above. Raw prepared inserts in one
 * transaction, as the other benches seed: seeding is not what is measured.
 */
export function seedChurnBook(db: Database.Database, count: number, seed = 15): ChurnBookStats {
  const random = rng(seed);
  const s = statements(db);
  const at = '2025-01-01T00:00:00.000Z';
  const stats: ChurnBookStats = { customers: 0, left: 0, invoices: 0, payments: 0 };
  const end = toDayNumber(CHURN_BOOK_AS_OF);
  const first = toDayNumber(FIRST_DAY);
  db.transaction(() => {
    const plans = PLANS.map((p) => ({ ...p, id: newId() }));
    for (const p of plans) s.plan.run(p.id, p.code, p.code, 'USD', p.price, p.interval, at, at);
    const couponId = newId();
    s.coupon.run(couponId, at, at);
    let i = 0;
    let invoiceNo = 0;
    let saleNo = 0;
    for (const c of names(count, seed)) {
      const customerId = newId();
      const startDay = first + Math.floor(random() * (end - first - 20));
      const start = fromDayNumber(startDay);
      s.customer.run(customerId, c.name, c.email, c.email, SEGMENTS[i % SEGMENTS.length], 'card', `${start}T12:00:00.000Z`, at);
      stats.customers++;
      i++;
      const r = random();
      let plan = r < 0.45 ? plans[0]! : r < 0.7 ? plans[1]! : r < 0.85 ? plans[2]! : plans[3]!;
      const months = plan.interval === 'month' ? 1 : plan.interval === 'quarter' ? 3 : 12;
      const withCoupon = random() < 0.25;
      const subId = newId();
      let seq = 0;
      const history = (date: string, event: string, status: string) =>
        s.history.run(newId(), subId, customerId, ++seq, date, event, status, plan.id, plan.price, withCoupon ? couponId : null, withCoupon ? start : null, at);
      s.sub.run(subId, customerId, plan.id, 'active', start, start, 0, withCoupon ? couponId : null, withCoupon ? start : null, null, at, at);
      history(start, 'created', 'active');
      // The customer's state, month by month.
      const failedDays: number[] = [];
      const noteDays: number[] = [];
      const saleDays: number[] = [];
      let downgradedOn = -Infinity;
      let pausedOn = -Infinity;
      let troubleUntil = -Infinity;
      let canceledOn: string | null = null;
      let status = 'active';
      const supportRate = random() * 0.5;
      const buyer = random() < 0.3;
      for (let m = 0; ; m++) {
        const date = addMonths(start, m);
        const day = toDayNumber(date);
        if (day > end) break;
        if (m > 0) {
          // The month's cancellation, from the known truth (features as of the day).
          const recent = (list: number[], span: number) => list.filter((d) => d > day - span && d <= day).length;
          const couponEnds = withCoupon && toDayNumber(addMonths(start, 3)) - day > 0 && toDayNumber(addMonths(start, 3)) - day <= 60;
          const logit =
            -5.6 +
            (plan.interval === 'month' ? 1.2 : 0) +
            (m < 4 ? 1.4 : 0) +
            1.1 * recent(failedDays, 60) +
            (day - downgradedOn <= 90 ? 2 : 0) +
            (day - pausedOn <= 365 ? 1.2 : 0) +
            (couponEnds ? 1 : 0) +
            0.35 * recent(noteDays, 90) -
            (recent(saleDays, 90) > 0 ? 0.8 : 0);
          if (random() < 1 / (1 + Math.exp(-logit))) {
            canceledOn = date;
            history(date, 'canceled', 'canceled');
            stats.left++;
            break;
          }
          // Events that change next months' risk.
          if (status === 'paused') {
            status = 'active';
            history(date, 'resumed', 'active');
          } else if (random() < 0.012) {
            status = 'paused';
            pausedOn = day;
            history(date, 'paused', 'paused');
            continue;
          }
          if (plan === plans[1] && random() < 0.03) {
            plan = plans[0]!;
            downgradedOn = day;
            history(date, 'changed', 'active');
          }
        }
        if (random() < 0.04) troubleUntil = day + 30 + Math.floor(random() * 60);
        for (let k = 0; k < 3; k++) if (random() < supportRate * (day < troubleUntil ? 2 : 1)) noteDays.push(day + Math.floor(random() * 28));
        if (buyer && random() < 0.4) saleDays.push(day + Math.floor(random() * 28));
        if (m % months !== 0 || status === 'paused') continue;
        // The period's invoice: paid on the day, or declined while the card is in trouble.
        const invoiceId = newId();
        const trouble = day < troubleUntil;
        const fails = trouble ? 1 + Math.floor(random() * 2) : 0;
        const paidDay = trouble ? Math.min(troubleUntil, end + 1) : day;
        const paidOn = paidDay <= end ? fromDayNumber(paidDay) : null;
        s.invoice.run(invoiceId, `INV-${String(++invoiceNo).padStart(7, '0')}`, customerId, subId, date, paidOn ? 'paid' : 'open', date, date, date,
          plan.price, plan.price, paidOn ? plan.price : 0, paidOn ? 0 : plan.price, fails + (paidOn ? 1 : 0), paidOn, null, at, at);
        stats.invoices++;
        for (let f = 0; f < fails; f++) {
          const failDay = day + 3 * f;
          if (failDay > end) break;
          failedDays.push(failDay);
          s.payment.run(newId(), invoiceId, customerId, plan.price, 'failed', fromDayNumber(failDay), f + 1, 'card_declined', at);
          stats.payments++;
        }
        if (paidOn) {
          s.payment.run(newId(), invoiceId, customerId, plan.price, 'succeeded', paidOn, fails + 1, null, at);
          stats.payments++;
        }
      }
      for (const d of noteDays) if (d <= end) s.note.run(newId(), customerId, `${fromDayNumber(d)}T10:00:00.000Z`, at);
      for (const d of saleDays) if (d <= end) s.sale.run(newId(), `R-${String(++saleNo).padStart(7, '0')}`, customerId, fromDayNumber(d), at);
      s.subEnd.run(plan.id, canceledOn ? 'canceled' : status, canceledOn, subId);
    }
  })();
  return stats;
}

/**
 * A steady book for LTV: `paying` customers at $30.00 a month in one segment, and each
 * month from 2025-01 exactly `leaving` of them cancel on the 15th and as many new ones
 * start, so ARPA is $30.00 and the monthly churn exactly leaving / paying.
 */
export function seedSteadyBook(db: Database.Database, paying: number, leaving: number): void {
  const at = '2025-01-01T00:00:00.000Z';
  const planId = newId();
  const insertCustomer = db.prepare("INSERT INTO customers (id, name, email, email_normalized, segment, created_at, updated_at) VALUES (?, ?, ?, ?, 'Retail', ?, ?)");
  const insertSub = db.prepare(
    "INSERT INTO subscriptions (id, customer_id, plan_id, status, quantity, start_date, anchor_date, canceled_at, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
  );
  const insertHistory = db.prepare(
    'INSERT INTO subscription_history (id, subscription_id, customer_id, seq, effective_date, event, status, plan_id, quantity, recurring_amount, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 3000, ?)',
  );
  let n = 0;
  const start = (date: string, cancelOn: string | null) => {
    const id = newId();
    const subId = newId();
    n++;
    insertCustomer.run(id, `Steady ${n}`, `steady${n}@example.com`, `steady${n}@example.com`, at, at);
    insertSub.run(subId, id, planId, cancelOn ? 'canceled' : 'active', date, date, cancelOn, at, at);
    insertHistory.run(newId(), subId, id, 1, date, 'created', 'active', planId, at);
    if (cancelOn) insertHistory.run(newId(), subId, id, 2, cancelOn, 'canceled', 'canceled', planId, at);
  };
  db.transaction(() => {
    db.prepare("INSERT INTO plans (id, code, name, currency, unit_amount, interval, created_at, updated_at) VALUES (?, 'steady', 'Steady', 'USD', 3000, 'month', ?, ?)").run(planId, at, at);
    // Month k (0 = 2025-01): `leaving` of the customers paying at its start leave on the 15th, and as many join then.
    const months = 24;
    for (let k = 0; k < months; k++) {
      const leaveOn = addDays(addMonths('2025-01-01', k), 14);
      for (let j = 0; j < leaving; j++) start(k === 0 ? '2024-12-01' : addDays(addMonths('2025-01-01', k - 1), 14), leaveOn);
    }
    for (let j = 0; j < paying - leaving; j++) start('2024-12-01', null);
    for (let j = 0; j < leaving; j++) start(addDays(addMonths('2025-01-01', months - 1), 14), null);
  })();
}
