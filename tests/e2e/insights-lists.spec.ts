import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { CHURN_BOOK_AS_OF, seedChurnBook } from '../../bench/insights-churn-data';
import { SEED_AS_OF, seedInsightsSales } from '../../bench/insights-sales-seed';
import type { Core } from '../../src-main/core/core';
import { call, connect } from '../support/core';
import { logIn } from './app-steps';
import { setToday } from './billing-steps';
import { expect, SCREENSHOTS_DIR } from './fixtures';
import { OWNER, test } from './metrics-steps';

// The insights as lists, in a real browser: the Risk column and the "At risk" view in Customers
// (a business with a known churn truth), best sellers, demand and unusual days on Sales, the revenue
// forecast with its band in Reports (a business with three years of sales), each with an Export button.
// Screenshots light and dark into tests/artifacts/screenshots/insights-lists-*.

async function business(app: { core: Core }, name: string) {
  const { business } = await call(app.core, connect(), 'business.signUp', {
    businessName: name,
    currency: 'USD',
    timezone: 'UTC',
    ownerName: OWNER.name,
    ownerEmail: OWNER.email,
    password: OWNER.password,
  });
  return business.id;
}

async function open(page: Page, url: string, today: string, name: string) {
  await setToday(page, today);
  await page.goto(url);
  await expect(page.getByRole('heading', { name: `Log in to ${name}` })).toBeVisible();
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 2 })).toBeVisible();
}

async function lightAndDark(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `insights-lists-${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('customers: a sortable risk column and the built-in "At risk" view, with what the score means', async ({ app, page }) => {
  test.slow();
  app.clock.setDay(CHURN_BOOK_AS_OF);
  const id = await business(app, 'Risky Gym');
  seedChurnBook(app.core.businesses.get(id).sqlite, 300);
  const churn = await call(app.core, await (async () => {
    const conn = connect();
    await call(app.core, conn, 'auth.login', { businessId: id, email: OWNER.email, password: OWNER.password });
    return conn;
  })(), 'insights.churn', {});
  expect(churn.ready).toBe(true);
  const riskiest = churn.customers[0]!;
  const atRisk = churn.customers.filter((c) => c.band !== 'low').length;

  await open(page, app.url, CHURN_BOOK_AS_OF, 'Risky Gym');
  await page.getByRole('navigation').getByRole('link', { name: 'Customers', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: 'Risk' })).toBeVisible();
  await expect(page.getByTestId('risk-cell').first()).not.toBeEmpty();

  await page.getByRole('button', { name: 'Saved views' }).click();
  await page.getByRole('menuitem', { name: 'At risk' }).click();
  await expect(page.getByRole('button', { name: 'Saved views: showing At risk' })).toBeVisible();
  await expect(page.getByTestId('customer-count')).toHaveText(`${atRisk} ${atRisk === 1 ? 'match' : 'matches'}`);
  await expect(page.getByRole('columnheader', { name: 'Risk' })).toHaveAttribute('aria-sort', 'descending');
  const first = page.getByTestId('customer-row').first();
  await expect(first).toContainText(riskiest.name);
  await expect(first.getByTestId('risk-cell')).toHaveText(`${riskiest.band === 'high' ? 'High' : 'Medium'} · ${riskiest.score}`);
  await expect(first.getByTestId('risk-cell')).toHaveAttribute('title', new RegExp(`^${riskiest.score} % chance of cancelling everything within 90 days`));
  await expect(page.getByTestId('risk-notice')).toContainText('chance, in percent, that a customer cancels everything in the next 90 days');
  await expect(page.getByTestId('risk-notice')).toContainText(churn.model!.bands.text);
  await lightAndDark(page, 'customers-at-risk');

  // The churn list as CSV: one row per paying customer, riskiest first.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export churn risk as CSV' }).click();
  const lines = fs.readFileSync(await (await download).path(), 'utf8').trim().split(/\r\n/);
  expect(lines).toHaveLength(churn.customers.length + 1);
  expect(lines[1]).toContain(riskiest.customerId);

  // Sorting the other way puts the safest first.
  await page.getByRole('columnheader', { name: 'Risk' }).getByRole('button').click();
  await expect(page.getByRole('columnheader', { name: 'Risk' })).toHaveAttribute('aria-sort', 'ascending');
});

test('sales: best sellers, demand with its band, unusual days on the chart; reports: the forecast band and its backtest in words; CSV export', async ({ app, page }) => {
  test.slow();
  app.clock.setDay(SEED_AS_OF);
  const id = await business(app, 'Corner Shop');
  seedInsightsSales(app.core.businesses.get(id).sqlite);
  const conn = connect();
  await call(app.core, conn, 'auth.login', { businessId: id, email: OWNER.email, password: OWNER.password });
  const products = await call(app.core, conn, 'insights.products', {});
  const anomalies = await call(app.core, conn, 'insights.anomalies', {});
  const forecast = await call(app.core, conn, 'insights.forecast', { months: 6 });
  expect(products.ready && anomalies.ready && forecast.ready).toBe(true);

  await open(page, app.url, SEED_AS_OF, 'Corner Shop');
  await page.getByRole('navigation').getByRole('link', { name: 'Sales', exact: true }).click();
  await page.getByRole('tab', { name: 'Best sellers' }).click();
  const top = products.bestSellers.find((b) => b.rankByRevenue === 1)!;
  await expect(page.getByTestId('best-seller-row').first()).toContainText(top.name);
  await expect(page.getByTestId('best-seller-row')).toHaveCount(Math.min(20, products.bestSellers.length));
  await lightAndDark(page, 'sales-best-sellers');

  // Export: the file holds the table's rows.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export best sellers as CSV' }).click();
  const file = await (await download).path();
  const lines = fs.readFileSync(file, 'utf8').trim().split(/\r\n/);
  expect(lines[0]).toContain('Rank by revenue');
  expect(lines).toHaveLength(products.bestSellers.length + 1);

  await page.getByRole('tab', { name: 'Demand' }).click();
  await expect(page.getByTestId('demand-row')).toHaveCount(products.demand.length);
  await expect(page.getByTestId('demand-row').first()).toContainText(products.demand[0]!.text);
  await expect(page.getByTestId('demand-backtest')).toHaveText(products.backtest.demand.text);
  await lightAndDark(page, 'sales-demand');

  await page.getByRole('tab', { name: 'Unusual days' }).click();
  await expect(page.getByTestId('anomaly-row')).toHaveCount(anomalies.anomalies.length);
  await expect(page.getByTestId('sales-anomalies').locator('.recharts-reference-line')).toHaveCount(new Set(anomalies.anomalies.map((a) => a.date)).size);
  await expect(page.getByTestId('anomalies-summary')).toContainText('unusual');
  await lightAndDark(page, 'sales-unusual-days');

  await page.getByRole('navigation').getByRole('link', { name: 'Reports', exact: true }).click();
  await page.getByRole('tab', { name: 'Forecast' }).click();
  await expect(page.getByTestId('forecast-row')).toHaveCount(6);
  await expect(page.getByTestId('forecast-backtest')).toContainText(forecast.backtest!.text);
  await expect(page.getByTestId('forecast-next')).toContainText('Eight times in ten');
  await expect(page.getByTestId('forecast-chart').locator('.recharts-area-area')).toHaveCount(1);
  await lightAndDark(page, 'reports-forecast');
});
