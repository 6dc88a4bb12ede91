import type Database from 'better-sqlite3';
import { addDays, daysInMonth, toDayNumber } from '@shared/domain/dates';
import type { AnomalyMetric } from '@shared/insights/anomalies';
import { newId } from '../src-main/core/ids';
import { customers } from './data';
import { rng } from './support';

// A gym with a shop, three years of books with a known truth (issue 15):
// - subscriptions (two monthly plans) with more sign-ups in January and fewer
//   in summer, 3 % monthly churn, each paid on its anniversary day (4 % of
//   cards fail once and pay 3 days later);
// - counter sales every day: a weekday pattern (Saturday busy, Sunday quiet),
//   a yearly season (January and December high, October low), slow growth;
// - a bundle pattern: a customer who bought a Yoga mat adds a Mat strap to a
//   later sale half the time (the next best product), and a Foam roller comes
//   with a Massage ball 60 % of the time (bought together);
// - injected anomalies on known dates (ANOMALY_TRUTH): two busy days (4x the
//   sales), two outages (the counter closed, every card payment of the day
//   failed and went through the next day), a day of 12 refunds.
// Raw prepared inserts in a few transactions; seeding is not what is measured.

export const SEED_FIRST_DAY = '2023-11-01';
export const SEED_LAST_DAY = '2026-10-31';
/** Forecast as of this day: 36 complete months before it. */
export const SEED_AS_OF = '2026-11-01';
/** Anomalies are looked for over these days (the spec's "days outside the band" over four months). */
export const ANOMALY_FROM = '2026-07-01';
export const ANOMALY_TO = SEED_LAST_DAY;

const SPIKES = ['2026-08-14', '2026-09-22'];
const OUTAGES = ['2026-08-05', '2026-10-08'];
const REFUND_BURST = '2026-09-09';

/** Every (date, metric) the injections make unusual; anything else flagged is a false alarm. */
export const ANOMALY_TRUTH: readonly { date: string; metric: AnomalyMetric }[] = [
  ...SPIKES.flatMap((date) => [
    { date, metric: 'sales' as const },
    { date, metric: 'revenue' as const },
  ]),
  ...OUTAGES.flatMap((date) => [
    { date, metric: 'sales' as const },
    { date, metric: 'revenue' as const },
    { date, metric: 'failedPayments' as const },
    // The failed payments went through the next day: twice the usual card revenue.
    { date: addDays(date, 1), metric: 'revenue' as const },
  ]),
  { date: REFUND_BURST, metric: 'refunds' },
];

const PRODUCTS = [
  { sku: 'MAT', name: 'Yoga mat', price: 3500, weight: 6, stock: 40 },
  { sku: 'STRAP', name: 'Mat strap', price: 900, weight: 2, stock: 25 },
  { sku: 'BLOCK', name: 'Yoga block', price: 1200, weight: 4, stock: null },
  { sku: 'TOWEL', name: 'Gym towel', price: 1500, weight: 5, stock: null },
  { sku: 'BOTTLE', name: 'Water bottle', price: 1800, weight: 7, stock: 300 },
  { sku: 'TEA', name: 'Green tea', price: 350, weight: 14, stock: 60 },
  { sku: 'BAR', name: 'Protein bar', price: 250, weight: 16, stock: null },
  { sku: 'SHIRT', name: 'Training shirt', price: 2500, weight: 3, stock: null },
  { sku: 'CAP', name: 'Cap', price: 1800, weight: 2, stock: null },
  { sku: 'SOCKS', name: 'Grip socks', price: 900, weight: 4, stock: null },
  { sku: 'BAG', name: 'Gym bag', price: 4000, weight: 2, stock: null },
  { sku: 'ROLLER', name: 'Foam roller', price: 2800, weight: 3, stock: null },
  { sku: 'BALL', name: 'Massage ball', price: 1100, weight: 1, stock: null },
  { sku: 'BAND', name: 'Resistance band', price: 1100, weight: 3, stock: null },
] as const;

/** Sales per day by weekday (Monday first), and by month of the year (January first). */
const WEEKDAY = [0.9, 0.9, 1, 1, 1.2, 1.6, 0.5];
const SEASON = [1.4, 1.1, 1, 1, 1.1, 1.2, 1.3, 1.2, 0.9, 0.8, 0.9, 1.5];
const SALES_PER_DAY = 28;
const SIGNUP_SEASON = [1.6, 1.3, 1.1, 1, 0.9, 0.7, 0.7, 0.8, 1.2, 1, 0.9, 0.8];

export interface SeededBook {
  customers: number;
  subscriptions: number;
  sales: number;
  lines: number;
}

export function seedInsightsSales(db: Database.Database): SeededBook {
  const random = rng(15);
  const at = '2023-11-01T00:00:00.000Z';
  const poisson = (mean: number) => {
    // Knuth for small means, normal approximation above 40.
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = random();
    while (p > limit) {
      k++;
      p *= random();
    }
    return k;
  };
  const insert = {
    plan: db.prepare('INSERT INTO plans (id, code, name, currency, unit_amount, interval, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    customer: db.prepare('INSERT INTO customers (id, name, email, email_normalized, phone, company, payment_method, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    sub: db.prepare(
      `INSERT INTO subscriptions (id, customer_id, plan_id, status, quantity, start_date, anchor_date, next_period_index, canceled_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 1, ?, ?, 0, ?, ?, ?)`,
    ),
    history: db.prepare(
      `INSERT INTO subscription_history (id, subscription_id, customer_id, seq, effective_date, event, status, plan_id, quantity, recurring_amount, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    ),
    payment: db.prepare(
      `INSERT INTO payments (id, invoice_id, customer_id, amount, currency, method, status, paid_on, attempt, failure_reason, created_at)
       VALUES (?, NULL, ?, ?, 'USD', 'card', ?, ?, ?, ?, ?)`,
    ),
    product: db.prepare('INSERT INTO products (id, sku, name, price, currency, stock, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    movement: db.prepare("INSERT INTO stock_movements (id, product_id, kind, quantity, occurred_on, created_at) VALUES (?, ?, 'received', ?, ?, ?)"),
    sale: db.prepare(
      `INSERT INTO sales (id, number, customer_id, sold_on, currency, subtotal, tax, total, created_at, discount, method, change_given, refunded, status, note)
       VALUES (?, ?, ?, ?, 'USD', ?, 0, ?, ?, 0, 'card', 0, ?, ?, '')`,
    ),
    line: db.prepare(
      'INSERT INTO sale_lines (id, sale_id, product_id, description, quantity, unit_price, amount, sku, discount, tax, refunded_quantity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?)',
    ),
    salePayment: db.prepare("INSERT INTO sale_payments (id, sale_id, method, amount, currency, paid_on, created_at) VALUES (?, ?, 'card', ?, 'USD', ?, ?)"),
    saleRefund: db.prepare("INSERT INTO sale_refunds (id, sale_id, refunded_on, amount, tax, currency, method, reason, created_at) VALUES (?, ?, ?, ?, 0, 'USD', 'card', ?, ?)"),
    refundLine: db.prepare('INSERT INTO sale_refund_lines (id, refund_id, sale_line_id, product_id, quantity, amount, tax) VALUES (?, ?, ?, ?, ?, ?, 0)'),
  };
  const people = customers(15000, 15);
  const customer = () => {
    const c = people.next().value!;
    const id = newId();
    insert.customer.run(id, c.name, c.email, c.email, c.phone, c.company, 'card', at, at);
    return id;
  };

  // Subscriptions and their payments.
  const plans = [
    { id: newId(), code: 'basic', price: 2900 },
    { id: newId(), code: 'plus', price: 4900 },
  ];
  interface Sub {
    id: string;
    customerId: string;
    plan: (typeof plans)[number];
    start: string;
    end: string | null;
  }
  const subs: Sub[] = [];
  const book: SeededBook = { customers: 0, subscriptions: 0, sales: 0, lines: 0 };
  const outages = new Set(OUTAGES);
  db.transaction(() => {
    for (const p of plans) insert.plan.run(p.id, p.code, p.code, 'USD', p.price, 'month', at, at);
    for (let m = 0; m < 36; m++) {
      const [y, mo] = monthOf(m);
      const signups = poisson((14 + 0.4 * m) * SIGNUP_SEASON[mo - 1]!);
      for (let k = 0; k < signups; k++) {
        const start = `${y}-${String(mo).padStart(2, '0')}-${String(1 + Math.floor(random() * daysInMonth(y, mo))).padStart(2, '0')}`;
        subs.push({ id: newId(), customerId: customer(), plan: plans[random() < 0.7 ? 0 : 1]!, start, end: null });
      }
      // 3 % of the running subscriptions leave this month, on a day of it.
      for (const s of subs) {
        if (s.end || s.start >= `${y}-${String(mo).padStart(2, '0')}-01`) continue;
        if (random() < 0.03) s.end = `${y}-${String(mo).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
      }
    }
    for (const s of subs) {
      insert.sub.run(s.id, s.customerId, s.plan.id, s.end ? 'canceled' : 'active', s.start, s.start, s.end, at, at);
      insert.history.run(newId(), s.id, s.customerId, 1, s.start, 'created', 'active', s.plan.id, s.plan.price, at);
      if (s.end) insert.history.run(newId(), s.id, s.customerId, 2, s.end, 'canceled', 'canceled', s.plan.id, s.plan.price, at);
    }
  })();
  // Payments by day, in date order (as billing writes them).
  const payments: { sub: Sub; date: string }[] = [];
  for (const s of subs) {
    // Anniversaries on the 29th-31st fall on a shorter month's last day, as billing does.
    for (let k = 0; ; k++) {
      const date = addMonthsClamped(s.start, k);
      if (date > SEED_LAST_DAY || (s.end && date >= s.end)) break;
      payments.push({ sub: s, date });
    }
  }
  payments.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  db.transaction(() => {
    for (const { sub, date } of payments) {
      const outage = outages.has(date);
      const declined = outage || random() < 0.04;
      if (declined) {
        insert.payment.run(newId(), sub.customerId, sub.plan.price, 'failed', date, 1, outage ? 'processor_unavailable' : 'card_declined', at);
        const retry = outage ? addDays(date, 1) : addDays(date, 3);
        if (retry <= SEED_LAST_DAY) insert.payment.run(newId(), sub.customerId, sub.plan.price, 'succeeded', retry, 2, null, at);
      } else insert.payment.run(newId(), sub.customerId, sub.plan.price, 'succeeded', date, 1, null, at);
    }
  })();
  book.subscriptions = subs.length;

  // The counter.
  const products = PRODUCTS.map((p) => ({ ...p, id: newId() }));
  const bySku = new Map<string, (typeof products)[number]>(products.map((p) => [p.sku, p]));
  const totalWeight = products.reduce((s, p) => s + p.weight, 0);
  const draw = () => {
    let r = random() * totalWeight;
    for (const p of products) if ((r -= p.weight) < 0) return p;
    return products.at(-1)!;
  };
  const shoppers: string[] = [];
  const owns = new Map<string, Set<string>>();
  let number = 0;
  db.transaction(() => {
    for (const p of products) {
      insert.product.run(p.id, p.sku, p.name, p.price, 'USD', p.stock, at, at);
      if (p.stock !== null) insert.movement.run(newId(), p.id, p.stock, SEED_FIRST_DAY, at);
    }
    const burst: { saleId: string; on: string; lines: { id: string; productId: string; quantity: number; amount: number }[]; total: number }[] = [];
    for (let date = SEED_FIRST_DAY; date <= SEED_LAST_DAY; date = addDays(date, 1)) {
      const day = toDayNumber(date);
      const m = monthIndex(date);
      let mean = SALES_PER_DAY * WEEKDAY[(day + 3) % 7]! * SEASON[Number(date.slice(5, 7)) - 1]! * (1 + 0.012 * m);
      if (SPIKES.includes(date)) mean *= 4;
      if (outages.has(date)) mean *= 0.05;
      const count = poisson(mean);
      for (let k = 0; k < count; k++) {
        // 70 % of sales name a customer: a new one (30 %) or one who came before (3 visits each on average).
        let customerId: string | null = null;
        if (random() < 0.7) {
          if (shoppers.length < 40 || random() < 0.3) shoppers.push((customerId = customer()));
          else customerId = shoppers[Math.floor(random() * shoppers.length)]!;
        }
        const items = new Map<string, number>();
        const add = (sku: string, q = 1) => items.set(sku, (items.get(sku) ?? 0) + q);
        const lines = 1 + (random() < 0.4 ? 1 : 0) + (random() < 0.15 ? 1 : 0);
        for (let l = 0; l < lines; l++) add(draw().sku, random() < 0.2 ? 2 : 1);
        const had = customerId ? (owns.get(customerId) ?? new Set<string>()) : new Set<string>();
        if (had.has('MAT') && !had.has('STRAP') && !items.has('STRAP') && random() < 0.5) add('STRAP');
        if (items.has('ROLLER') && !items.has('BALL') && random() < 0.6) add('BALL');
        const saleId = newId();
        const rows = [...items].map(([sku, quantity]) => {
          const p = bySku.get(sku)!;
          return { id: newId(), productId: p.id, sku, name: p.name, quantity, price: p.price, amount: quantity * p.price };
        });
        const total = rows.reduce((s, r) => s + r.amount, 0);
        // A refund a few days later (the burst's: on the day), only within the books.
        const refundOn = date === REFUND_BURST ? (k < 12 ? date : null) : random() < 0.008 ? addDays(date, 1 + Math.floor(random() * 5)) : null;
        const refund = refundOn !== null && refundOn <= SEED_LAST_DAY;
        insert.sale.run(saleId, `R-${String(++number).padStart(6, '0')}`, customerId, date, total, total, at, refund ? total : 0, refund ? 'refunded' : 'paid');
        for (const r of rows) insert.line.run(r.id, saleId, r.productId, r.name, r.quantity, r.price, r.amount, r.sku, refund ? r.quantity : 0);
        insert.salePayment.run(newId(), saleId, total, date, at);
        book.lines += rows.length;
        if (refund) burst.push({ saleId, total, on: refundOn, lines: rows.map((r) => ({ id: r.id, productId: r.productId, quantity: r.quantity, amount: r.amount })) });
        if (customerId) {
          if (!owns.has(customerId)) owns.set(customerId, new Set());
          for (const sku of items.keys()) owns.get(customerId)!.add(sku);
        }
      }
      book.sales += count;
      // The refunds of the day's sales (dated when they happen).
      for (const r of burst.splice(0)) {
        const refundId = newId();
        insert.saleRefund.run(refundId, r.saleId, r.on, r.total, date === REFUND_BURST ? 'Faulty batch' : 'Changed mind', at);
        for (const l of r.lines) insert.refundLine.run(newId(), refundId, l.id, l.productId, l.quantity, l.amount);
      }
    }
  })();
  book.customers = subs.length + shoppers.length;
  return book;
}

function monthOf(m: number): [number, number] {
  const index = 2023 * 12 + 10 + m; // 2023-11 is month 0
  return [Math.floor(index / 12), (index % 12) + 1];
}

function monthIndex(date: string): number {
  return (Number(date.slice(0, 4)) - 2023) * 12 + Number(date.slice(5, 7)) - 11;
}

/** The anniversary `k` months after `start` (day clamped to the month's length). */
function addMonthsClamped(start: string, k: number): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + k;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, daysInMonth(year, month))).padStart(2, '0')}`;
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
