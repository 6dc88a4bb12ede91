import { describe, expect, it } from 'vitest';
import { billingBusiness } from '../../support/billing';

describe('subscriptions.previewChange: the tax rate of the previewed invoices', () => {
  it('gives the rate the tax line is computed at, and null where there is no tax', async () => {
    const b = await billingBusiness({ taxRate: '20' });
    const basic = await b.plan({ price: 3000 });
    const pro = await b.plan({ price: 6000 });
    const sub = await b.subscribe({ planId: basic.id, startDate: '2026-03-01' });
    await b.run('2026-03-11');
    const preview = await b.call('subscriptions.previewChange', { id: sub.id, planId: pro.id, on: '2026-03-11', mode: 'invoice_now' });
    expect(preview.invoiceNow).toMatchObject({ taxRatePpm: 200_000 });
    expect(preview.invoiceNow!.tax).toBe(Math.round((preview.invoiceNow!.subtotal * 20) / 100));
    expect(preview.nextInvoice).toMatchObject({ taxRatePpm: 200_000 });
    b.close();

    const untaxed = await billingBusiness();
    const plan = await untaxed.plan({ price: 3000 });
    const other = await untaxed.plan({ price: 6000 });
    const s = await untaxed.subscribe({ planId: plan.id, startDate: '2026-03-01' });
    await untaxed.run('2026-03-11');
    const plain = await untaxed.call('subscriptions.previewChange', { id: s.id, planId: other.id, on: '2026-03-11', mode: 'prorate' });
    expect(plain.nextInvoice).toMatchObject({ tax: 0, taxRatePpm: null });
    untaxed.close();
  });
});
