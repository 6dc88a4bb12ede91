import path from 'node:path';
import { openBusinessFile } from '../../support/core';
import { describe, expect, it } from 'vitest';
import { addDays } from '@shared/domain/dates';
import { newId } from '../../../src-main/core/ids';
import { withBusiness } from '../cli/run-cli';

// The sales insights through the real core and CLI, on a business file written row by row: a subscription
// since January 2026 (29.00 a month) and a counter selling a mat and tea, with a strap as a mat's follow-up.

function seed(dataDir: string, businessId: string): { customer: string } {
  const db = openBusinessFile(path.join(dataDir, 'businesses', `${businessId}.sqlite`));
  const at = '2026-01-01T00:00:00.000Z';
  let number = 0;
  try {
    const customer = (name: string) => {
      const id = newId();
      db.prepare("INSERT INTO customers (id, name, email, email_normalized, payment_method, created_at, updated_at) VALUES (?, ?, ?, ?, 'card', ?, ?)").run(id, name, `${id}@example.com`, `${id}@example.com`, at, at);
      return id;
    };
    const plan = newId();
    db.prepare("INSERT INTO plans (id, code, name, currency, unit_amount, interval, created_at, updated_at) VALUES (?, 'basic', 'Basic', 'USD', 2900, 'month', ?, ?)").run(plan, at, at);
    const subscriber = customer('Sam Subscriber');
    const sub = newId();
    db.prepare("INSERT INTO subscriptions (id, customer_id, plan_id, status, quantity, start_date, anchor_date, created_at, updated_at) VALUES (?, ?, ?, 'active', 1, '2026-01-15', '2026-01-15', ?, ?)").run(sub, subscriber, plan, at, at);
    db.prepare("INSERT INTO subscription_history (id, subscription_id, customer_id, seq, effective_date, event, status, plan_id, quantity, recurring_amount, recorded_at) VALUES (?, ?, ?, 1, '2026-01-15', 'created', 'active', ?, 1, 2900, ?)").run(newId(), sub, subscriber, plan, at);
    const product = (sku: string, name: string, price: number, stock: number | null) => {
      const id = newId();
      db.prepare("INSERT INTO products (id, sku, name, price, currency, stock, created_at, updated_at) VALUES (?, ?, ?, ?, 'USD', ?, ?, ?)").run(id, sku, name, price, stock, at, at);
      return { id, sku, name, price };
    };
    const mat = product('MAT', 'Yoga mat', 3500, 12);
    const tea = product('TEA', 'Green tea', 350, null);
    const strap = product('STRAP', 'Mat strap', 900, null);
    const sell = (customerId: string | null, date: string, items: { p: typeof mat; q: number }[]) => {
      const id = newId();
      const total = items.reduce((s, i) => s + i.p.price * i.q, 0);
      db.prepare("INSERT INTO sales (id, number, customer_id, sold_on, currency, subtotal, tax, total, created_at) VALUES (?, ?, ?, ?, 'USD', ?, 0, ?, ?)").run(id, `R-${++number}`, customerId, date, total, total, at);
      for (const i of items) db.prepare('INSERT INTO sale_lines (id, sale_id, product_id, description, quantity, unit_price, amount, sku) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(newId(), id, i.p.id, i.p.name, i.q, i.p.price, i.p.price * i.q, i.p.sku);
      db.prepare("INSERT INTO sale_payments (id, sale_id, method, amount, currency, paid_on, created_at) VALUES (?, ?, 'cash', ?, 'USD', ?, ?)").run(newId(), id, total, date, at);
    };
    // Every day from 2026-05-04: 3 teas; every Monday a mat; 12 customers buy a mat, then 10 of them a strap.
    for (let d = 0; d < 200; d++) {
      const date = addDays('2026-05-04', d);
      sell(null, date, [{ p: tea, q: 3 }]);
      if (d % 7 === 0) sell(null, date, [{ p: mat, q: 1 }]);
    }
    for (let c = 0; c < 12; c++) {
      const id = customer(`Buyer ${c}`);
      sell(id, addDays('2026-06-01', c), [{ p: mat, q: 1 }]);
      sell(id, addDays('2026-07-01', c), [c < 10 ? { p: strap, q: 1 } : { p: tea, q: 1 }]);
    }
    return { customer: customer('New Buyer') };
  } finally {
    db.close();
  }
}

describe('recurra insights forecast | anomalies | products', () => {
  it('prints the cli.md documents, ready with their backtests, and readable text', async () => {
    const b = await withBusiness();
    seed(b.dataDir, b.businessId);
    const run = async (args: string[]) => {
      const r = await b.cli(['insights', ...args, '--json'], b.asOwner);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };

    const forecast = await run(['forecast', '--months', '3', '--as-of', '2026-11-20']);
    expect(Object.keys(forecast).slice(0, 4)).toEqual(['asOf', 'method', 'months', 'backtest']);
    expect(forecast).toMatchObject({ asOf: '2026-11-20', ready: true, method: 'ets-damped-additive', currency: 'USD' });
    const history = forecast.history as { month: string; mrr: number }[];
    expect(history[0]).toEqual({ month: '2026-01', mrr: 2900 });
    // October: MRR 29.00 + 31 days of 3 teas (3 × 3.50) + 4 Monday mats (35.00).
    expect(history.find((h) => h.month === '2026-10')).toEqual({ month: '2026-10', mrr: 2900 + 31 * 1050 + 4 * 3500 });
    expect((forecast.months as { month: string }[]).map((m) => m.month)).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(forecast.backtest).toMatchObject({ naiveMethod: 'naive', heldOut: expect.any(Number) as number });

    const thin = await run(['forecast', '--months', '3', '--as-of', '2026-04-10']);
    expect(thin).toMatchObject({ ready: false, reason: 'Needs 6 complete months of revenue history; you have 3.', months: [] });

    const anomalies = await run(['anomalies', '--from', '2026-10-01', '--to', '2026-10-31']);
    expect(anomalies).toMatchObject({ ready: true, checkedDays: 31, anomalies: [] });

    const products = await run(['products', '--from', '2026-10-01', '--to', '2026-10-31']);
    expect(Object.keys(products).slice(0, 3)).toEqual(['bestSellers', 'nextBest', 'demand']);
    const best = products.bestSellers as { sku: string; units: number; revenue: number }[];
    expect(best.map((x) => [x.sku, x.units, x.revenue])).toEqual([
      ['TEA', 93, 93 * 350],
      ['MAT', 4, 4 * 3500],
    ]);
    const demand = products.demand as { sku: string; stock: number | null; stockoutInDays: number | null; text: string }[];
    const mat = demand.find((d) => d.sku === 'MAT')!;
    expect(mat.stock).toBe(12);
    expect(mat.text).toContain('Yoga mat sells about');

    const human = await b.cli(['insights', 'forecast', '--months', '2', '--as-of', '2026-11-20'], b.asOwner);
    expect(human.stdout).toContain('Revenue forecast as of 2026-11-20');
    expect(human.stdout).toContain('8-in-10 chance');
  });

  it('next best for a customer who bought a mat: the strap, with its reason; an unknown customer is not found', async () => {
    const b = await withBusiness();
    const { customer } = seed(b.dataDir, b.businessId);
    const db = openBusinessFile(path.join(b.dataDir, 'businesses', `${b.businessId}.sqlite`));
    const mat = db.prepare("SELECT id FROM products WHERE sku = 'MAT'").pluck().get() as string;
    db.prepare("INSERT INTO sales (id, number, customer_id, sold_on, currency, subtotal, tax, total, created_at) VALUES ('s-new', 'R-NEW', ?, '2026-11-02', 'USD', 3500, 0, 3500, '2026-11-02T00:00:00Z')").run(customer);
    db.prepare("INSERT INTO sale_lines (id, sale_id, product_id, description, quantity, unit_price, amount, sku) VALUES ('l-new', 's-new', ?, 'Yoga mat', 1, 3500, 3500, 'MAT')").run(mat);
    db.close();
    const r = await b.cli(['insights', 'products', '--customer', customer, '--to', '2026-11-20', '--json'], b.asOwner);
    const out = JSON.parse(r.stdout) as { nextBest: { sku: string; because: string }[] };
    // Every returning customer here had a mat, so the strap is simply what their next visits add.
    expect(out.nextBest[0]).toMatchObject({ sku: 'STRAP', because: "Popular: 83 % of returning customers' visits add Mat strap." });
    const text = await b.cli(['insights', 'products', '--customer', customer, '--to', '2026-11-20'], b.asOwner);
    expect(text.stdout).toContain("1. Mat strap (STRAP): Popular: 83 % of returning customers' visits add Mat strap.");
    const missing = await b.cli(['insights', 'products', '--customer', 'nobody', '--json'], b.asOwner);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('not_found');
  });
});
