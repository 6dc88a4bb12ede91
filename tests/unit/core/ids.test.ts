import { describe, expect, it } from 'vitest';
import { chargeIdempotencyKey, chargePaymentId, newId, periodInvoiceId } from '../../../src-main/core/ids';
import { billingBusiness } from '../../support/billing';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ids', () => {
  it('newId: UUIDv7 strings, strictly increasing within a process', () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("periodInvoiceId: the same on every PC for one (business, subscription, period), different otherwise, sorted by the period's date", () => {
    const a = periodInvoiceId('biz-1', 'sub-1', '2026-03-05');
    expect(a).toMatch(UUID_V7);
    expect(periodInvoiceId('biz-1', 'sub-1', '2026-03-05')).toBe(a);
    const others = [periodInvoiceId('biz-2', 'sub-1', '2026-03-05'), periodInvoiceId('biz-1', 'sub-2', '2026-03-05'), periodInvoiceId('biz-1', 'sub-1', '2026-04-05')];
    expect(new Set([a, ...others]).size).toBe(4);
    expect(periodInvoiceId('biz-1', 'sub-9', '2026-03-04') < a).toBe(true);
    expect(a < periodInvoiceId('biz-1', 'sub-0', '2026-03-06')).toBe(true);
    expect(() => periodInvoiceId('biz-1', 'sub-1', 'March')).toThrow(/not a date/);
  });

  it('a billing run gives each subscription period the derived id (two PCs billing one period offline make one row)', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-01-10', customerId: (await b.customer('card')).id });
    await b.run('2026-03-31');
    const businessId = b.db.sqlite.prepare('SELECT id FROM business').pluck().get() as string;
    const rows = b.db.sqlite.prepare('SELECT id, period_key FROM invoices WHERE subscription_id = ? ORDER BY period_key').all(sub.id) as { id: string; period_key: string }[];
    expect(rows.map((r) => r.period_key)).toEqual(['2026-01-10', '2026-02-10', '2026-03-10']);
    for (const r of rows) expect(r.id).toBe(periodInvoiceId(businessId, sub.id, r.period_key));
    b.close();
  });

  it('chargePaymentId: a UUIDv7 dated by the charge, the same for one (invoice, attempt), different per attempt and per invoice', () => {
    const invoice = periodInvoiceId('biz-1', 'sub-1', '2026-03-05');
    const first = chargePaymentId(chargeIdempotencyKey(invoice, 1), '2026-03-05');
    expect(first).toMatch(UUID_V7);
    expect(first.slice(0, 13)).toBe(periodInvoiceId('x', 'y', '2026-03-05').slice(0, 13));
    expect(chargePaymentId(chargeIdempotencyKey(invoice, 1), '2026-03-05')).toBe(first);
    const ids = new Set([first]);
    for (let attempt = 2; attempt <= 20; attempt++) ids.add(chargePaymentId(chargeIdempotencyKey(invoice, attempt), '2026-03-08'));
    for (let i = 0; i < 2000; i++) ids.add(chargePaymentId(chargeIdempotencyKey(i % 2 ? newId() : periodInvoiceId('biz-1', `sub-${i}`, '2026-03-05'), 1), '2026-03-05'));
    expect(ids.size).toBe(1 + 19 + 2000);
    expect(() => chargePaymentId('not-a-key', '2026-03-05')).toThrow(/idempotency key/);
    expect(() => chargePaymentId(chargeIdempotencyKey(invoice, 0), '2026-03-05')).toThrow(/idempotency key/);
  });
});
