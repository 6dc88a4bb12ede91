import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Locator, Page } from '@playwright/test';
import { logIn, saveRecoveryKey, shot } from './app-steps';
import { rpcAs, setToday, shotLightAndDark } from './billing-steps';
import { expect, SCREENSHOTS_DIR } from './fixtures';
import { OWNER, seedHistory, test, TODAY } from './metrics-steps';

// The dashboard, the Reports page and Settings → Data against a business with
// a known history (metrics-steps.ts), on a fixed "today" (2026-04-10). Every
// figure below is worked out by hand from spec/billing.md section 8:
//
// - MRR on 04-10: Ann + Ben (active) + Dan (past_due still counts) = 3 × 3000 = 9000 → $90.00; ARR 12 × 9000 = $1,080.00.
// - Active subscribers: 3 (Cat canceled on 03-15).
// - April: MRR at the start (end of 03-31) 6000 (Ann, Ben); Dan is new (+3000); nobody churned:
//   churn rate 0 of 2 = 0.00%. March: 1 of 3 churned (Cat) = 33.33%; net MRR churn 3000 / 9000 = 33.33%.
// - Revenue: April 6000 (Ann and Ben paid on 04-01; Dan's card declined); March 9000 (three payments).
// - ARPA 9000 / 3 = 3000 both months. LTV divides by the churn of the 12 months ending with the month:
//   April 1 churned of 3 + 3 + 2 paying at the starts of Feb, Mar, Apr = 12.50% → 3000 / 12.50% = 24000;
//   March 1 of 3 + 3 = 16.67% → round(3000 / 16.67%) = 17996.
// - Revenue this month (04-01 to 04-10) 6000 against the same days of March (03-01 to 03-10) 9000.
// - Failed payments: Dan's INV-000012, $30.00 due, 3 tries (04-05, 04-08, 04-10), next 04-12; $30.00 MRR at risk.
// - AR aging on 04-10: Dan's invoice was due 04-05 (card: due on issue): 5 days late → 1–30 days, $30.00.

async function openDashboard(page: Page, app: { url: string }) {
  await setToday(page, TODAY);
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Log in to Sunrise Yoga' })).toBeVisible();
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 2 })).toBeVisible();
  await expect(page.getByTestId('dashboard')).toBeVisible();
}

const card = (page: Page, id: string) => page.getByTestId(`metric-${id}`);

/** Waits out a dialog's opening transition, so a screenshot shows it whole. */
async function settled(dialog: Locator) {
  await expect(dialog).toBeVisible();
  await expect.poll(() => dialog.evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
}

/** What the window shows (a drawer covers the window, not the page), light and dark. */
async function windowShotLightAndDark(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('the dashboard shows the numbers spec 8 works out, their change since last month, charts, and the customers behind them', async ({ app, page }) => {
  test.slow();
  await seedHistory(app);
  await openDashboard(page, app);

  // The same figures from the contract, as a second opinion on the hand-worked ones.
  const figures = await rpcAs(page, 'metrics.dashboard', { asOf: TODAY });
  expect(figures.summary).toMatchObject({ mrr: 9000, arr: 108000, activeSubscribers: 3, churnRate: 0, revenue: 6000, arpa: 3000, ltv: 24000, netMrrChurn: 0 });
  expect(figures.previous).toMatchObject({ mrr: 6000, activeSubscribers: 2, churnRate: 33.33, revenue: 9000, ltv: 17996, netMrrChurn: 33.33 });
  expect(figures.revenueSameDaysLastMonth).toBe(9000);

  await expect(card(page, 'mrr').getByTestId('metric-value')).toHaveText('$90.00');
  await expect(card(page, 'mrr').getByTestId('metric-change')).toHaveText('+$30.00 (+50.0%)vs $60.00 in March');
  await expect(card(page, 'mrr').getByTestId('metric-change')).toHaveAttribute('data-tone', 'good');
  await expect(card(page, 'arr').getByTestId('metric-value')).toHaveText('$1,080.00');
  await expect(card(page, 'arr').getByTestId('metric-change')).toContainText('+$360.00 (+50.0%)');
  await expect(card(page, 'active').getByTestId('metric-value')).toHaveText('3');
  await expect(card(page, 'active').getByTestId('metric-change')).toContainText('+1 (+50.0%)');
  await expect(card(page, 'churn').getByTestId('metric-value')).toHaveText('0.00%');
  // Churn going down is good news.
  await expect(card(page, 'churn').getByTestId('metric-change')).toContainText('−33.33 pts');
  await expect(card(page, 'churn').getByTestId('metric-change')).toHaveAttribute('data-tone', 'good');
  await expect(card(page, 'revenue').getByTestId('metric-value')).toHaveText('$60.00');
  await expect(card(page, 'revenue').getByTestId('metric-change')).toHaveAttribute('data-tone', 'bad');
  await expect(card(page, 'arpa').getByTestId('metric-value')).toHaveText('$30.00');
  await expect(card(page, 'arpa').getByTestId('metric-change')).toContainText('No change');
  await expect(card(page, 'revenue').getByTestId('metric-change')).toContainText('vs $90.00 in March 1–10');
  await expect(card(page, 'ltv').getByTestId('metric-value')).toHaveText('$240.00');
  await expect(card(page, 'ltv').getByTestId('metric-change')).toHaveText('+$60.04 (+33.4%)vs $179.96 in March');
  await expect(card(page, 'net-mrr-churn').getByTestId('metric-value')).toHaveText('0.00%');
  await expect(card(page, 'net-mrr-churn').getByTestId('metric-change')).toContainText('−33.33 pts');

  // The plain-words explanation of a figure.
  await page.getByRole('button', { name: 'What is Net MRR churn?' }).hover();
  await expect(page.getByRole('tooltip')).toContainText('upgrades more than made up for what was lost');
  await page.mouse.move(0, 0);

  // Charts: the first month with anything in it is Dec 2025 (the customers were added), six months shown at least: Nov 2025 to Apr 2026.
  await expect(page.getByTestId('chart-mrr').locator('svg .recharts-area-dot')).toHaveCount(6);
  await expect(page.getByTestId('chart-revenue').locator('svg .recharts-bar-rectangle path')).toHaveCount(4); // Jan, Feb, Mar, Apr
  await expect(page.getByTestId('chart-movements').locator('svg .recharts-bar-rectangle path')).toHaveCount(3); // Jan new, Mar churn, Apr new
  await expect(page.getByTestId('chart-growth').locator('svg .recharts-bar-rectangle path')).toHaveCount(2); // Dec 3 new, Apr 1 new
  await expect(page.getByTestId('chart-growth').locator('svg .recharts-line-curve')).toHaveCount(1);
  await expect(page.getByTestId('chart-mrr').locator('svg.recharts-surface')).toContainText('Nov 25');
  await expect(page.getByTestId('chart-mrr').locator('svg.recharts-surface')).toContainText('Apr 26');

  // Lists: failed payments, renewals, AR aging, the MRR bridge of April.
  const failed = page.getByTestId('failed-payments');
  await expect(failed.getByTestId('failed-payment-row')).toHaveCount(1);
  await expect(failed.getByTestId('failed-payment-row')).toContainText('INV-000012');
  await expect(failed.getByTestId('failed-payment-row')).toContainText('Dan Decline');
  await expect(failed.getByTestId('failed-payment-row')).toContainText('$30.00');
  await expect(failed.getByTestId('failed-payment-row')).toContainText('Apr 12, 2026');
  await expect(failed.getByTestId('mrr-at-risk')).toHaveText('$30.00 MRR');
  await expect(page.getByTestId('renewal-row')).toHaveCount(3);
  await expect(page.getByTestId('renewals-total')).toHaveText('$90.00');
  await expect(page.getByTestId('aging-d1to30')).toContainText('$30.00');
  await expect(page.getByTestId('aging-total')).toHaveText('$30.00');
  await expect(page.getByTestId('bridge-start')).toHaveText('$60.00');
  await expect(page.getByTestId('bridge-new')).toContainText('+$30.00');
  await expect(page.getByTestId('bridge-end')).toHaveText('$90.00');
  await shotLightAndDark(page, 'dashboard', { tall: 1900 });

  // A movement bar: March's churn lists Cat.
  // The bars of each kind are a layer of their own, in the legend's order: churn is the fifth.
  await page.getByTestId('chart-movements').locator('svg .recharts-bar').nth(4).locator('.recharts-bar-rectangle path').click();
  let drawer = page.getByRole('dialog', { name: 'Churn in Mar 2026' });
  await expect(drawer.getByTestId('movement-row')).toHaveCount(1);
  await expect(drawer.getByTestId('movement-row')).toContainText('Cat Carter');
  await expect(drawer.getByTestId('movement-row')).toContainText('−$30.00');
  await settled(drawer);
  await windowShotLightAndDark(page, 'dashboard-movements-drawer');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // As of the end of March: the churn card is March's, and a click lists the churned customer.
  await page.getByRole('textbox', { name: 'As of' }).fill('2026-03-31');
  await expect(page.getByTestId('dashboard')).toHaveAttribute('data-as-of', '2026-03-31');
  await expect(card(page, 'churn').getByTestId('metric-value')).toHaveText('33.33%');
  await expect(card(page, 'churn').getByTestId('metric-change')).toHaveAttribute('data-tone', 'bad');
  await expect(card(page, 'ltv').getByTestId('metric-value')).toHaveText('$179.96');
  await expect(card(page, 'mrr').getByTestId('metric-value')).toHaveText('$60.00');
  await expect(page.getByTestId('past-note')).toContainText('as of Mar 31, 2026');
  await card(page, 'churn').getByRole('button', { name: /^Churn rate: 33\.33%/ }).click();
  drawer = page.getByRole('dialog', { name: 'Churn in Mar 2026' });
  await expect(drawer.getByTestId('movement-row')).toHaveCount(1);
  await drawer.getByRole('link', { name: 'Cat Carter' }).click();
  await expect(page.getByRole('heading', { name: 'Cat Carter' })).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId('dashboard')).toHaveAttribute('data-as-of', '2026-03-31');
  await page.getByRole('button', { name: 'Back to today' }).click();
  await expect(page.getByTestId('dashboard')).toHaveAttribute('data-as-of', TODAY);

  // Active subscribers → the customers with a subscription.
  await card(page, 'active').getByRole('link', { name: /^Active subscribers: 3/ }).click();
  await expect(page.getByRole('heading', { name: 'Customers', level: 2 })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Subscriptions' })).toHaveValue('Subscribed');
  await expect(page.getByTestId('customer-count')).toHaveText('3 matches');
  await page.goBack();

  // A failed payment → its invoice; an AR bucket → the AR aging report as of today.
  await page.getByTestId('failed-payments').getByRole('link', { name: 'INV-000012' }).click();
  await expect(page.getByRole('heading', { name: 'Invoice INV-000012' })).toBeVisible();
  await page.goBack();
  await page.getByTestId('failed-payments').getByRole('link', { name: 'All open invoices' }).click();
  await expect(page.getByRole('heading', { name: 'Invoices', level: 2 })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Open' })).toBeChecked();
  await expect(page.getByTestId('invoice-row-INV-000012')).toBeVisible();
  await expect(page.locator('[data-testid^="invoice-row-"]')).toHaveCount(1);
  await page.goBack();
  await page.getByTestId('aging-d1to30').click();
  await expect(page.getByRole('heading', { name: 'Reports', level: 2 })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'As of' })).toHaveValue(TODAY);
  await expect(page.getByTestId('report-row')).toHaveCount(1);
  await expect(page.getByTestId('report-row')).toContainText('INV-000012');
  await expect(page.getByTestId('report-totals').locator('[data-key="d1to30"]')).toHaveText('$30.00');
  await shot(page, 'reports-ar-aging');

  // The page follows the data: Dan pays by hand (another window could have taken it), and the figures move without a reload.
  await page.getByRole('navigation').getByRole('link', { name: 'Dashboard', exact: true }).click();
  await expect(card(page, 'revenue').getByTestId('metric-value')).toHaveText('$60.00');
  await rpcAs(page, 'invoices.pay', { id: figures.failedPayments.rows[0]!.invoiceId, amount: 3000, method: 'cash', on: TODAY, reference: '' });
  await expect(card(page, 'revenue').getByTestId('metric-value')).toHaveText('$90.00');
  await expect(page.getByTestId('failed-payments')).toContainText('No failed payments');
  await expect(page.getByTestId('aging-total')).toHaveText('$0.00');
});

test('a report on screen, exported to CSV, holds the figures the dashboard shows', async ({ app, page }) => {
  test.slow();
  await seedHistory(app);
  await openDashboard(page, app);
  const revenueShown = await card(page, 'revenue').getByTestId('metric-value').innerText();
  expect(revenueShown).toBe('$60.00');

  // The Revenue card opens this month's payments.
  await card(page, 'revenue').getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Reports', level: 2 })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Report' })).toHaveValue('Payments and refunds');
  await expect(page.getByRole('radio', { name: 'This month' })).toBeChecked();
  await expect(page.getByTestId('report-row')).toHaveCount(2);
  await expect(page.getByTestId('report-totals').locator('[data-key="amount"]')).toHaveText(revenueShown);

  // Revenue by month over the last 12 months (the default range).
  await page.getByRole('combobox', { name: 'Report' }).click();
  await page.getByRole('option', { name: 'Revenue by month' }).click();
  await expect(page.getByRole('radio', { name: 'Last 12 months' })).toBeChecked();
  await expect(page.getByTestId('report-count')).toHaveText('12 rows');
  const april = page.getByTestId('report-row').filter({ hasText: 'Apr 2026' });
  await expect(april.locator('[data-key="net"]')).toHaveText(revenueShown);
  await expect(page.getByTestId('report-totals').locator('[data-key="net"]')).toHaveText('$330.00');
  await shotLightAndDark(page, 'reports-revenue', { tall: 1100 });

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('sunrise-yoga-revenue-2026-04-10.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.charCodeAt(0)).not.toBe(0xfeff);
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  expect(rows).toHaveLength(12);
  const aprilRow = rows.find((r) => r.Month === '2026-04')!;
  expect(aprilRow['Net revenue (USD)']).toBe('60.00');
  expect(`$${aprilRow['Net revenue (USD)']}`).toBe(revenueShown);
  const sumCents = rows.reduce((sum, r) => sum + Math.round(Number(r['Net revenue (USD)']) * 100), 0);
  expect(sumCents).toBe(33000);
  expect(rows.find((r) => r.Month === '2026-03')!['Net revenue (USD)']).toBe('90.00');

  // Excel-friendly: the same file with a BOM.
  await page.getByRole('checkbox', { name: 'Excel-friendly (BOM)' }).check();
  const again = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const bomCsv = fs.readFileSync(await (await again).path(), 'utf8');
  expect(bomCsv.charCodeAt(0)).toBe(0xfeff);

  // MRR movements by customer, a custom range: March's churn is Cat, April's new is Dan.
  await page.getByRole('combobox', { name: 'Report' }).click();
  await page.getByRole('option', { name: 'MRR movements by customer' }).click();
  await page.locator('label').filter({ hasText: /^Custom$/ }).click();
  await page.getByRole('textbox', { name: 'From' }).fill('2026-03-01');
  await page.getByRole('textbox', { name: 'To' }).fill('2026-04-10');
  await expect(page.getByTestId('report-row')).toHaveCount(2);
  await expect(page.getByTestId('report-row').first()).toContainText('Cat Carter');
  await expect(page.getByTestId('report-row').first()).toContainText('Churn');
  await expect(page.getByTestId('report-totals').locator('[data-key="change"]')).toHaveText('$0.00');
  await shot(page, 'reports-mrr-by-customer');
});

test('a backup downloads, and restoring it makes a second business in the picker', async ({ app, page }) => {
  test.slow();
  await seedHistory(app);
  await openDashboard(page, app);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(page.getByTestId('backup-card')).toBeVisible();
  await shotLightAndDark(page, 'settings-data');

  // Backups are encrypted with a passphrase the owner chooses (issue 16); the restore asks for it.
  await page.getByTestId('backup-card').getByLabel('Backup passphrase').fill('a backup passphrase');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Back up now' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('sunrise-yoga-backup-2026-04-10.recurra');
  const file = path.join(app.dataDir, download.suggestedFilename());
  await download.saveAs(file);
  await expect(page.getByTestId('backup-done')).toContainText(/Backup made \(\d+(\.\d)? [KM]B\)/);

  // The accountant's zip.
  const zipping = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export for my accountant' }).click();
  expect((await zipping).suggestedFilename()).toBe('sunrise-yoga-accounts-2026-04-10.zip');
  await expect(page.getByTestId('accountant-done')).toContainText('.csv');

  // Restore: a new business beside this one.
  await page.getByRole('button', { name: 'Restore from a backup…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Restore from a backup' });
  await expect(dialog).toContainText('Sunrise Yoga stays as it is');
  const choosing = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'Choose the backup file…' }).click();
  await (await choosing).setFiles(file);
  await expect(dialog.getByTestId('restore-file')).toContainText('sunrise-yoga-backup-2026-04-10.recurra');
  await dialog.getByLabel('Backup passphrase').fill('a backup passphrase');
  await settled(dialog);
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'settings-data-restore.png') });
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(dialog.getByTestId('restore-done')).toContainText('Restored as “Sunrise Yoga (restored)”');
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'settings-data-restored.png') });
  await dialog.getByRole('button', { name: 'Log out of Sunrise Yoga and open it' }).click();

  // Its people log in with the passwords of the backup; its numbers are the original's.
  await expect(page.getByRole('heading', { name: 'Log in to Sunrise Yoga (restored)' })).toBeVisible();
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page.getByTestId('dashboard')).toBeVisible();
  await expect(page.getByText('Sunrise Yoga (restored)').first()).toBeVisible();
  await expect(card(page, 'mrr').getByTestId('metric-value')).toHaveText('$90.00');

  // Both are in the picker; it offers a restore too, without a session.
  await page.getByRole('button', { name: /^Account menu for/ }).click();
  await page.getByRole('menuitem', { name: 'Switch business' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a business' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Sunrise Yoga/ })).toHaveCount(2);
  await expect(page.getByRole('button', { name: /Sunrise Yoga \(restored\)/ })).toBeVisible();
  await page.getByRole('button', { name: 'Restore from a backup' }).click();
  const fromPicker = page.getByRole('dialog', { name: 'Restore from a backup' });
  await expect(fromPicker).toContainText('the restored business appears as a separate business');
  await settled(fromPicker);
  await shot(page, 'start-picker-restore');
  await page.keyboard.press('Escape');
  await expect(fromPicker).toBeHidden();
  await shot(page, 'start-picker-two-businesses');
});

test('an empty business gets a first-run guide instead of a page of zeros', async ({ app, page }) => {
  app.clock.setDay(TODAY);
  await setToday(page, TODAY);
  await page.goto(app.url);
  await page.getByLabel('Business name').fill('Sunrise Yoga');
  await page.getByLabel('Your name').fill(OWNER.name);
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(OWNER.password);
  await page.getByLabel('Confirm password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Create business' }).click();
  await saveRecoveryKey(page);
  const guide = page.getByTestId('first-run-guide');
  await expect(guide).toContainText('Three steps to your first numbers');
  await expect(guide).toContainText('Sunrise Yoga’s revenue, subscribers and churn appear here');
  await expect(guide.getByTestId('first-run-step-1')).toHaveAttribute('data-done', 'false');
  await shotLightAndDark(page, 'dashboard-first-run');

  await rpcAs(page, 'plans.create', { name: 'Basic', price: 3000, interval: 'month' });
  await expect(guide.getByTestId('first-run-step-1')).toHaveAttribute('data-done', 'true');
  await guide.getByRole('link', { name: 'Add a customer' }).click();
  await expect(page.getByRole('heading', { name: 'Customers', level: 2 })).toBeVisible();
});
