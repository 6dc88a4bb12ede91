import { withBilling, type BillingCli, type InvoiceDetail } from './billing-fixtures';

/**
 * A business billed from January to March 2026 through the CLI ($30.00 Basic, $60.00 Pro, monthly):
 * Alice (card) Basic from 01-01, $10.00 of her March payment refunded on 03-05;
 * Bob (manual, due in 14 days) Basic from 01-15, never pays; Carol (card) Pro from 02-01, canceled on 03-10.
 * As of 03-31: MRR 6000 (Alice, Bob), Carol churned in March (1 of 3 paying at its start: 33.33%),
 * March revenue 3000 + 6000 - 1000 = 8000; Bob owes 01-15 (61 days late), 02-15 (30) and 03-15 (2).
 */
export async function billedCli() {
  const b = await withBilling();
  const basic = await b.plan('--name', 'Basic', '--price', '30.00', '--interval', 'month');
  const pro = await b.plan('--name', 'Pro', '--price', '60.00', '--interval', 'month');
  const alice = await b.customer('Alice', 'card');
  const bob = await b.customer('Bob', 'manual');
  const carol = await b.customer('Carol', 'card');
  await b.subscribe(alice.id, basic.id, '2026-01-01');
  await b.subscribe(bob.id, basic.id, '2026-01-15');
  const carols = await b.subscribe(carol.id, pro.id, '2026-02-01');
  await b.run('2026-03-09');
  await b.json(['subscription', 'cancel', carols.id, '--on', '2026-03-10']);
  await b.run('2026-03-31');
  const [alicesMarch] = await b.invoices('--customer', alice.id).then((list) => list.filter((i) => i.issueDate === '2026-03-01'));
  const detail: InvoiceDetail = await b.invoice(alicesMarch!.id);
  await b.json(['payment', 'refund', detail.payments[0]!.id, '--amount', '10.00', '--on', '2026-03-05']);
  return { ...b, customers: { alice, bob, carol } };
}

export type BilledCli = Awaited<ReturnType<typeof billedCli>> & BillingCli;
