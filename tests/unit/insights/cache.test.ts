import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSteadyBook } from '../../../bench/insights-churn-data';
import { withInsightsCache } from '../../../src-main/core/insights/cache';
import { ltvInsight } from '../../../src-main/core/insights/compute';
import { call, FakeClock, makeCore, signUp, openBusinessFile } from '../../support/core';
import type { Core } from '../../../src-main/core/core';

let core: Core;
let conn: Awaited<ReturnType<typeof signUp>>['conn'];
let businessId: string;
const db = () => core.businesses.get(businessId);

beforeAll(async () => {
  ({ core } = makeCore({ clock: new FakeClock(new Date('2026-12-01T12:00:00Z')) }));
  ({ conn, businessId } = await signUp(core, { timezone: 'UTC' }));
  seedSteadyBook(db().sqlite, 50, 1);
}, 60_000);
afterAll(() => core.close());

describe('insights are kept until the books change', () => {
  it('reads do not invalidate; a write by this connection or another one does; nothing is kept inside a transaction', async () => {
    let runs = 0;
    const compute = () => ({ run: ++runs });
    const first = withInsightsCache(db().sqlite, 'test', compute);
    expect(withInsightsCache(db().sqlite, 'test', compute)).toBe(first);

    // Reads, through the app: still the same.
    await call(core, conn, 'customers.list', {});
    await call(core, conn, 'insights.ltv', { asOf: '2026-11-30' });
    await call(core, conn, 'insights.churn', { asOf: '2026-11-30' });
    expect(withInsightsCache(db().sqlite, 'test', compute)).toBe(first);
    expect(runs).toBe(1);

    // A write through the app's own connection.
    await call(core, conn, 'customers.create', { name: 'Zed New', email: 'zed@example.com' });
    const second = withInsightsCache(db().sqlite, 'test', compute);
    expect(second).toEqual({ run: 2 });
    expect(withInsightsCache(db().sqlite, 'test', compute)).toBe(second);

    // A commit by another connection to the same file (the billing worker, the CLI).
    const other = openBusinessFile(db().file);
    other.prepare("UPDATE customers SET notes = 'called' WHERE email = 'zed@example.com'").run();
    other.close();
    expect(withInsightsCache(db().sqlite, 'test', compute)).toEqual({ run: 3 });

    // Inside a transaction, computed each time and never kept.
    db().sqlite.transaction(() => {
      expect(withInsightsCache(db().sqlite, 'test', compute)).toEqual({ run: 4 });
      expect(withInsightsCache(db().sqlite, 'test', compute)).toEqual({ run: 5 });
    })();
    expect(withInsightsCache(db().sqlite, 'test', compute)).toEqual({ run: 3 });
  });

  it('the LTV of the books is the same object until a subscription changes them, then the new figures', async () => {
    const before = ltvInsight(db(), '2026-11-30', '2026-12-01');
    expect(ltvInsight(db(), '2026-11-30', '2026-12-01')).toBe(before);
    const plan = await call(core, conn, 'plans.create', { name: 'Big', price: 90000, interval: 'month' });
    const customer = await call(core, conn, 'customers.create', { name: 'Big Spender', email: 'big@example.com' });
    await call(core, conn, 'subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: '2026-11-01' });
    const after = ltvInsight(db(), '2026-11-30', '2026-12-01');
    expect(after).not.toBe(before);
    expect(after.customers.length).toBe(before.customers.length + 1);
    expect(after.customers[0]!.customerId).toBe(customer.id);
  });
});
