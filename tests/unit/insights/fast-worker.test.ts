import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '@shared/contract';
import { CHURN_BOOK_AS_OF, seedChurnBook } from '../../../bench/insights-churn-data';
import { Core } from '../../../src-main/core/core';
import type { BusinessDb } from '../../../src-main/core/db/open';
import { newId } from '../../../src-main/core/ids';
import { ANOMALY_FROM, ANOMALY_TO, SEED_AS_OF, seedInsightsSales } from '../../../bench/insights-sales-seed';
import { churnInsight, computeInsight, ltvInsight } from '../../../src-main/core/insights/compute';
import { productInsights } from '@shared/insights/products';
import { cachedKeys } from '../../../src-main/core/insights/cache';
import { loadProducts, loadSaleLines } from '../../../src-main/core/insights/sales-data';
import { sourceInsightsWorkerEntry, WorkerInsights } from '../../../src-main/core/insights/worker-executor';
import { silentLogger } from '../../../src-main/core/ports';
import { call, FakeClock, MIGRATIONS_DIR, signUp, tempDir, type TestConnection } from '../../support/core';

// Every insight computed in the insights worker (its own connection to the file), as the app does:
// the same answers as on the calling thread, the calling thread free while it works, and the answer
// kept until the books change.

let core: Core;
let conn: TestConnection;
let db: BusinessDb;
/** A second business with three years of counter sales (bench/insights-sales-seed.ts). */
let salesConn: TestConnection;
let salesDb: BusinessDb;
const TODAY = '2026-12-01';

beforeAll(async () => {
  core = new Core({
    paths: { dataDir: tempDir(), migrationsDir: MIGRATIONS_DIR },
    clock: new FakeClock(new Date(`${TODAY}T12:00:00Z`)),
    logger: silentLogger,
    insightsExecutor: new WorkerInsights(sourceInsightsWorkerEntry()),
  });
  const s = await signUp(core, { timezone: 'UTC' });
  conn = s.conn;
  db = core.businesses.get(s.businessId);
  seedChurnBook(db.sqlite, 600, 5);
  const sales = await signUp(core, { timezone: 'UTC', ownerEmail: 'sales-owner@example.com', businessName: 'Counter' });
  salesConn = sales.conn;
  salesDb = core.businesses.get(sales.businessId);
  seedInsightsSales(salesDb.sqlite);
}, 180_000);
afterAll(async () => {
  await core.insights.close?.();
  core.close();
});

describe('insights in a worker', () => {
  it('answers insights.churn and insights.ltv as the calling thread computes them, without holding it up', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const churn = await call(core, conn, 'insights.churn', { asOf: CHURN_BOOK_AS_OF });
    clearInterval(timer);
    // The worker started, loaded the book and trained the model while this thread went on turning.
    expect(ticks).toBeGreaterThan(5);
    const ltv = await call(core, conn, 'insights.ltv', { asOf: CHURN_BOOK_AS_OF });
    expect(churn.ready).toBe(true);
    expect(churn.customers.length).toBeGreaterThan(100);
    // What the dispatcher sends of the inline computation (its output parsed by the contract, as every answer is).
    expect(churn).toStrictEqual(contract['insights.churn'].output.parse(churnInsight(db, CHURN_BOOK_AS_OF, TODAY)));
    expect(ltv).toStrictEqual(contract['insights.ltv'].output.parse(ltvInsight(db, CHURN_BOOK_AS_OF, TODAY)));
    // The handlers' own trimming still applies.
    expect((await call(core, conn, 'insights.churn', { asOf: CHURN_BOOK_AS_OF, top: 3 })).customers).toStrictEqual(churn.customers.slice(0, 3));
  }, 60_000);

  it('keeps the answer until the books change, then asks the worker again', async () => {
    const first = await core.insights.run(db, { kind: 'churn', asOf: CHURN_BOOK_AS_OF, today: TODAY });
    expect(await core.insights.run(db, { kind: 'churn', asOf: CHURN_BOOK_AS_OF, today: TODAY })).toBe(first);
    // Two callers at once share one computation after a change.
    const top = first.customers[0]!;
    for (let i = 0; i < 6; i++) {
      db.sqlite.prepare("INSERT INTO customer_events (id, customer_id, kind, title, occurred_at, created_at) VALUES (?, ?, 'note', 'Complaint', ?, ?)").run(newId(), top.customerId, `${CHURN_BOOK_AS_OF}T09:00:00.000Z`, `${CHURN_BOOK_AS_OF}T09:00:00.000Z`);
    }
    const [a, b] = await Promise.all([core.insights.run(db, { kind: 'churn', asOf: CHURN_BOOK_AS_OF, today: TODAY }), core.insights.run(db, { kind: 'churn', asOf: CHURN_BOOK_AS_OF, today: TODAY })]);
    expect(a).toBe(b);
    expect(a).not.toBe(first);
    expect(a).toStrictEqual(churnInsight(db, CHURN_BOOK_AS_OF, TODAY));
    const notes = (r: typeof first) => r.customers.find((c) => c.customerId === top.customerId)!.factors.find((f) => f.factor === 'notes');
    expect(notes(a)?.text).not.toBe(notes(first)?.text);
  }, 60_000);

  it('reports a failure in the worker as an error, and the next call still works', async () => {
    await expect(core.insights.run(db, { kind: 'churn', asOf: 'not a date', today: TODAY })).rejects.toThrow(/asOf/);
    expect((await core.insights.run(db, { kind: 'ltv', asOf: CHURN_BOOK_AS_OF, today: TODAY })).customers.length).toBeGreaterThan(100);
  }, 60_000);

  it('answers insights.forecast, anomalies and products as the calling thread computes them, without holding it up', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const products = await call(core, salesConn, 'insights.products', { to: SEED_AS_OF });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
    const forecast = await call(core, salesConn, 'insights.forecast', { asOf: SEED_AS_OF, months: 6 });
    const anomalies = await call(core, salesConn, 'insights.anomalies', { from: ANOMALY_FROM, to: ANOMALY_TO });
    expect(products.ready && forecast.ready && anomalies.ready).toBe(true);
    expect(products.bestSellers.length).toBeGreaterThan(3);
    expect(anomalies.anomalies.length).toBeGreaterThan(3);
    expect(forecast).toStrictEqual(contract['insights.forecast'].output.parse(computeInsight(salesDb, { kind: 'forecast', asOf: SEED_AS_OF, today: TODAY, months: 6 })));
    expect(anomalies).toStrictEqual(contract['insights.anomalies'].output.parse(computeInsight(salesDb, { kind: 'anomalies', from: ANOMALY_FROM, to: ANOMALY_TO, today: TODAY })));
    const from = products.from;
    expect(products).toStrictEqual(contract['insights.products'].output.parse(computeInsight(salesDb, { kind: 'products', from, to: SEED_AS_OF, today: TODAY, customerId: null })));
    // A customer's next best product, through insights.customer as the customer page asks for it.
    const buyer = salesDb.sqlite.prepare('SELECT customer_id FROM sales WHERE customer_id IS NOT NULL GROUP BY customer_id ORDER BY count(*) DESC, customer_id LIMIT 1').pluck().get() as string;
    const own = await call(core, salesConn, 'insights.products', { customerId: buyer, to: SEED_AS_OF });
    expect(own.nextBest.length).toBeGreaterThan(0);
    expect(own).toStrictEqual(contract['insights.products'].output.parse(computeInsight(salesDb, { kind: 'products', from, to: SEED_AS_OF, today: TODAY, customerId: buyer })));
    // The next best from rules learnt once per book equals productInsights' own, learnt for this customer alone.
    const whole = productInsights({ today: TODAY, from, to: SEED_AS_OF, customerId: buyer, lines: loadSaleLines(salesDb, SEED_AS_OF), products: loadProducts(salesDb) });
    expect(own).toStrictEqual(contract['insights.products'].output.parse({ ...whole, currency: 'USD', customerId: buyer }));
  }, 120_000);

  it('keeps the sales answers until the books change', async () => {
    const q = { kind: 'products', from: '2026-08-04', to: SEED_AS_OF, today: TODAY, customerId: null } as const;
    const first = await core.insights.run(salesDb, q);
    expect(await core.insights.run(salesDb, q)).toBe(first);
    const best = first.bestSellers[0]!;
    const product = salesDb.sqlite.prepare('SELECT id FROM products WHERE sku = ?').pluck().get(best.sku) as string;
    // One more sale of the best seller, on the last day of the period.
    const sale = newId();
    salesDb.sqlite.prepare("INSERT INTO sales (id, number, customer_id, sold_on, currency, subtotal, tax, total, created_at) VALUES (?, 'R-extra', NULL, ?, 'USD', 100, 0, 100, ?)").run(sale, SEED_AS_OF, `${SEED_AS_OF}T10:00:00.000Z`);
    salesDb.sqlite.prepare('INSERT INTO sale_lines (id, sale_id, product_id, description, quantity, unit_price, amount, sku) VALUES (?, ?, ?, ?, 7, 100, 700, ?)').run(newId(), sale, product, best.name, best.sku);
    const after = await core.insights.run(salesDb, q);
    expect(after).not.toBe(first);
    expect(after.bestSellers.find((b) => b.sku === best.sku)!.units).toBe(best.units + 7);
    expect(after).toStrictEqual(computeInsight(salesDb, q));
  }, 120_000);

  it('the customers list sorts and filters by the worker’s scores: this thread never computes churn', async () => {
    // A change first, so nothing this thread computed earlier in the file (the equality checks above) is still kept.
    await call(core, conn, 'customers.create', { name: 'Newest Customer', email: 'newest@example.com' });
    const page = await call(core, conn, 'customers.list', { sort: 'risk', direction: 'desc', limit: 50 });
    const atRisk = await call(core, conn, 'customers.list', { atRisk: true, limit: 1, withTotal: true });
    const risk = await call(core, conn, 'insights.risk', { limit: 50 });
    const churn = await call(core, conn, 'insights.churn', { asOf: TODAY });
    expect(churn.ready).toBe(true);
    const score = new Map(churn.customers.map((c) => [c.customerId, c.score]));
    // Riskiest first, as the worker scored them (equal scores may come in another order: the list breaks ties by row).
    expect(page.rows.map((r) => score.get(r.id))).toEqual(churn.customers.slice(0, 50).map((c) => c.score));
    expect(atRisk.total).toBe(churn.customers.filter((c) => c.band !== 'low').length);
    expect(risk.customers).toEqual(churn.customers.slice(0, 50).map((c) => ({ customerId: c.customerId, score: c.score, band: c.band })));
    const kept = cachedKeys(db.sqlite);
    expect(kept).toContain(`worker-churn:${TODAY}:${TODAY}`);
    expect(kept.filter((k) => /^(churn|ltv|ledger):/.test(k))).toEqual([]);
  }, 120_000);

  it('sends this thread a page of the churn and LTV answers, never every customer', async () => {
    await call(core, conn, 'customers.create', { name: 'Another Customer', email: 'another@example.com' });
    const risk = await call(core, conn, 'insights.risk', { offset: 10, limit: 20 });
    const top = await call(core, conn, 'insights.churn', { top: 5 });
    const list = await call(core, conn, 'customers.list', { sort: 'risk', direction: 'desc', limit: 20 });
    const someone = top.customers[2]!.customerId;
    const named = await call(core, conn, 'insights.risk', { customerIds: [list.rows[19]!.id, someone, 'not-a-customer'] });
    const customer = await call(core, conn, 'insights.customer', { customerId: someone });
    const summary = await call(core, conn, 'insights.summary', {});
    // Nothing this thread received holds every customer: only pages, the scores' JSON and the customer's own LTV.
    const kept = cachedKeys(db.sqlite);
    expect(kept.filter((k) => /^worker-(churn|ltv):/.test(k))).toEqual([]);
    expect(kept.some((k) => k.startsWith('worker-churn-page:'))).toBe(true);
    // The pages are the whole answer's, cut where it is kept (compared with this thread's own computation).
    const whole = churnInsight(db, TODAY, TODAY);
    const brief = (c: (typeof whole.customers)[number]) => ({ customerId: c.customerId, score: c.score, band: c.band });
    expect(risk.total).toBe(whole.customers.length);
    expect(risk.customers).toEqual(whole.customers.slice(10, 30).map(brief));
    expect(risk.nextOffset).toBe(30);
    expect(top.customers).toStrictEqual(contract['insights.churn'].output.parse(whole).customers.slice(0, 5));
    const rank = whole.customers.findIndex((c) => c.customerId === someone) + 1;
    expect(customer.churn.rank).toBe(rank);
    expect(customer.churn.scored).toBe(whole.customers.length);
    expect(customer.churn.customer).toStrictEqual(contract['insights.churn'].output.parse(whole).customers[rank - 1]);
    expect(customer.ltv.ltv).toBe(ltvInsight(db, TODAY, TODAY).customers.find((c) => c.customerId === someone)?.ltv ?? null);
    const wanted = new Set([list.rows[19]!.id, someone]);
    expect(named.customers).toEqual(whole.customers.filter((c) => wanted.has(c.customerId)).map(brief));
    const high = whole.customers.filter((c) => c.band === 'high').length;
    expect(summary.facts.find((f) => f.key === 'churn.high')?.value ?? 0).toBe(high > 0 ? high : 0);
  }, 120_000);
});
