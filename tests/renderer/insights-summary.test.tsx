import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Output } from '@shared/contract';
import type { Session } from '@shared/contract/auth';
import type { Customer } from '@shared/domain/customers';
import type { Dashboard } from '@shared/contract/metrics';
import { dateInTimeZone } from '@shared/domain/dates';
import { buildSummary, type SummaryInput } from '@shared/insights/summary';
import { App } from '../../src-renderer/src/app/App';
import { createAppRouter } from '../../src-renderer/src/app/router';
import { setBridge } from '../../src-renderer/src/lib/ipc';
import { queryClient } from '../../src-renderer/src/lib/query';
import { alertItems } from '../../src-renderer/src/features/insights/alert-items';
import { installFakeBridge } from './fake-bridge';

// The insights on the dashboard (summary card, alerts) and on the customer page (risk, LTV, next best),
// against main's answers: the summary's sentences are built by the real pure builder from facts.

const BUSINESS = { id: 'biz-1', name: 'Sunrise Yoga', currency: 'USD' as const, timezone: 'UTC' };
const session: Session = { business: { ...BUSINESS, locale: 'en-US' }, user: { id: 'u1', name: 'Sam', email: 'sam@example.com', role: 'viewer' } };
// A first render can take seconds on a loaded machine (the lazy page, Mantine, jsdom): as long as any other wait (setup.ts), only a hang fails.
const FIRST_RENDER = { timeout: 15_000 };
const today = dateInTimeZone(new Date(), 'UTC');

function dashboard(): Dashboard {
  const summary: Dashboard['summary'] = {
    asOf: today, month: today.slice(0, 7), currency: 'USD', mrr: 9000, arr: 108000, activeSubscribers: 3, trialingSubscribers: 0, churnRate: 0, revenue: 6000,
    movements: { new: 3000, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 3000 },
    arAging: { current: 0, d1to30: 0, d31to60: 0, d61to90: 0, over90: 0 }, arpa: 3000, ltv: null, grossMrrChurn: null, netMrrChurn: null, mrrAtStart: 6000, churnedCustomers: 0, atRiskCustomers: 0,
  };
  return {
    asOf: today, currency: 'USD', summary, previous: summary, revenueSameDaysLastMonth: 0,
    series: [{ month: today.slice(0, 7), mrr: 9000, revenue: 6000, new: 3000, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 3000, newCustomers: 1, totalCustomers: 3 }],
    trialConversion: { ended: 0, converted: 0, rate: null }, upcomingRenewals: { count: 0, amount: 0, currency: 'USD', rows: [] },
    failedPayments: { count: 0, amountDue: 0, mrrAtRisk: 0, rows: [] }, todaysSales: { date: today, count: 0, sales: 0, refunds: 0, net: 0 },
  };
}

const ANN_FACTORS = [
  { factor: 'failedPayments' as const, effect: 31, text: '2 failed payments in 60 days: +31 points' },
  { factor: 'tenure' as const, effect: 9, text: 'customer for 2 months: +9 points' },
  { factor: 'salesActivity' as const, effect: -4, text: 'bought at the counter in 90 days: −4 points' },
];
const churnReady: Output<'insights.churn'> = {
  asOf: today,
  ready: true,
  model: null,
  customers: [
    { customerId: 'c1', name: 'Ann Lee', score: 71, band: 'high', factors: ANN_FACTORS },
    { customerId: 'c2', name: 'John Smith', score: 20, band: 'medium', factors: [] },
  ],
};
const churnThin: Output<'insights.churn'> = { asOf: today, ready: false, reason: 'Needs 6 months of history and 20 customers who left; you have 2 months and 0 who left.', model: null, customers: [] };
const anomalies: Output<'insights.anomalies'> = {
  from: '2026-01-01', to: today, ready: true, currency: 'USD', checkedDays: 90,
  anomalies: [{ date: today, metric: 'sales', value: 12, expected: 1, low: 0, high: 4, direction: 'up', text: 'Counter sales on 3 Feb were 12, about 12x the usual 1 for a Tuesday.' }],
};
const emptyProducts = { from: '2026-01-01', to: today, ready: true, currency: 'USD', customerId: null, bestSellers: [], nextBest: [], bundles: [],
  backtest: { demand: { mape: null, naiveMape: null, heldOut: 0, text: '' }, nextBest: { hitRate: null, popularHitRate: null, customers: 0, text: 'A next-best backtest needs 10 returning customers who bought something new; you have 2.' } } };
const products: Output<'insights.products'> = {
  ...emptyProducts,
  bestSellers: [{ productId: 'p1', sku: 'TEA', name: 'Green tea', units: 40, revenue: 14000, customers: 5, rankByUnits: 1, rankByRevenue: 1 }],
  demand: [{ productId: 'p2', sku: 'MAT', name: 'Yoga mat', history: [], weeks: [], stock: 2, stockoutInDays: 12, text: 'Yoga mat sells about 1 a week (most weeks 0 to 2); low stock in 12 days (2 left).' }],
};

function summaryOf(churn: Output<'insights.churn'>): Output<'insights.summary'> {
  const input: SummaryInput = {
    asOf: today, currency: 'USD', metrics: dashboard().summary, churn,
    forecast: { ready: false, reason: 'Needs 6 complete months of revenue history; you have 3.', months: [] },
    anomalies, products,
  };
  const { asOf, text, sentences, facts } = buildSummary(input);
  return { asOf, text, sentences, facts };
}

const customer = (id: string, name: string): Customer => ({
  id, name, email: `${id}@example.com`, phone: '', company: '', addressLine1: '', addressLine2: '', city: '', region: '', postalCode: '', country: '',
  segment: '', tags: [], notes: '', status: 'active', paymentMethod: 'card', creditBalance: 0, currency: 'USD', createdAt: '2026-03-01T12:00:00.000Z', updatedAt: '2026-03-01T12:00:00.000Z',
});

function fakeMain(churn: () => Output<'insights.churn'>, insight?: (id: string) => Output<'insights.customer'>) {
  return installFakeBridge({
    'auth.session': () => session,
    'business.list': () => [BUSINESS],
    'prefs.get': () => ({ theme: 'auto', lastBusinessId: BUSINESS.id }),
    'billing.status': () => ({ running: false, lastRun: null, recentRuns: [] }),
    'metrics.dashboard': () => dashboard(),
    'sales.list': () => ({ rows: [], total: 0 }),
    'insights.summary': () => summaryOf(churn()),
    'insights.churn': () => churn(),
    'insights.anomalies': () => anomalies,
    'insights.products': () => products,
    'customers.get': (input) => {
      const id = (input as { id: string }).id;
      return { customer: customer(id, id === 'c1' ? 'Ann Lee' : 'Bo Kim'), activeSubscriptions: 1, openInvoices: 0, amountDue: 0, totalPaid: 0, canDelete: false, deleteBlockedReason: 'Has an active subscription' };
    },
    'insights.customer': (input) => insight!((input as { customerId: string }).customerId),
  });
}

function renderAt(hash: string) {
  window.location.hash = hash;
  return render(<App router={createAppRouter()} />);
}

beforeEach(() => queryClient.clear());
afterEach(() => setBridge(undefined));

describe('the dashboard summary card and alerts', () => {
  it('says main’s sentences, and names the customer at risk, the unusual day and the product running out', async () => {
    const fake = fakeMain(() => churnReady, (id) => ({
      asOf: today, customerId: id,
      churn: { ready: true, customer: churnReady.customers[0]!, scored: 2, rank: 1, bands: { mediumFrom: 15, highFrom: 40, text: 'Usually 8% of paying customers cancel within 90 days. Medium risk from 15, high from 40.' }, backtest: 'Tested on 2026-09-01.' },
      ltv: { ltv: 54000, currency: 'USD', basis: '$30.00 a month × 100% ÷ 5.56% of customers leaving a month = $540.00.' },
      products: { ready: true, nextBest: [], backtest: 'A next-best backtest needs 10 returning customers who bought something new; you have 2.' },
    }));
    renderAt('#/dashboard');
    const card = await screen.findByTestId('insights-summary', {}, FIRST_RENDER);
    const expected = summaryOf(churnReady).sentences;
    await waitFor(() => expect(within(card).getAllByTestId('summary-sentence').map((s) => s.textContent)).toEqual(expected));
    expect(expected[0]).toBe('Monthly recurring revenue is $90.00 from 3 active subscribers, up $30.00 since the month began.');
    expect(expected[1]).toBe('1 paying customer is at high risk of leaving in the next three months; the riskiest, Ann Lee, has a 71 % chance of leaving.');
    expect(expected[2]).toBe('The revenue forecast is not ready yet: Needs 6 complete months of revenue history; you have 3.');
    expect(fake.calls.find((c) => c.method === 'insights.summary')?.input).toEqual({ asOf: today });

    const alerts = screen.getByTestId('insights-alerts');
    const items = await within(alerts).findAllByTestId('insight-alert');
    expect(items.map((i) => i.getAttribute('data-kind'))).toEqual(['churn', 'anomaly', 'stock']);
    expect(items[0]!.textContent).toContain('Ann Lee may leave: 71 % chance within 90 days');
    expect(items[0]!.textContent).toContain('Mostly because: 2 failed payments in 60 days: +31 points; customer for 2 months: +9 points.');
    expect(items[1]!.textContent).toBe('Unusually high counter salesCounter sales on 3 Feb were 12, about 12x the usual 1 for a Tuesday.');
    expect(items[2]!.textContent).toContain('Yoga mat is running out');
    expect(within(alerts).queryByText('John Smith', { exact: false })).toBeNull(); // medium risk: not an alert
    expect(within(alerts).queryByTestId('alert-more-at-risk')).toBeNull(); // the one at high risk is named

    // A click on the customer at risk opens their page, whose panel explains the score.
    await userEvent.setup().click(within(items[0]!).getByRole('link', { name: /Ann Lee may leave/ }));
    const panel = await screen.findByTestId('customer-insight', {}, FIRST_RENDER);
    await waitFor(() => expect(within(panel).getByTestId('insight-churn-score').textContent).toBe('71 %'));
    expect(within(panel).getByText('High risk')).toBeTruthy();
    expect(within(panel).getByText('The chance that Ann Lee cancels everything in the next 90 days; riskiest 1 of 2 paying customers.')).toBeTruthy();
    const factors = within(panel).getByTestId('insight-churn-factors');
    expect(ANN_FACTORS.every((f) => factors.textContent.includes(f.text))).toBe(true);
    expect(within(factors).getAllByLabelText('raises the risk')).toHaveLength(2);
    expect(within(factors).getAllByLabelText('lowers the risk')).toHaveLength(1);
    expect(within(panel).getByTestId('insight-ltv-amount').textContent).toBe('$540.00');
    expect(within(panel).getByTestId('insight-ltv-basis').textContent).toBe('$30.00 a month × 100% ÷ 5.56% of customers leaving a month = $540.00.');
    expect(within(panel).getByText('Nothing to suggest for Ann Lee yet: counter sales show no product that usually comes next.')).toBeTruthy();
  });

  it('a model not ready says why, never a zero: the card and the alerts give the reason', async () => {
    fakeMain(() => churnThin);
    renderAt('#/dashboard');
    const card = await screen.findByTestId('insights-summary', {}, FIRST_RENDER);
    expect(await within(card).findByText(`Churn risk is not ready yet: ${churnThin.reason!}`)).toBeTruthy();
    const alerts = screen.getByTestId('insights-alerts');
    expect(await within(alerts).findByText(`Churn risk: ${churnThin.reason!}`)).toBeTruthy();
    expect(within(alerts).queryAllByTestId('insight-alert').map((i) => i.getAttribute('data-kind'))).toEqual(['anomaly', 'stock']);
    expect(card.textContent).not.toMatch(/NaN|undefined| 0 %/);
  });

  it('is asked again when the books change (data-changed refreshes the insights)', async () => {
    let churn = churnThin;
    const fake = fakeMain(() => churn);
    renderAt('#/dashboard');
    const card = await screen.findByTestId('insights-summary', {}, FIRST_RENDER);
    await within(card).findByText(`Churn risk is not ready yet: ${churnThin.reason!}`);
    churn = churnReady;
    fake.emit('data-changed', { entities: ['subscriptions'] });
    expect(await within(card).findByText(/the riskiest, Ann Lee, has a 71 % chance of leaving\.$/)).toBeTruthy();
  });
});

describe('the customer page insight panel', () => {
  it('a customer who pays nothing is not scored; a thin book says why; LTV without an estimate shows its reason', async () => {
    fakeMain(() => churnThin, (id) => ({
      asOf: today, customerId: id,
      churn: { ready: true, customer: null, scored: 2, rank: null, bands: null, backtest: null },
      ltv: { ltv: null, currency: 'USD', basis: `Not paying on ${today}: there is no revenue to project.` },
      products: { ready: false, reason: 'No counter sales in the books yet.', nextBest: [], backtest: '' },
    }));
    renderAt('#/customers/c2');
    const panel = await screen.findByTestId('customer-insight', {}, FIRST_RENDER);
    expect(await within(panel).findByText('Not scored: Bo Kim pays nothing today, so there is no revenue to lose.')).toBeTruthy();
    expect(within(panel).getByText('No estimate.')).toBeTruthy();
    expect(within(panel).getByTestId('insight-ltv-basis').textContent).toBe(`Not paying on ${today}: there is no revenue to project.`);
    expect(within(panel).getByText('No counter sales in the books yet.')).toBeTruthy();
    expect(within(panel).queryByTestId('insight-churn-score')).toBeNull();
  });

  it('next best products, each with its because; a churn model not ready gives its reason', async () => {
    fakeMain(() => churnThin, (id) => ({
      asOf: today, customerId: id,
      churn: { ready: false, reason: churnThin.reason!, customer: null, scored: 0, rank: null, bands: null, backtest: null },
      ltv: { ltv: 120000, currency: 'USD', basis: 'basis in words' },
      products: {
        ready: true,
        nextBest: [
          { productId: 'p3', sku: 'STRAP', name: 'Mat strap', score: 0.8, because: 'Customers who bought Yoga mat later bought Mat strap (83 %, 10 customers).' },
          { productId: 'p1', sku: 'TEA', name: 'Green tea', score: 0.2, because: "Popular: 17 % of returning customers' visits add Green tea." },
        ],
        backtest: 'On each of 12 returning customers’ last purchase, one of the 3 suggestions was bought 50% of the time.',
      },
    }));
    renderAt('#/customers/c1');
    const panel = await screen.findByTestId('customer-insight', {}, FIRST_RENDER);
    const items = await within(panel).findAllByTestId('insight-next-best-item');
    expect(items.map((i) => i.textContent)).toEqual([
      '1. Mat strap (STRAP)Customers who bought Yoga mat later bought Mat strap (83 %, 10 customers).',
      "2. Green tea (TEA)Popular: 17 % of returning customers' visits add Green tea.",
    ]);
    expect(within(panel).getByTestId('insight-churn-reason').textContent).toBe(churnThin.reason);
    expect(within(panel).getByTestId('insight-ltv-amount').textContent).toBe('$1,200.00');
  });
});

describe('alertItems', () => {
  it('at most 3 per kind, the latest unusual days of the last 30 first, out of stock before running out', () => {
    const many = { ...churnReady, customers: ['a', 'b', 'c', 'd'].map((id, i) => ({ customerId: id, name: id, score: 90 - i, band: 'high' as const, factors: [] })) };
    // Over 30 days before the last day checked (2026-03-01): no longer an alert.
    const days = ['2026-01-05', '2026-03-01', '2026-02-10', '2026-02-20', '2026-02-15'].map((date) => ({ ...anomalies.anomalies[0]!, date }));
    const alerts = alertItems({
      churn: many,
      anomalies: { ...anomalies, to: '2026-03-01', anomalies: days },
      products: { ...products, demand: [products.demand[0]!, { ...products.demand[0]!, productId: 'p9', name: 'Block', stock: 0, stockoutInDays: null, text: 'Block: out of stock.' }] },
    });
    expect(alerts.map((a) => a.key)).toEqual(['churn:a', 'churn:b', 'churn:c', 'anomaly:2026-03-01:sales', 'anomaly:2026-02-20:sales', 'anomaly:2026-02-15:sales', 'stock:p9', 'stock:p2']);
    expect(alerts[0]!.text).toBe('High risk for this business, though no single reason stands out.');
    expect(alerts.find((a) => a.key === 'stock:p9')!.title).toBe('Block is out of stock');
  });
});
