import type { Output } from '@shared/contract';
import { SPIKE_DAY, SUMMARY_AS_OF, seedSummaryBook } from '../support/insights-summary-book';
import { logIn, shot } from './app-steps';
import { expect, test } from './fixtures';

// The insights where the owner sees them: the dashboard's summary card and alerts, and a customer's
// churn risk with its reasons, lifetime value with its working, and next best products. The book is
// seeded through the core (a churn history with a known truth, a counter with a spike and a product
// running out), so every model is ready; what the page says is checked against the core's answers.

const OWNER = { email: 'olivia@example.com', password: 'correct horse battery' };

test('insights: the summary card and alerts on the dashboard; a customer’s risk, lifetime value and next best', async ({ app, page }) => {
  const conn = { id: 'insights-seed', sessionId: null, send() {} };
  const rpc = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await app.core.dispatch(conn, method, input);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.data as T;
  };
  const session = await rpc<{ business: { id: string } }>('business.signUp', {
    businessName: 'Sunrise Yoga',
    currency: 'USD',
    timezone: 'UTC',
    ownerName: 'Olivia Owner',
    ownerEmail: OWNER.email,
    password: OWNER.password,
  });
  const { matBuyers } = seedSummaryBook(app.core.businesses.get(session.business.id).sqlite, 300);
  const summary = await rpc<Output<'insights.summary'>>('insights.summary', { asOf: SUMMARY_AS_OF });

  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(app.url);
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.evaluate((asOf) => (window.location.hash = `#/dashboard?asOf=${asOf}`), SUMMARY_AS_OF);

  // The card says the core's sentences, one by one: every figure in them is a fact the test above checks.
  const card = page.getByTestId('insights-summary');
  await expect(card.getByTestId('summary-sentence')).toHaveText(summary.sentences, { timeout: 60_000 });
  expect(summary.sentences[0]).toMatch(/^Monthly recurring revenue is \$[\d,]+\.\d\d from \d+ active subscribers/);
  await expect(card).toContainText('worked out on this PC');

  // Alerts: the riskiest customers (links to their page), the spike at the counter, the mat running out.
  const alerts = page.getByTestId('insights-alerts');
  await expect(alerts.locator('[data-kind="churn"]').first()).toBeVisible({ timeout: 60_000 });
  await expect(alerts.locator('[data-kind="stock"]')).toContainText('Yoga mat is running out');
  await expect(alerts.locator('[data-kind="stock"]')).toContainText('3 left');
  const churn = await rpc<Output<'insights.churn'>>('insights.churn', { asOf: SUMMARY_AS_OF, top: 1 });
  const top = churn.customers[0]!;
  await expect(alerts.locator('[data-kind="churn"]').first()).toContainText(`${top.name} may leave: ${top.score} % chance within 90 days`);
  const anomalies = await rpc<Output<'insights.anomalies'>>('insights.anomalies', { to: SUMMARY_AS_OF });
  expect(anomalies.anomalies.some((a) => a.date === SPIKE_DAY)).toBe(true);
  await expect(alerts.locator('[data-kind="anomaly"]').first()).toBeVisible();
  // The card counts everyone at high risk; the alerts name three and say how many more there are.
  const high = summary.facts.find((f) => f.key === 'churn.high')!.value as number;
  expect(high).toBeGreaterThan(3);
  await expect(alerts.locator('[data-kind="churn"]')).toHaveCount(3);
  await expect(alerts.getByTestId('alert-more-at-risk')).toHaveText(`And ${high - 3} more customers at high risk: Customers, sorted by risk, lists them all.`);
  await shot(page, 'insights-dashboard-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'insights-dashboard-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // A click on the riskiest customer: the panel shows the same score, its reasons in words, the LTV's working.
  const today = await rpc<Output<'insights.customer'>>('insights.customer', { customerId: top.customerId });
  await alerts.locator('[data-kind="churn"]').first().getByRole('link').click();
  const panel = page.getByTestId('customer-insight');
  if (today.churn.customer) {
    await expect(panel.getByTestId('insight-churn-score')).toHaveText(`${today.churn.customer.score} %`, { timeout: 60_000 });
    for (const f of today.churn.customer.factors) await expect(panel.getByTestId('insight-churn-factors')).toContainText(f.text);
  } else {
    await expect(panel.getByTestId('insight-churn')).toContainText('Not scored', { timeout: 60_000 });
  }
  await expect(panel.getByTestId('insight-ltv-basis')).toHaveText(today.ltv.basis);
  await shot(page, 'insights-customer-risk-light');

  // A customer who bought a mat and nothing since: the strap is what to offer, and why.
  await page.evaluate((id) => (window.location.hash = `#/customers/${id}`), matBuyers[0]!);
  const offer = panel.getByTestId('insight-next-best');
  await expect(offer.getByTestId('insight-next-best-item').first()).toContainText('Mat strap', { timeout: 60_000 });
  await expect(offer).toContainText('Mat strap');
  await shot(page, 'insights-customer-next-best-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'insights-customer-next-best-dark');
});
