import { describe, expect, it } from 'vitest';
import { billingSettings } from '../../../src-main/core/billing/catalog-repo';
import { emptyCounters, issueInvoice } from '../../../src-main/core/billing/invoice-writer';
import { chargeIdempotencyKey, chargePaymentId } from '../../../src-main/core/ids';
import { writeSyncState } from '../../../src-main/core/sync';
import { callError } from '../../support/core';
import { billingBusiness } from '../../support/billing';

// Sync guarantees 4 and 5 (spec/server.md) on the billing side: one charge per
// (invoice, attempt) on every PC, changes that charge at once only on the billing
// PC, and a gapless number series per PC that is not the billing PC.

describe('billing on one PC', () => {
  it("every automatic charge's payment row is derived from its idempotency key (invoice id, attempt): the same row on every PC", async () => {
    const b = await billingBusiness({ dunningDays: [3] });
    const plan = await b.plan({ price: 2500 });
    await b.subscribe({ planId: plan.id, startDate: '2026-01-05', customerId: (await b.customer('card')).id });
    await b.subscribe({ planId: plan.id, startDate: '2026-01-05', customerId: (await b.customer('card_declining')).id });
    await b.run('2026-02-10');
    const payments = b.db.sqlite.prepare('SELECT id, invoice_id, attempt, paid_on, status FROM payments ORDER BY paid_on, id').all() as {
      id: string; invoice_id: string; attempt: number; paid_on: string; status: string;
    }[];
    // The card pays two periods; the declined card's first invoice fails twice (its first attempt and the
    // one retry), then the subscription ends unpaid.
    expect(payments.filter((p) => p.status === 'succeeded')).toHaveLength(2);
    expect(payments.filter((p) => p.status === 'failed')).toHaveLength(2);
    expect(payments.some((p) => p.attempt === 2)).toBe(true);
    for (const p of payments) expect(p.id).toBe(chargePaymentId(chargeIdempotencyKey(p.invoice_id, p.attempt), p.paid_on));
    expect(new Set(payments.map((p) => p.id)).size).toBe(payments.length);
    b.close();
  });

  it('a change that invoices and charges at once is refused on a PC that is not the billing PC, naming it; at period end it is taken', async () => {
    const b = await billingBusiness();
    const monthly = await b.plan({ price: 1000 });
    const bigger = await b.plan({ price: 3000 });
    const sub = await b.subscribe({ planId: monthly.id, startDate: '2026-01-05', customerId: (await b.customer('card')).id });
    await b.run('2026-01-05');
    writeSyncState(b.db, { server: 'http://127.0.0.1:9', deviceId: 'aaaa000011112222', deviceName: 'Front desk', billingDevice: { id: 'bbbb000011112222', name: 'Office PC' } });
    const invoicesBefore = b.db.sqlite.prepare('SELECT count(*) FROM invoices').pluck().get();
    const error = await callError(b.core, b.conn, 'subscriptions.change', { id: sub.id, planId: bigger.id, on: '2026-01-20', mode: 'invoice_now' });
    expect(error.code).toBe('conflict');
    expect(error.field).toBe('mode');
    expect(error.message).toContain('"Office PC"');
    expect(error.message).toMatch(/end of the period/);
    expect(b.db.sqlite.prepare('SELECT count(*) FROM invoices').pluck().get()).toBe(invoicesBefore);
    expect(b.db.sqlite.prepare('SELECT plan_id FROM subscriptions WHERE id = ?').pluck().get(sub.id)).toBe(monthly.id);
    // At the period's end it charges nothing now: allowed here (the billing PC invoices it when the period starts).
    const ok = await b.core.dispatch(b.conn, 'subscriptions.change', { id: sub.id, planId: bigger.id, on: '2026-01-20', mode: 'at_period_end' });
    expect(ok.ok).toBe(true);
    b.close();
  });

  it('a PC that is not the billing PC numbers its invoices in its own gapless series; the billing PC keeps the main one', async () => {
    const b = await billingBusiness();
    const customer = await b.customer('manual');
    const issue = () =>
      b.db.sqlite.transaction(() =>
        issueInvoice(
          { db: b.db, settings: billingSettings(b.db), at: new Date().toISOString(), userId: null, counters: emptyCounters() },
          {
            customerId: customer.id,
            subscriptionId: null,
            kind: 'change',
            periodKey: null,
            issueDate: '2026-01-10',
            periodStart: null,
            periodEnd: null,
            charges: [{ kind: 'proration', description: 'Extra', quantity: 1, unitAmount: null, amount: 500, periodStart: null, periodEnd: null }],
            coupon: null,
          },
        ),
      )();
    const mainNext = () => b.db.sqlite.prepare('SELECT next_invoice_number FROM business').pluck().get() as number;
    const before = mainNext();
    expect(issue().number).toBe(`INV-${String(before).padStart(6, '0')}`);

    writeSyncState(b.db, { server: 'http://127.0.0.1:9', deviceId: '3f9a1c0011112222', deviceName: 'Front desk', billingDevice: { id: 'bbbb000011112222', name: 'Office PC' } });
    expect([issue().number, issue().number]).toEqual(['INV-3F9A1C-000001', 'INV-3F9A1C-000002']);
    expect(mainNext()).toBe(before + 1);

    // Once this PC is the billing PC, the main series again, where it stood.
    writeSyncState(b.db, { billingDevice: { id: '3f9a1c0011112222', name: 'Front desk' } });
    expect(issue().number).toBe(`INV-${String(before + 1).padStart(6, '0')}`);
    b.close();
  });
});
