import { describe, expect, it } from 'vitest';
import { manySubscriptions, thirtyDollarSubscription, withBilling, type Invoice, type Subscription } from './billing-fixtures';

const SPEC_KEYS = ['id', 'customerId', 'planId', 'status', 'quantity', 'startDate', 'anchorDate', 'currentPeriodStart', 'currentPeriodEnd', 'cancelAt', 'canceledAt'];

interface Preview {
  effectiveOn: string;
  prorationLines: { kind: string; amount: number }[];
  invoiceNow: { issueDate: string; total: number } | null;
  nextInvoice: { issueDate: string; total: number; lines: { kind: string; amount: number }[] } | null;
  currency: string;
}

describe('recurra subscription create', () => {
  it('prints {subscription} with the spec keys; a 14-day trial from 2026-03-10 is anchored on 2026-03-24 (spec 4)', async () => {
    const b = await withBilling();
    const plan = await b.plan('--name', 'Basic', '--price', '15', '--interval', 'month', '--trial-days', '14');
    const customer = await b.customer();
    const { subscription } = await b.json<{ subscription: Subscription }>(['subscription', 'create', '--customer', customer.id, '--plan', plan.id, '--start', '2026-03-10', '--quantity', '2']);
    expect(Object.keys(subscription)).toEqual(expect.arrayContaining(SPEC_KEYS));
    expect(subscription).toMatchObject({
      customerId: customer.id,
      planId: plan.id,
      status: 'trialing',
      quantity: 2,
      startDate: '2026-03-10',
      trialEnd: '2026-03-24',
      anchorDate: '2026-03-24',
      nextInvoiceDate: '2026-03-24',
      recurringAmount: 3000,
      currency: 'USD',
      cancelAt: null,
      canceledAt: null,
    });
  });

  it('overrides the trial with --trial-days, takes a coupon code in any case, and issues a license key on request', async () => {
    const b = await withBilling();
    const plan = await b.plan('--name', 'Basic', '--price', '15', '--interval', 'month', '--trial-days', '14');
    await b.coupon('--code', 'TWENTY', '--percent-off', '20', '--duration', 'forever');
    const sub = await b.subscribe((await b.customer()).id, plan.id, '2026-03-10', '--trial-days', '0', '--coupon', 'twenty', '--license');
    expect(sub).toMatchObject({ status: 'active', anchorDate: '2026-03-10', couponCode: 'TWENTY', couponAppliedOn: '2026-03-10', licenseKey: expect.stringMatching(/^[A-HJ-NP-Z2-9]{5}(-[A-HJ-NP-Z2-9]{5}){4}$/) });
  });

  it('tells a person who is subscribed to what, and when the first invoice comes', async () => {
    const b = await withBilling();
    const plan = await b.plan('--name', 'Basic', '--price', '15', '--interval', 'month', '--trial-days', '14');
    const customer = await b.customer();
    const run = await b.human(['subscription', 'create', '--customer', customer.id, '--plan', plan.id, '--start', '2026-03-10']);
    expect(run.stdout).toMatch(/^Subscribed Jane Doe to Basic \(\$15\.00 per month, in trial; first invoice on 2026-03-24\)\.\n/);
    expect(run.stdout).toMatch(/Status: +trialing\n/);
    expect(run.stdout).toMatch(/Trial: +2026-03-10 to 2026-03-23\n/);
  });

  it('refuses bad input naming the flag: unknown plan or customer (not found), a bad date, quantity 0, an expired coupon', async () => {
    const b = await withBilling();
    const plan = await b.plan('--name', 'Basic', '--price', '15', '--interval', 'month');
    const customer = await b.customer();
    await b.coupon('--code', 'OLD', '--percent-off', '10', '--duration', 'once', '--expires-on', '2026-02-28');
    const create = (...flags: string[]) => ['subscription', 'create', '--customer', customer.id, '--plan', plan.id, '--start', '2026-03-01', ...flags];
    const cases: [string[], number, string, string, string, string][] = [
      [create('--plan', 'no-such-plan'), 1, 'not_found', 'planId', '--plan', 'That plan was not found'],
      [create('--customer', 'no-such-customer'), 1, 'not_found', 'customerId', '--customer', 'That customer was not found'],
      [create('--start', '2026-13-01'), 1, 'validation', 'startDate', '--start', 'Use a date like 2026-03-01'],
      [create('--start', 'tomorrow'), 1, 'validation', 'startDate', '--start', 'Use a date like 2026-03-01'],
      [create('--quantity', '0'), 1, 'validation', 'quantity', '--quantity', 'The quantity is at least 1'],
      [create('--quantity', 'two'), 1, 'validation', 'quantity', '--quantity', 'Give a whole number, like 3'],
      [create('--coupon', 'OLD'), 1, 'validation', 'couponCode', '--coupon', 'Coupon OLD expired on 2026-02-28'],
      [create('--coupon', 'NOPE'), 1, 'not_found', 'couponCode', '--coupon', 'Coupon NOPE was not found'],
      [create('--trial-days', '-3'), 1, 'validation', 'trialDays', '--trial-days', 'Trial days cannot be negative'],
    ];
    for (const [args, exit, code, field, flag, message] of cases) {
      const refusal = await b.refused(args);
      expect(refusal, args.join(' ')).toMatchObject({ code: exit, stdout: '', error: { code, field, message } });
      expect(refusal.stderr, args.join(' ')).toBe(`Error: ${flag}: ${message}\n`);
    }
    expect(await b.json<Subscription[]>(['subscription', 'list'])).toEqual([]);
  });

  it('refuses a viewer with exit 3 and lets staff subscribe', async () => {
    const b = await withBilling();
    const plan = await b.plan('--name', 'Basic', '--price', '15', '--interval', 'month');
    const customer = await b.customer();
    const args = ['subscription', 'create', '--customer', customer.id, '--plan', plan.id, '--start', '2026-03-01'];
    expect(await b.refused(args, await b.as('viewer'))).toMatchObject({ code: 3, error: { code: 'forbidden' } });
    expect((await b.human(args, await b.as('staff'))).code).toBe(0);
  });
});

describe('recurra subscription change and preview-change (spec 6)', () => {
  it('preview-change in a trial shows the first invoice, when the trial ends, with the change applied', async () => {
    const b = await withBilling();
    const basic = await b.plan('--name', 'Basic', '--price', '15', '--interval', 'month', '--trial-days', '14');
    const pro = await b.plan('--name', 'Pro', '--price', '40', '--interval', 'month');
    const subscription = await b.subscribe((await b.customer()).id, basic.id, '2026-03-10');
    const args = ['subscription', 'preview-change', subscription.id, '--plan', pro.id, '--quantity', '2', '--on', '2026-03-15'];
    const { preview } = await b.json<{ preview: { trialEndsOn: string; nextInvoice: { issueDate: string; total: number } } }>(args);
    expect(preview).toMatchObject({ trialEndsOn: '2026-03-24', nextInvoice: { issueDate: '2026-03-24', total: 8000 } });
    const human = (await b.human(args)).stdout;
    expect(human).toMatch(/\nFirst invoice, when the trial ends \(2026-03-24\):\n/);
    expect(human).not.toMatch(/Nothing is invoiced/);
  });

  it('preview-change shows the proration lines and the next invoice without changing anything', async () => {
    const b = await withBilling();
    const { subscription, pro } = await thirtyDollarSubscription(b);
    const args = ['subscription', 'preview-change', subscription.id, '--plan', pro.id, '--on', '2026-03-11'];
    const { preview } = await b.json<{ preview: Preview }>(args);
    expect(preview).toMatchObject({ effectiveOn: '2026-03-11', invoiceNow: null, currency: 'USD', nextInvoice: { issueDate: '2026-04-01', total: 8033 } });
    expect(preview.prorationLines.map((l) => [l.kind, l.amount])).toEqual([['proration', -2032], ['proration', 4065]]);
    const human = (await b.human(args)).stdout;
    expect(human).toMatch(/^Preview \(nothing is changed\)\.\nTakes effect on 2026-03-11\.\n/);
    expect(human).toMatch(/Unused time on Basic \(2026-03-11 to 2026-03-31\): +-\$20\.32\n/);
    expect(human).toMatch(/Remaining time on Pro \(2026-03-11 to 2026-03-31\): +\$40\.65\n/);
    expect(human).toMatch(/Next invoice \(2026-04-01\):\n/);
    expect(human).toMatch(/Total: +\$80\.33\n/);
    expect((await b.json<{ subscription: Subscription }>(['subscription', 'show', subscription.id])).subscription.planName).toBe('Basic');
  });

  it('prorate (the default): {subscription, invoice: null}; the 04-01 invoice is 6000 + 4065 - 2032 = 8033', async () => {
    const b = await withBilling();
    const { subscription, pro } = await thirtyDollarSubscription(b);
    const changed = await b.json<{ subscription: Subscription; invoice: Invoice | null }>(['subscription', 'change', subscription.id, '--plan', pro.id, '--on', '2026-03-11']);
    expect(changed).toEqual({ subscription: expect.objectContaining({ id: subscription.id, planId: pro.id, status: 'active' }), invoice: null });
    await b.run('2026-04-01');
    const [april] = await b.invoices('--from', '2026-04-01');
    expect(april!.lines.map((l) => [l.kind, l.amount])).toEqual([['recurring', 6000], ['proration', -2032], ['proration', 4065]]);
    expect(april!.total).toBe(8033);
  });

  it('invoice_now: the invoice dated 03-11 holds both lines (2033) and is collected at once', async () => {
    const b = await withBilling();
    const { subscription, pro } = await thirtyDollarSubscription(b);
    const { invoice } = await b.json<{ invoice: Invoice }>(['subscription', 'change', subscription.id, '--plan', pro.id, '--on', '2026-03-11', '--mode', 'invoice_now']);
    expect(invoice).toMatchObject({ number: 'INV-000002', issueDate: '2026-03-11', total: 2033, status: 'paid', amountDue: 0 });
    expect(invoice.lines.map((l) => l.amount)).toEqual([-2032, 4065]);
  });

  it('at_period_end and a quantity change: scheduled for 04-01, said so to people', async () => {
    const b = await withBilling();
    const { subscription } = await thirtyDollarSubscription(b);
    const args = ['subscription', 'change', subscription.id, '--quantity', '3', '--on', '2026-03-11', '--mode', 'at_period_end'];
    const run = await b.human(args);
    expect(run.stdout).toMatch(/^Scheduled for 2026-04-01: Basic x 3 for Jane Doe\.\n/);
    expect(run.stdout).toMatch(/Scheduled change: +to Basic x 3 on 2026-04-01\n/);
    await b.run('2026-04-01');
    expect((await b.invoices('--from', '2026-04-01'))[0]!.total).toBe(9000);
  });

  it('tells a person where a prorated change goes', async () => {
    const b = await withBilling();
    const { subscription, pro } = await thirtyDollarSubscription(b);
    const run = await b.human(['subscription', 'change', subscription.id, '--plan', pro.id, '--on', '2026-03-11']);
    expect(run.stdout).toMatch(/^Changed the subscription of Jane Doe: now Pro\.\nProration of \$20\.33 goes on the next invoice, 2026-04-01\.\n/);
  });

  it('refuses a date outside the current period, an unknown plan, a bad mode (exit 1) and nothing to change (exit 2)', async () => {
    const b = await withBilling();
    const { subscription, pro } = await thirtyDollarSubscription(b);
    const change = (...flags: string[]) => ['subscription', 'change', subscription.id, ...flags];
    const outside = await b.refused(change('--plan', pro.id, '--on', '2026-04-05'));
    expect(outside).toMatchObject({ code: 1, error: { code: 'validation', field: 'on', message: 'The change date must be within the current period, 2026-03-01 to 2026-03-31' } });
    expect(outside.stderr).toBe('Error: --on: The change date must be within the current period, 2026-03-01 to 2026-03-31\n');
    expect(await b.refused(change('--plan', 'nope', '--on', '2026-03-11'))).toMatchObject({ code: 1, error: { code: 'not_found', field: 'planId' }, stderr: 'Error: --plan: That plan was not found\n' });
    expect(await b.refused(change('--plan', pro.id, '--on', '2026-03-11', '--mode', 'later'))).toMatchObject({
      code: 1,
      error: { code: 'validation', field: 'mode', message: 'Mode must be prorate, invoice_now or at_period_end' },
    });
    expect(await b.refused(change('--quantity', '0', '--on', '2026-03-11'))).toMatchObject({ code: 1, error: { field: 'quantity' }, stderr: 'Error: --quantity: The quantity is at least 1\n' });
    expect(await b.refused(change('--on', '2026-03-11'))).toMatchObject({ code: 2, error: { code: 'usage', message: 'Nothing to change: give --plan, --quantity or both' } });
    expect(await b.refused(['subscription', 'change', 'nope', '--plan', pro.id, '--on', '2026-03-11'])).toMatchObject({
      code: 1,
      error: { code: 'not_found', field: 'id' },
      stderr: 'Error: subscription nope: That subscription was not found\n',
    });
  });
});

describe('recurra subscription cancel, pause and resume (spec 7)', () => {
  it('cancels now; with --prorate the unused part becomes credit (2032), shown to people', async () => {
    const b = await withBilling();
    const { subscription, customer } = await thirtyDollarSubscription(b);
    const run = await b.human(['subscription', 'cancel', subscription.id, '--on', '2026-03-11', '--prorate']);
    expect(run.stdout).toMatch(/^Canceled the subscription of Jane Doe to Basic on 2026-03-11\.\nThe unused time is credited: Jane Doe's credit balance is now \$20\.32\.\n/);
    const { customer: after } = await b.json<{ customer: { creditBalance: number } }>(['customer', 'update', customer.id, '--notes', 'left']);
    expect(after.creditBalance).toBe(2032);
    const again = await b.refused(['subscription', 'cancel', subscription.id, '--on', '2026-03-12']);
    expect(again).toMatchObject({ code: 1, error: { code: 'conflict', field: 'id', message: 'This subscription is already canceled' } });
    expect(again.stderr).toBe(`Error: subscription ${subscription.id}: This subscription is already canceled\n`);
  });

  it('cancels at the period end: {subscription} active until 04-01, then canceled with no later invoice', async () => {
    const b = await withBilling();
    const { subscription } = await thirtyDollarSubscription(b);
    const { subscription: pending } = await b.json<{ subscription: Subscription }>(['subscription', 'cancel', subscription.id, '--on', '2026-03-11', '--at-period-end']);
    expect(pending).toMatchObject({ status: 'active', cancelAt: '2026-04-01', canceledAt: null, nextInvoiceDate: null });
    expect((await b.human(['subscription', 'cancel', subscription.id, '--on', '2026-03-12', '--at-period-end'])).code).toBe(0);
    await b.run('2026-05-01');
    expect((await b.invoices()).length).toBe(1);
    expect((await b.json<Subscription[]>(['subscription', 'list']))[0]).toMatchObject({ status: 'canceled', canceledAt: '2026-04-01' });
  });

  it('pauses and resumes: nothing invoiced while paused, then the first grid period on or after the resume date', async () => {
    const b = await withBilling();
    const plan = await b.plan('--name', 'Basic', '--price', '10', '--interval', 'month');
    const sub = await b.subscribe((await b.customer()).id, plan.id, '2026-01-01');
    await b.run('2026-02-01');
    const { subscription: paused } = await b.json<{ subscription: Subscription }>(['subscription', 'pause', sub.id, '--on', '2026-02-10']);
    expect(paused.status).toBe('paused');
    await b.run('2026-03-31');
    const resumed = await b.human(['subscription', 'resume', sub.id, '--on', '2026-03-15']);
    expect(resumed.stdout).toMatch(/^Resumed the subscription of Jane Doe; the next invoice is on 2026-04-01\.\n/);
    await b.run('2026-04-01');
    expect((await b.invoices()).map((i) => i.issueDate)).toEqual(['2026-04-01', '2026-02-01', '2026-01-01']);
    expect(await b.refused(['subscription', 'resume', sub.id, '--on', '2026-04-02'])).toMatchObject({ code: 1, error: { code: 'conflict', message: 'This subscription is not paused' } });
    expect(await b.refused(['subscription', 'pause', sub.id, '--on', '04/10/2026'])).toMatchObject({ code: 1, error: { field: 'on' }, stderr: 'Error: --on: Use a date like 2026-03-01\n' });
  });

  it('lets staff cancel, and refuses a viewer (3)', async () => {
    const b = await withBilling();
    const { subscription } = await thirtyDollarSubscription(b);
    expect((await b.refused(['subscription', 'pause', subscription.id, '--on', '2026-04-01'], await b.as('viewer'))).code).toBe(3);
    expect((await b.human(['subscription', 'cancel', subscription.id, '--on', '2026-03-11'], await b.as('staff'))).code).toBe(0);
  });
});

describe('recurra subscription list and show', () => {
  it('lists [subscription], filtered by status and customer, as a table for people', async () => {
    const b = await withBilling();
    const plan = await b.plan('--name', 'Basic', '--price', '10', '--interval', 'month', '--trial-days', '7');
    const jane = await b.customer('Jane Doe');
    const john = await b.customer('John Smith');
    const a = await b.subscribe(jane.id, plan.id, '2026-03-01');
    const c = await b.subscribe(john.id, plan.id, '2026-03-01', '--trial-days', '0', '--quantity', '4');
    expect((await b.json<Subscription[]>(['subscription', 'list'])).map((s) => s.id).sort()).toEqual([a.id, c.id].sort());
    expect((await b.json<Subscription[]>(['subscription', 'list', '--status', 'trialing'])).map((s) => s.id)).toEqual([a.id]);
    expect((await b.json<Subscription[]>(['subscription', 'list', '--customer', john.id])).map((s) => s.id)).toEqual([c.id]);
    expect(await b.json<Subscription[]>(['subscription', 'list', '--status', 'paused'])).toEqual([]);
    const table = (await b.human(['subscription', 'list'])).stdout;
    expect(table).toMatch(/^ID +CUSTOMER +PLAN +QTY +AMOUNT +EVERY +STATUS +NEXT INVOICE\n/);
    expect(table).toMatch(/ John Smith +Basic +4 +\$40\.00 +month +active +2026-03-01\n/);
    expect(table).toMatch(/\n2 subscriptions\.\n$/);
    expect(await b.refused(['subscription', 'list', '--status', 'gone'])).toMatchObject({
      code: 1,
      error: { code: 'validation', field: 'status', message: 'Status must be trialing, active, past_due, paused, canceled' },
    });
  });

  it('returns every subscription past the core page size of 500', async () => {
    const b = await withBilling();
    const plan = await b.plan('--name', 'Basic', '--price', '10', '--interval', 'month');
    await manySubscriptions(b, 503, plan.id);
    expect(await b.json<Subscription[]>(['subscription', 'list'])).toHaveLength(503);
  });

  it('shows one subscription with its history', async () => {
    const b = await withBilling();
    const { subscription, pro } = await thirtyDollarSubscription(b);
    await b.json(['subscription', 'change', subscription.id, '--plan', pro.id, '--on', '2026-03-11']);
    const { history, pendingItems } = await b.json<{ history: { effectiveDate: string; event: string }[]; pendingItems: { amount: number }[] }>([
      'subscription', 'show', subscription.id,
    ]);
    expect(history.map((h) => h.effectiveDate)).toEqual(['2026-03-01', '2026-03-11']);
    // The prorated change's lines wait for the next invoice.
    expect(pendingItems.map((p) => p.amount)).toEqual([-2032, 4065]);
    const human = (await b.human(['subscription', 'show', subscription.id])).stdout;
    expect(human).toMatch(/Plan: +Pro \(/);
    expect(human).toMatch(/\n\nHistory:\nDATE +EVENT +STATUS +PLAN +QTY +AMOUNT\n2026-03-01 +created +active +Basic +1 +\$30\.00\n2026-03-11 +changed +active +Pro +1 +\$60\.00\n/);
    expect(human).toMatch(/\n\nWaiting for the next invoice:\nLINE +AMOUNT\nUnused time on Basic .* +-\$20\.32\nRemaining time on Pro .* +\$40\.65\n$/);
  });
});
