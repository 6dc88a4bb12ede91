import { describe, expect, it } from 'vitest';
import { billingBusiness } from '../../support/billing';

describe('an invoice names its tax rate', () => {
  it('is the business rate that gives the invoice its tax, and null once the rate has changed or with no tax', async () => {
    const b = await billingBusiness({ taxRate: '8.25' });
    const plan = await b.plan({ price: 3000 });
    await b.subscribe({ planId: plan.id, startDate: '2026-01-01' });
    await b.run('2026-01-01');
    const [invoice] = await b.invoices();
    const detail = await b.call('invoices.get', { id: invoice!.id });
    expect(detail.tax).toBe(248); // 8.25% of $30.00 = 247.5, half away from zero
    expect(detail.taxRatePpm).toBe(82_500);

    // Invoices keep no rate: after a change, the old invoice's tax no longer matches the business's rate.
    await b.call('business.update', { taxRate: '10' });
    expect((await b.call('invoices.get', { id: invoice!.id })).taxRatePpm).toBeNull();
    b.close();

    const untaxed = await billingBusiness();
    const p = await untaxed.plan({ price: 3000 });
    await untaxed.subscribe({ planId: p.id, startDate: '2026-01-01' });
    await untaxed.run('2026-01-01');
    const [plain] = await untaxed.invoices();
    expect((await untaxed.call('invoices.get', { id: plain!.id })).taxRatePpm).toBeNull();
    untaxed.close();
  });
});
