import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Input, MethodName, Output } from '@shared/contract';
import { call, connect } from '../support/core';
import { logIn } from './app-steps';
import { setToday } from './billing-steps';
import { expect, test as plainTest, SCREENSHOTS_DIR } from './fixtures';
import { OWNER, test } from './metrics-steps';

// The shell and the details a tour of a yoga studio found: the navigation at
// 820 and 1280 px, a two-digit tab count, invoice lines and the tax rate, a
// search that finds nobody, and a first load that asks for nothing missing.
test.describe.configure({ timeout: 120_000 });

const TODAY = '2026-04-10';

/**
 * Sunrise Yoga, 8.25% tax:
 * - Mia Manual pays by hand for a weekly class pass from Jan 1: fifteen open invoices.
 * - Carl Card moves from Basic to Premium on Apr 10, invoiced at once: two proration lines with tax.
 */
async function seedStudio(app: { core: Parameters<typeof call>[0]; clock: { setDay(d: string): void } }) {
  const conn = connect();
  const rpc = <M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> => call(app.core, conn, method, input);
  app.clock.setDay('2025-12-20');
  await rpc('business.signUp', { businessName: 'Sunrise Yoga', currency: 'USD', timezone: 'UTC', ownerName: OWNER.name, ownerEmail: OWNER.email, password: OWNER.password });
  await rpc('business.update', { taxRate: '8.25' });
  const pass = await rpc('plans.create', { name: 'Class pass', price: 2500, interval: 'week' });
  const basic = await rpc('plans.create', { name: 'Basic', price: 3000, interval: 'month' });
  const premium = await rpc('plans.create', { name: 'Premium', price: 6000, interval: 'month' });
  const mia = await rpc('customers.create', { name: 'Mia Manual', email: 'mia@example.com', paymentMethod: 'manual' });
  await rpc('subscriptions.create', { customerId: mia.id, planId: pass.id, startDate: '2026-01-01' });
  const carl = await rpc('customers.create', { name: 'Carl Card', email: 'carl@example.com', paymentMethod: 'card' });
  const sub = await rpc('subscriptions.create', { customerId: carl.id, planId: basic.id, startDate: '2026-04-01' });
  app.clock.setDay(TODAY);
  await rpc('billing.run', { asOf: TODAY });
  const changed = await rpc('subscriptions.change', { id: sub.id, planId: premium.id, on: TODAY, mode: 'invoice_now' });
  // A refund with a reference, so the Payments table has every kind of row.
  const { rows: payments } = await rpc('payments.list', { customerId: carl.id });
  await rpc('payments.refund', { id: payments.find((p) => p.kind === 'payment' && p.status === 'succeeded')!.id, amount: 500, on: TODAY, reason: 'Class missed' });
  await rpc('auth.logout', {});
  return { mia, carl, changeInvoice: changed.invoice! };
}

async function openApp(page: Page, url: string) {
  await setToday(page, TODAY);
  await page.goto(url);
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 2 })).toBeVisible();
}

/** The window as it is, light and dark. */
async function windowShots(page: Page, name: string) {
  await page.addStyleTag({ content: '.mantine-Notifications-root { display: none !important; }' });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const navbar = (page: Page) => page.getByRole('navigation');

/** Goes to a route of the app, as a link would (no reload). */
async function go(page: Page, route: string) {
  await page.evaluate((hash) => (window.location.hash = hash), `#${route}`);
}

plainTest('the first load asks for nothing that is missing, the favicon included', async ({ page, app }) => {
  const failed: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => failed.push(`failed ${request.url()}`));
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Recurra' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  // Headless Chromium does not fetch icons itself: ask for the one the page names, as a browser tab would.
  const icon = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(icon).toBeTruthy();
  const response = await page.request.get(new URL(icon!, page.url()).toString());
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('image/svg+xml');
  expect(await response.text()).toContain('<svg');
  // What a browser asks for when a page names no icon is not needed, but must not be an error page either way.
  expect(failed).toEqual([]);
});

test('at 820 px the navigation is a rail of icons with tooltips; at 1280 px a sidebar with names', async ({ page, app }) => {
  await seedStudio(app);
  await page.setViewportSize({ width: 820, height: 800 });
  await openApp(page, app.url);

  const customers = navbar(page).getByRole('link', { name: 'Customers', exact: true });
  await expect(customers).toBeVisible();
  const narrow = (await navbar(page).boundingBox())!;
  expect(narrow.width).toBeLessThan(80);
  // The page gets the room: the main area starts right after the rail.
  expect((await page.getByRole('main').boundingBox())!.x).toBeLessThan(80);
  await customers.hover();
  await expect(page.getByRole('tooltip', { name: 'Customers' })).toBeVisible();
  await windowShots(page, 'shell-820-dashboard');
  await customers.click();
  await expect(page.getByRole('heading', { name: 'Customers', level: 2 })).toBeVisible();
  await expect(customers).toHaveAttribute('aria-current', 'page');
  // A click closes the tooltip, though the pointer is still on the icon; it comes back on the next hover.
  await expect(page.getByRole('tooltip')).toHaveCount(0);
  await page.mouse.move(500, 400);
  await expect(page.getByRole('tooltip')).toHaveCount(0);
  await navbar(page).getByRole('link', { name: 'Invoices', exact: true }).hover();
  await expect(page.getByRole('tooltip', { name: 'Invoices' })).toBeVisible();
  await page.mouse.move(500, 400);
  await expect(page.getByRole('tooltip')).toHaveCount(0);
  await windowShots(page, 'shell-820-customers');

  // Every page fits the window: nothing is pushed out sideways.
  for (const name of ['Dashboard', 'Customers', 'Plans', 'Subscriptions', 'Invoices', 'Payments', 'Billing', 'Reports', 'Settings']) {
    await navbar(page).getByRole('link', { name, exact: true }).click();
    await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), name).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `shell-820-page-${name.toLowerCase()}.png`) });
  }

  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(navbar(page).getByText('Customers', { exact: true })).toBeVisible();
  expect((await navbar(page).boundingBox())!.width).toBeGreaterThan(200);
  await customers.hover();
  await expect(page.getByRole('tooltip')).toHaveCount(0);

  // Below 768 px the navigation hides behind the burger.
  await page.setViewportSize({ width: 600, height: 800 });
  await expect(navbar(page).getByRole('link', { name: 'Customers', exact: true })).not.toBeInViewport();
  await page.getByRole('button', { name: 'Open navigation' }).click();
  await navbar(page).getByRole('link', { name: 'Invoices', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Invoices', level: 2 })).toBeVisible();
});

test('a two-digit tab count shows whole; invoice lines read as dates and the tax line names its rate; a search for nobody says so once', async ({ page, app }) => {
  const { mia, changeInvoice } = await seedStudio(app);
  for (const width of [1280, 820]) {
    await page.setViewportSize({ width, height: 800 });
    if (width === 1280) await openApp(page, app.url);
    else await go(page, '/dashboard');

    // Mia's fifteen open invoices: "15" in the tab, not "1." cut by a round badge.
    await go(page, `/customers/${mia.id}`);
    const tab = page.getByRole('tab', { name: /Invoices/ });
    const badge = tab.getByTestId('count-badge');
    await expect(badge).toHaveText('15');
    const fits = await badge.evaluate((el) => [...el.querySelectorAll('*'), el].every((e) => e.scrollWidth <= e.clientWidth + 0.5));
    expect(fits).toBe(true);
    await windowShots(page, `polish-${width}-customer-tabs`);

    // Carl's change invoice: proration lines with their period formatted, and "Tax (8.25%)".
    await go(page, `/invoices/${changeInvoice.id}`);
    await expect(page.getByRole('heading', { name: `Invoice ${changeInvoice.number}` })).toBeVisible();
    const lines = page.getByTestId('invoice-line');
    await expect(lines.first()).toContainText('Unused time on Basic');
    await expect(lines.first()).toContainText('Apr 10 – 30, 2026');
    await expect(page.getByTestId('invoice-detail')).not.toContainText('2026-04-');
    await expect(page.getByTestId('invoice-detail').locator('dt', { hasText: 'Tax' })).toHaveText('Tax (8.25%)');
    await windowShots(page, `polish-${width}-invoice`);

    // Payments: every column readable, nothing cut or wrapped, no sideways scroll (the narrow
    // window stacks the invoice under the customer and drops the fixed width of the status).
    await go(page, '/payments');
    await expect(page.getByTestId('refund-row')).toHaveCount(1);
    await expect(page.getByTestId('payment-row')).not.toHaveCount(0);
    const table = page.getByRole('table').filter({ has: page.getByTestId('payment-row') });
    const layout = await table.evaluate((el) => {
      let scroller = el.parentElement!;
      while (!['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX) && scroller.parentElement) scroller = scroller.parentElement;
      const cut = [...el.querySelectorAll('th, td, td *')].filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent);
      // A cell's first line (a name, an amount, a method) stays on one line; a reference under it may wrap.
      const wrapped = [...el.querySelectorAll('td > :first-child, td > :first-child > a')]
        .filter((e) => e.textContent?.trim() && (e as HTMLElement).offsetHeight > Number(getComputedStyle(e).lineHeight.replace('px', '')) * 1.5)
        .map((e) => e.textContent);
      return { sideways: scroller.scrollWidth - scroller.clientWidth, cut, wrapped };
    });
    expect(layout).toEqual({ sideways: 0, cut: [], wrapped: [] });
    await expect(table).toContainText(changeInvoice.number);
    await expect(table).toContainText('Class missed');
    await windowShots(page, `polish-${width}-payments`);

    // A search that finds nobody: one message, and the way back.
    await go(page, '/customers');
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('zzqx');
    await expect(page.getByText('No customers match “zzqx”')).toBeVisible();
    await expect(page.getByText('No exact matches, showing close matches')).toHaveCount(0);
    await expect(page.getByTestId('customer-count')).toHaveCount(0);
    await windowShots(page, `polish-${width}-no-match`);
    await page.getByRole('button', { name: 'Clear search' }).click();
    await expect(page.getByTestId('customer-count')).toHaveText('2 customers');
  }
});
