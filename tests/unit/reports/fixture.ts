import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Input, Output } from '@shared/contract';
import { billingBusiness, type BillingFixture } from '../../support/billing';

/**
 * A small business billed from January to March 2026, small enough to work
 * out by hand ($30.00 Basic, $60.00 Pro, monthly):
 * - Alice (card): Basic from 01-01; $10.00 of her February payment is refunded on 02-05.
 * - Bob (manual, due in 14 days): Basic from 01-15; pays January in cash on 02-20; February and March stay open.
 * - Carol (card): Pro from 02-01, canceled on 03-10.
 * - Dan (card): Basic from 02-10, moved to Pro at the end of his period (03-10).
 * Payments: Jan 3000; Feb 3000 + 6000 + 3000 + 3000 (Bob's cash) - 1000 (refund) = 14000; Mar 3000 + 6000 + 6000 = 15000.
 * MRR: Jan 0 -> 6000 (new 6000); Feb 6000 -> 15000 (new 9000); Mar 15000 -> 12000 (churn 6000, expansion 3000).
 */
export async function billedBusiness() {
  const b = await billingBusiness();
  const basic = await b.plan({ name: 'Basic', price: 3000 });
  const pro = await b.plan({ name: 'Pro', price: 6000 });
  const alice = await b.customer('card', 'Alice');
  const bob = await b.customer('manual', 'Bob');
  const carol = await b.customer('card', 'Carol');
  const dan = await b.customer('card', 'Dan');
  await b.subscribe({ customerId: alice.id, planId: basic.id, startDate: '2026-01-01' });
  await b.subscribe({ customerId: bob.id, planId: basic.id, startDate: '2026-01-15' });
  const carolSub = await b.subscribe({ customerId: carol.id, planId: pro.id, startDate: '2026-02-01' });
  const danSub = await b.subscribe({ customerId: dan.id, planId: basic.id, startDate: '2026-02-10' });
  await b.run('2026-02-04');
  const alicesFebruary = (await b.payments({ customerId: alice.id })).find((p) => p.paidOn === '2026-02-01');
  await b.call('payments.refund', { id: alicesFebruary!.id, amount: 1000, on: '2026-02-05', reason: 'Goodwill' });
  await b.run('2026-02-19');
  const [bobsJanuary] = await b.invoices({ customerId: bob.id });
  await b.call('invoices.pay', { id: bobsJanuary!.id, amount: 3000, method: 'cash', on: '2026-02-20' });
  await b.call('subscriptions.change', { id: danSub.id, planId: pro.id, on: '2026-03-01', mode: 'at_period_end' });
  await b.run('2026-03-09');
  await b.call('subscriptions.cancel', { id: carolSub.id, on: '2026-03-10' });
  await b.run('2026-03-31');
  return { b, plans: { basic, pro }, customers: { alice, bob, carol, dan } };
}

export type Billed = Awaited<ReturnType<typeof billedBusiness>>;

export const view = (b: BillingFixture, input: Input<'reports.view'>): Promise<Output<'reports.view'>> => b.call('reports.view', { limit: 500, ...input });

/** Exports a report and reads the file back: the header row and the data rows, as text. */
export async function exported(b: BillingFixture, input: Input<'reports.export'>) {
  const result = await b.call('reports.export', input);
  const bytes = fs.readFileSync(result.path!);
  const [header, ...rows] = parse(bytes, { bom: true }) as string[][];
  return { result, bytes, header: header!, rows };
}
