import { OWNER, logIn, logOut, shot, signUpOwner } from './app-steps';
import { choose, createFlatPlan, openNav, pickSegment, rpcAs, runBillingNow, setToday, shotLightAndDark } from './billing-steps';
import { expect, test } from './fixtures';

// The billing screens against the real engine, on fixed dates: the page's clock
// is set, so "today" (run billing, default dates) is a known day, and every
// amount is the one spec/billing.md works out by hand.

test('plans, a coupon, subscriptions, a billing run, a plan change with its proration, a payment by hand and its refund', async ({ app, page }) => {
  test.slow();
  await setToday(page, '2026-03-11');
  await signUpOwner(page, app.url);

  // Plans: two flat monthly plans, and a tiered one whose example is priced as the spec's tier example.
  await openNav(page, 'Plans');
  await expect(page.getByText('No plans yet')).toBeVisible();
  await createFlatPlan(page, 'Basic', '30');
  await createFlatPlan(page, 'Pro', '60.00');
  await expect(page.getByTestId('plan-row-basic')).toContainText('$30.00 monthly');
  await expect(page.getByTestId('plan-row-pro')).toContainText('$60.00 monthly');

  await page.getByRole('button', { name: 'New plan' }).click();
  let dialog = page.getByRole('dialog', { name: 'New plan' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Team seats');
  await pickSegment(dialog, 'Graduated');
  await dialog.getByRole('textbox', { name: 'Tier 1: up to how many units' }).fill('10');
  await dialog.getByRole('textbox', { name: 'Tier 1: unit price' }).fill('5.00');
  await dialog.getByRole('textbox', { name: 'Tier 2: unit price' }).fill('4');
  await expect(dialog.getByTestId('tier-row-1')).toContainText('11 and above');
  await expect(dialog.getByTestId('tier-example-total')).toHaveText('15 units cost $70.00 monthly');
  await expect(dialog.getByTestId('tier-example')).toContainText('Units 1–10: 10 × $5.00 = $50.00');
  await expect(dialog.getByTestId('tier-example')).toContainText('Units 11–15: 5 × $4.00 = $20.00');
  await pickSegment(dialog, 'Volume');
  await expect(dialog.getByTestId('tier-example-total')).toHaveText('15 units cost $60.00 monthly');
  await dialog.getByRole('button', { name: 'Add tier' }).click();
  await dialog.getByRole('textbox', { name: 'Tier 2: up to how many units' }).fill('5');
  await dialog.getByRole('button', { name: 'Create plan' }).click();
  await expect(dialog.getByText('Tier 2: limits must increase')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Tier 2: up to how many units' }).fill('50');
  await dialog.getByRole('textbox', { name: 'Tier 2: unit price' }).fill('4.00');
  await dialog.getByRole('textbox', { name: 'Tier 3: unit price' }).fill('3.50');
  await dialog.getByRole('textbox', { name: 'Tier 1: flat fee' }).fill('10');
  await expect(dialog.getByText('Tier 2: limits must increase')).toBeHidden();
  await expect(dialog.getByTestId('tier-example-total')).toHaveText('15 units cost $60.00 monthly');
  await expect(dialog.getByTestId('tier-example')).toContainText("All 15 units at the 11–50 tier's $4.00 = $60.00");
  await shotLightAndDark(page, 'billing-plan-tiers-editor', { tall: 1250 });
  await dialog.getByRole('button', { name: 'Create plan' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('plan-row-team-seats')).toContainText('From $3.50 per unit, monthly');
  await shot(page, 'billing-plans-list');

  // A coupon: 20% off the first invoice.
  await page.getByRole('tab', { name: 'Coupons' }).click();
  await page.getByRole('button', { name: 'New coupon' }).click();
  dialog = page.getByRole('dialog', { name: 'New coupon' });
  await dialog.getByRole('textbox', { name: 'Code' }).fill('WELCOME20');
  await dialog.getByRole('textbox', { name: 'Percent off' }).fill('20');
  await dialog.getByRole('button', { name: 'Create coupon' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('coupon-row-WELCOME20')).toContainText('20% off');
  await expect(page.getByTestId('coupon-row-WELCOME20')).toContainText('First invoice only');

  // Customers come from the customers feature; here they are made through the contract.
  await rpcAs(page, 'customers.create', { name: 'Carla Card', email: 'carla@example.com', paymentMethod: 'card' });
  await rpcAs(page, 'customers.create', { name: 'Hank Hand', email: 'hank@example.com', paymentMethod: 'manual' });

  // Carla on Basic from March 1; Hank on Basic from March 10 with a 14-day trial and the coupon.
  await openNav(page, 'Subscriptions');
  await page.getByRole('button', { name: 'New subscription' }).click();
  dialog = page.getByRole('dialog', { name: 'New subscription' });
  await dialog.getByRole('combobox', { name: 'Customer' }).fill('carla');
  await page.getByRole('option', { name: /Carla Card/ }).click();
  await choose(page, dialog, 'Plan', 'Basic');
  await expect(dialog.getByRole('textbox', { name: 'Start date' })).toHaveValue('2026-03-11');
  await dialog.getByRole('textbox', { name: 'Start date' }).fill('2026-03-01');
  await expect(dialog.getByTestId('first-invoice-hint')).toContainText('First invoice on Mar 1, 2026: $30.00');
  await dialog.getByRole('button', { name: 'Create subscription' }).click();
  await expect(page.getByRole('heading', { name: 'Carla Card' })).toBeVisible();
  await expect(page.getByTestId('subscription-summary')).toHaveText('Basic · $30.00 monthly');

  await openNav(page, 'Subscriptions');
  await page.getByRole('button', { name: 'New subscription' }).click();
  dialog = page.getByRole('dialog', { name: 'New subscription' });
  await dialog.getByRole('combobox', { name: 'Customer' }).fill('hank');
  await page.getByRole('option', { name: /Hank Hand/ }).click();
  await choose(page, dialog, 'Plan', 'Basic');
  await dialog.getByRole('textbox', { name: 'Start date' }).fill('2026-03-10');
  await choose(page, dialog, 'Coupon', 'WELCOME20');
  await dialog.getByRole('textbox', { name: 'Trial days' }).fill('14');
  await expect(dialog.getByTestId('first-invoice-hint')).toContainText('Free trial until Mar 24, 2026');
  await expect(dialog.getByTestId('first-invoice-hint')).toContainText('First invoice on Mar 24, 2026: $30.00');
  await shot(page, 'billing-subscription-create');
  await dialog.getByRole('button', { name: 'Create subscription' }).click();
  await expect(page.getByRole('heading', { name: 'Hank Hand' })).toBeVisible();
  await expect(page.getByTestId('sub-trial-end')).toContainText('Mar 24, 2026');
  await expect(page.getByTestId('sub-next-invoice')).toContainText('Mar 24, 2026');
  await shot(page, 'billing-subscription-page-trial');

  await openNav(page, 'Subscriptions');
  await expect(page.getByTestId('subscription-row')).toHaveCount(2);
  await pickSegment(page, 'Trialing');
  await expect(page.getByTestId('subscription-row')).toHaveCount(1);
  await expect(page.getByTestId('subscription-row')).toContainText('Hank Hand');

  // Basic now has subscriptions: its price is fixed (and the form says why), its description is not.
  await openNav(page, 'Plans');
  await expect(page.getByTestId('plan-row-basic')).toContainText('2');
  await page.getByRole('button', { name: 'Actions for Basic' }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  dialog = page.getByRole('dialog', { name: 'Edit Basic' });
  await expect(dialog.getByTestId('plan-locked')).toContainText('2 subscriptions were billed on this plan');
  await expect(dialog.getByRole('textbox', { name: 'Price per unit' })).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Description' }).fill('Two classes a week');
  await dialog.getByRole('button', { name: 'Save plan' }).click();
  await expect(dialog).toBeHidden();
  // Team seats was never used: archived it leaves the list, and the owner can delete it.
  await page.getByRole('button', { name: 'Actions for Team seats' }).click();
  await page.getByRole('menuitem', { name: 'Archive' }).click();
  await expect(page.getByTestId('plan-row-team-seats')).toBeHidden();
  await page.getByRole('switch', { name: 'Show archived' }).click({ force: true });
  await expect(page.getByTestId('plan-row-team-seats')).toContainText('Archived');
  await page.getByRole('button', { name: 'Actions for Team seats' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete Team seats?' }).getByRole('button', { name: 'Delete plan' }).click();
  await expect(page.getByTestId('plan-row-team-seats')).toBeHidden();
  await expect(page.getByTestId('plan-row-basic')).toBeVisible();

  // Run billing as of today (Mar 11): Carla's March invoice, paid by card; Hank is in his trial.
  // The run's answer is held back a moment so the progress main pushes meanwhile can be seen.
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/rpc', async (route) => {
    if ((route.request().postDataJSON() as { method?: string } | null)?.method !== 'billing.run') return route.fallback();
    const response = await route.fetch();
    await released;
    await route.fulfill({ response });
  });
  const popover = await runBillingNow(page);
  await expect(popover.getByTestId('billing-run-result')).toContainText(/Billing up to Mar 11, 2026… \d+ steps? done/);
  await expect(popover.getByRole('button', { name: 'Run billing now' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Billing', exact: true })).toHaveAttribute('aria-busy', 'true');
  await shotLightAndDark(page, 'billing-run-progress');
  release();
  await expect(popover.getByTestId('billing-run-result')).toContainText('Billed up to Mar 11, 2026');
  await page.unrouteAll({ behavior: 'wait' });
  await expect(popover.getByTestId('billing-run-result')).toContainText('1 invoice issued · 1 payment collected');
  await expect(popover.getByTestId('billing-status')).toContainText('(up to Mar 11, 2026) — 1 invoice issued');
  await shotLightAndDark(page, 'billing-run-result');
  await page.keyboard.press('Escape');

  await openNav(page, 'Invoices');
  await expect(page.getByTestId('invoice-row-INV-000001')).toContainText('Carla Card');
  await page.getByRole('link', { name: 'INV-000001' }).click();
  await expect(page.getByRole('heading', { name: 'Invoice INV-000001' })).toBeVisible();
  await expect(page.getByTestId('invoice-period')).toHaveText('Mar 1 – 31, 2026');
  await expect(page.getByTestId('invoice-line')).toHaveCount(1);
  await expect(page.getByTestId('invoice-line')).toContainText('Basic');
  await expect(page.getByTestId('totals-total')).toHaveText('$30.00');
  await expect(page.getByTestId('totals-amount-due')).toHaveText('$0.00');
  await expect(page.getByTestId('invoice-payments')).toContainText('Succeeded');
  // Charged by the billing run, not taken by hand.
  await expect(page.getByTestId('invoice-payments')).toContainText('Card (automatic)');
  await expect(page.getByTestId('invoice-payments')).not.toContainText('by hand');

  // Carla upgrades to Pro on Mar 11 (spec 6): credit -round(2032.26), charge round(4064.52), next invoice 8033.
  await page.getByRole('link', { name: 'Subscription period' }).click();
  await page.getByRole('button', { name: 'Change plan or quantity' }).click();
  dialog = page.getByRole('dialog', { name: "Change Carla Card's subscription" });
  await choose(page, dialog, 'Plan', 'Pro');
  const preview = dialog.getByTestId('change-preview');
  // The period reads as dates people use, beside the line (not the ISO dates billing wrote into its description).
  await expect(preview.getByTestId('proration-lines')).toContainText('Unused time on Basic');
  await expect(preview.getByTestId('proration-lines').getByRole('row').first()).toContainText('Mar 11 – 31, 2026');
  await expect(preview.getByTestId('proration-lines')).not.toContainText('2026-03-11');
  await expect(preview.getByTestId('proration-lines')).toContainText('-$20.32');
  await expect(preview.getByTestId('proration-lines')).toContainText('Remaining time on Pro');
  await expect(preview.getByTestId('proration-lines')).toContainText('$40.65');
  const next = preview.getByTestId('preview-next-invoice');
  await expect(next).toContainText('Dated Apr 1, 2026');
  await expect(next.getByTestId('totals-total')).toHaveText('$80.33');
  const previewLines = await next.getByTestId('invoice-line').allInnerTexts();
  expect(previewLines).toHaveLength(3);
  await shotLightAndDark(page, 'billing-subscription-change-preview', { tall: 1350 });
  await dialog.getByRole('radio', { name: 'At period end' }).check();
  await expect(preview.getByTestId('proration-lines')).toHaveCount(0);
  await expect(next.getByTestId('totals-total')).toHaveText('$60.00');
  await dialog.getByRole('radio', { name: 'Prorate' }).check();
  await expect(next.getByTestId('totals-total')).toHaveText('$80.33');
  await dialog.getByRole('button', { name: 'Make the change' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('subscription-summary')).toHaveText('Pro · $60.00 monthly');
  await expect(page.getByTestId('subscription-history')).toContainText('Plan or quantity changed');
  // The proration waits for April's invoice, and the page lists it.
  const pending = page.getByTestId('subscription-pending-items');
  await expect(pending.locator('tbody tr')).toHaveCount(2);
  await expect(pending.locator('tbody tr').nth(0)).toContainText('Unused time on Basic');
  await expect(pending.locator('tbody tr').nth(0)).toContainText('-$20.32');
  await expect(pending.locator('tbody tr').nth(1)).toContainText('Remaining time on Pro');
  await expect(pending.locator('tbody tr').nth(1)).toContainText('$40.65');
  await expect(page.getByText('Added to the invoice of Apr 1, 2026: $20.33 in all.')).toBeVisible();
  await shot(page, 'billing-subscription-page-changed');

  // April 1: billing writes Hank's first invoice (Mar 24, 20% off once) and Carla's April invoice as previewed.
  await setToday(page, '2026-04-01');
  await runBillingNow(page);
  await expect(page.getByTestId('billing-popover').getByTestId('billing-run-result')).toContainText('2 invoices issued');
  await page.keyboard.press('Escape');
  await openNav(page, 'Invoices');
  await page.getByRole('link', { name: 'INV-000003' }).click();
  await expect(page.getByText('Carla Card · $80.33 · issued Apr 1, 2026')).toBeVisible();
  const written = await page.getByTestId('invoice-detail').getByTestId('invoice-line').allInnerTexts();
  expect(written).toEqual(previewLines);
  await expect(page.getByTestId('totals-total')).toHaveText('$80.33');

  await openNav(page, 'Invoices');
  await page.getByRole('searchbox', { name: 'Search invoices' }).fill('hank');
  await expect(page.getByTestId(/^invoice-row-/)).toHaveCount(1);
  await page.getByRole('searchbox', { name: 'Search invoices' }).fill('');
  await expect(page.getByTestId(/^invoice-row-/)).toHaveCount(3);
  await shot(page, 'billing-invoices-list');
  await page.getByRole('searchbox', { name: 'Search invoices' }).fill('hank');
  await expect(page.getByTestId(/^invoice-row-/)).toHaveCount(1);
  await page.getByRole('link', { name: 'INV-000002' }).click();
  await expect(page.getByTestId('invoice-issued')).toHaveText('Mar 24, 2026');
  await expect(page.getByTestId('invoice-due')).toHaveText('Apr 7, 2026');
  await expect(page.getByTestId('invoice-period')).toHaveText('Mar 24 – Apr 23, 2026');
  await expect(page.getByTestId('totals-subtotal')).toHaveText('$30.00');
  await expect(page.getByTestId('totals-discount')).toHaveText('-$6.00');
  await expect(page.getByTestId('totals-total')).toHaveText('$24.00');
  await expect(page.getByTestId('totals-amount-due')).toHaveText('$24.00');
  await shot(page, 'billing-invoice-open');

  // Hank pays by hand: $10.00 first, then the rest.
  await page.getByRole('button', { name: 'Record payment' }).click();
  dialog = page.getByRole('dialog', { name: 'Record a payment on INV-000002' });
  await expect(dialog.getByRole('textbox', { name: 'Amount' })).toHaveValue('24.00');
  await dialog.getByRole('textbox', { name: 'Amount' }).fill('25');
  await dialog.getByRole('button', { name: 'Record payment' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Amount' })).toHaveAccessibleDescription('That is more than is due ($24.00)');
  await dialog.getByRole('textbox', { name: 'Amount' }).fill('10');
  await dialog.getByRole('textbox', { name: 'Reference' }).fill('Cash at the desk');
  await choose(page, dialog, 'Method', 'Cash');
  await dialog.getByRole('button', { name: 'Record payment' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('totals-paid')).toHaveText('-$10.00');
  await expect(page.getByTestId('totals-amount-due')).toHaveText('$14.00');
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Amount' })).toHaveValue('14.00');
  await dialog.getByRole('button', { name: 'Record payment' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('totals-amount-due')).toHaveText('$0.00');
  await expect(page.getByRole('heading', { name: 'Invoice INV-000002' }).locator('..')).toContainText('Paid');
  await shotLightAndDark(page, 'billing-invoice-detail');

  // The owner refunds $4.00 of the $14.00 payment.
  await openNav(page, 'Payments');
  await page.getByRole('button', { name: 'Refund $14.00 from Hank Hand' }).click();
  dialog = page.getByRole('dialog', { name: 'Refund Hank Hand' });
  await pickSegment(dialog, 'Part of it');
  await dialog.getByRole('textbox', { name: 'Amount to refund' }).fill('4');
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Missed a class');
  await dialog.getByRole('button', { name: 'Refund' }).click();
  await expect(dialog).toBeHidden();
  const refunded = page.getByTestId('payment-row').filter({ hasText: 'Hank Hand' }).filter({ hasText: '$14.00' });
  await expect(refunded).toContainText('$4.00');
  await expect(refunded).toContainText('Partly refunded');
  // The refund is a row of its own, negative, so the list adds up to revenue.
  const refundRow = page.getByTestId('refund-row');
  await expect(refundRow).toHaveCount(1);
  await expect(refundRow).toContainText('-$4.00');
  await expect(refundRow).toContainText('Missed a class');
  await expect(refundRow.getByRole('button')).toHaveCount(0);
  await shot(page, 'billing-payments-list');
  await expect(page.getByTestId('payment-row')).toHaveCount(4);
  await page.getByRole('textbox', { name: 'From' }).fill('2026-04-01');
  await expect(page.getByTestId('payment-row')).toHaveCount(3);
  await expect(refundRow).toHaveCount(1);
  await pickSegment(page, 'Failed');
  await expect(page.getByText('No payments match')).toBeVisible();
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByTestId('payment-row')).toHaveCount(4);
  await page.getByRole('link', { name: 'INV-000002' }).first().click();
  await expect(page.getByTestId('invoice-refund')).toContainText('Missed a class');
  await expect(page.getByTestId('invoice-refund')).toContainText('-$4.00');

  // Simulate forward from Apr 1: April holds Carla's $80.33 and Hank's $30.00 (the coupon was once); then $90.00 a month.
  await openNav(page, 'Billing');
  const sim = page.getByTestId('simulate-panel');
  await expect(sim.getByTestId('simulate-table')).toContainText('Apr 2026');
  const rows = sim.getByTestId('simulate-table').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText('2$110.33');
  await expect(rows.nth(1)).toContainText('2$90.00');
  await expect(sim.getByTestId('simulate-summary')).toContainText('Next 3 months: 6 invoices, $290.33 billed');
  await expect(sim.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await shotLightAndDark(page, 'billing-simulate');
  await pickSegment(sim, '12 months');
  await expect(rows).toHaveCount(12);
  await expect(page.getByTestId('recent-runs').locator('tbody tr')).toHaveCount(2);
});

test('a viewer sees no create, pay or run buttons; staff may bill and take payments but not void, refund or delete', async ({ app, page }) => {
  test.slow();
  await setToday(page, '2026-03-11');
  await signUpOwner(page, app.url);
  const basic = await rpcAs(page, 'plans.create', { name: 'Basic', price: 3000, interval: 'month' });
  const card = await rpcAs(page, 'customers.create', { name: 'Carla Card', email: 'carla@example.com', paymentMethod: 'card' });
  const hand = await rpcAs(page, 'customers.create', { name: 'Hank Hand', email: 'hank@example.com', paymentMethod: 'manual' });
  await rpcAs(page, 'subscriptions.create', { customerId: card.id, planId: basic.id, startDate: '2026-03-01' });
  await rpcAs(page, 'subscriptions.create', { customerId: hand.id, planId: basic.id, startDate: '2026-03-01' });
  await rpcAs(page, 'billing.run', { asOf: '2026-03-11' });
  const viewer = { name: 'Vera Viewer', email: 'vera@example.com', password: 'viewer password 1', role: 'viewer' as const };
  const staff = { name: 'Sam Staff', email: 'sam@example.com', password: 'staff password 1', role: 'staff' as const };
  await rpcAs(page, 'users.create', viewer);
  await rpcAs(page, 'users.create', staff);
  const open = (await rpcAs(page, 'invoices.list', { status: 'open' })).rows[0]!;
  const paid = (await rpcAs(page, 'invoices.list', { status: 'paid' })).rows[0]!;

  // The viewer reads everything and changes nothing.
  await logOut(page);
  await logIn(page, viewer.email, viewer.password);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await openNav(page, 'Plans');
  await expect(page.getByTestId('plan-row-basic')).toBeVisible();
  await expect(page.getByRole('button', { name: 'New plan' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Actions for Basic' })).toHaveCount(0);
  await openNav(page, 'Subscriptions');
  await expect(page.getByTestId('subscription-row')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'New subscription' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Carla Card' }).click();
  await expect(page.getByTestId('sub-current-period')).toContainText('Mar 1 – 31, 2026');
  await expect(page.getByRole('button', { name: 'Change plan or quantity' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'More' })).toHaveCount(0);
  await page.goto(`${app.url}#/invoices/${open.id}`);
  await expect(page.getByRole('heading', { name: `Invoice ${open.number}` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Record payment' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Void' })).toHaveCount(0);
  // Anyone may download the PDF; in the browser host it arrives as a download.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'PDF' }).click();
  expect((await download).suggestedFilename()).toBe(`${open.number}.pdf`);
  await page.getByRole('button', { name: 'Billing', exact: true }).click();
  await expect(page.getByTestId('billing-popover').getByTestId('billing-status')).toContainText('(up to Mar 11, 2026) — 2 invoices issued');
  await expect(page.getByTestId('billing-popover').getByRole('button', { name: 'Run billing now' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await openNav(page, 'Payments');
  await expect(page.getByTestId('payment-row')).toHaveCount(1);
  await expect(page.getByRole('button', { name: /^Refund/ })).toHaveCount(0);
  await openNav(page, 'Billing');
  await expect(page.getByTestId('simulate-table')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run billing now' })).toHaveCount(0);

  // Staff run billing and take payments, but cannot void, refund or delete.
  await logOut(page);
  await logIn(page, staff.email, staff.password);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await openNav(page, 'Plans');
  await page.getByRole('button', { name: 'Actions for Basic' }).click();
  await expect(page.getByRole('menuitem', { name: 'Edit' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: /Delete/ })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await page.goto(`${app.url}#/invoices/${open.id}`);
  await expect(page.getByRole('button', { name: 'Record payment' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Void' })).toHaveCount(0);
  await page.goto(`${app.url}#/invoices/${paid.id}`);
  await expect(page.getByRole('heading', { name: `Invoice ${paid.number}` })).toBeVisible();
  await openNav(page, 'Payments');
  await expect(page.getByTestId('payment-row')).toHaveCount(1);
  await expect(page.getByRole('button', { name: /^Refund/ })).toHaveCount(0);
  await runBillingNow(page);
  await expect(page.getByTestId('billing-popover').getByTestId('billing-run-result')).toContainText('Billed up to Mar 11, 2026');
  await expect(page.getByTestId('billing-popover').getByTestId('billing-run-result')).toContainText('0 invoices issued');
  await page.keyboard.press('Escape');

  // The owner voids the unpaid invoice, after confirming.
  await logOut(page);
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.goto(`${app.url}#/invoices/${open.id}`);
  await page.getByRole('button', { name: 'Void' }).click();
  const confirm = page.getByRole('dialog', { name: `Void ${open.number}?` });
  await expect(confirm).toContainText('The $30.00 due from Hank Hand is canceled');
  await confirm.getByRole('button', { name: 'Void invoice' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('heading', { name: `Invoice ${open.number}` }).locator('..')).toContainText('Void');
  await expect(page.getByTestId('totals-amount-due')).toHaveText('$0.00');
  await expect(page.getByRole('button', { name: 'Record payment' })).toHaveCount(0);
});

test('cancel at period end and take it back, cancel now with a prorated credit, reactivate, pause and resume', async ({ app, page }) => {
  test.slow();
  await setToday(page, '2026-03-11');
  await signUpOwner(page, app.url);
  const basic = await rpcAs(page, 'plans.create', { name: 'Basic', price: 3000, interval: 'month' });
  const carla = await rpcAs(page, 'customers.create', { name: 'Carla Card', email: 'carla@example.com', paymentMethod: 'card' });
  const dan = await rpcAs(page, 'customers.create', { name: 'Dan Dancer', email: 'dan@example.com', paymentMethod: 'card' });
  const carlaSub = await rpcAs(page, 'subscriptions.create', { customerId: carla.id, planId: basic.id, startDate: '2026-03-01' });
  const danSub = await rpcAs(page, 'subscriptions.create', { customerId: dan.id, planId: basic.id, startDate: '2026-03-01' });
  await rpcAs(page, 'billing.run', { asOf: '2026-03-11' });

  // Cancel at the end of the period, then take it back.
  await page.goto(`${app.url}#/subscriptions/${carlaSub.id}`);
  await expect(page.getByTestId('sub-current-period')).toContainText('Mar 1 – 31, 2026');
  await page.getByRole('button', { name: 'More' }).click();
  await page.getByRole('menuitem', { name: 'Cancel subscription' }).click();
  let dialog = page.getByRole('dialog', { name: "Cancel Carla Card's subscription?" });
  await expect(dialog.getByRole('radio', { name: 'At the end of the period, Apr 1, 2026' })).toBeChecked();
  await dialog.getByRole('button', { name: 'Cancel subscription' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Cancels on Apr 1, 2026')).toBeVisible();
  await expect(page.getByTestId('sub-next-invoice')).toContainText('None');
  await page.getByRole('button', { name: 'Don’t cancel' }).click();
  await page.getByRole('dialog', { name: 'Keep this subscription?' }).getByRole('button', { name: 'Don’t cancel' }).click();
  await expect(page.getByText('Cancels on Apr 1, 2026')).toBeHidden();
  await expect(page.getByTestId('sub-next-invoice')).toContainText('Apr 1, 2026');

  // Cancel now, on Mar 11, with the unused 21 of 31 days credited: round(3000 x 21 / 31) = 2032.
  await page.getByRole('button', { name: 'More' }).click();
  await page.getByRole('menuitem', { name: 'Cancel subscription' }).click();
  dialog = page.getByRole('dialog', { name: "Cancel Carla Card's subscription?" });
  await dialog.getByRole('radio', { name: 'Now' }).check();
  await expect(dialog.getByRole('textbox', { name: 'Cancel on' })).toHaveValue('2026-03-11');
  await dialog.getByRole('checkbox', { name: 'Credit the unused part of the period' }).check();
  await expect(dialog).toContainText("$20.32 goes to Carla Card's credit balance");
  await dialog.getByRole('button', { name: 'Cancel subscription' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Carla Card' }).locator('../..')).toContainText('Canceled');
  await expect(page.getByTestId('sub-canceled-on')).toContainText('Mar 11, 2026');
  const credited = await rpcAs(page, 'customers.get', { id: carla.id });
  expect(credited.customer.creditBalance).toBe(2032);

  // Reactivate on Mar 20: a new first period from that day.
  await page.getByRole('button', { name: 'Reactivate' }).click();
  dialog = page.getByRole('dialog', { name: "Reactivate Carla Card's subscription" });
  await dialog.getByRole('textbox', { name: 'Start again on' }).fill('2026-03-05');
  await dialog.getByRole('button', { name: 'Reactivate' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Start again on' })).toHaveAccessibleDescription('Start again on or after the cancellation, 2026-03-11');
  await dialog.getByRole('textbox', { name: 'Start again on' }).fill('2026-03-20');
  // The refusal goes as the date changes: the form has taken the new date before it is sent.
  await expect(dialog.getByRole('textbox', { name: 'Start again on' })).toHaveAccessibleDescription('');
  await dialog.getByRole('button', { name: 'Reactivate' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('sub-next-invoice')).toContainText('Mar 20, 2026');
  await expect(page.getByTestId('subscription-history')).toContainText('Reactivated');

  // Pause Dan from Mar 15 and resume on Apr 10: the next invoice is the first period of the old grid on or after it, May 1.
  await page.goto(`${app.url}#/subscriptions/${danSub.id}`);
  await page.getByRole('button', { name: 'More' }).click();
  await page.getByRole('menuitem', { name: 'Pause' }).click();
  dialog = page.getByRole('dialog', { name: "Pause Dan Dancer's subscription" });
  await dialog.getByRole('textbox', { name: 'Pause from' }).fill('2026-03-15');
  await dialog.getByRole('button', { name: 'Pause' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Paused from Mar 15, 2026')).toBeVisible();
  await page.getByRole('button', { name: 'Resume' }).click();
  dialog = page.getByRole('dialog', { name: "Resume Dan Dancer's subscription" });
  await dialog.getByRole('textbox', { name: 'Resume on' }).fill('2026-04-10');
  await dialog.getByRole('button', { name: 'Resume' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('sub-next-invoice')).toContainText('May 1, 2026');
  await expect(page.getByTestId('subscription-history')).toContainText('Resumed');
});
