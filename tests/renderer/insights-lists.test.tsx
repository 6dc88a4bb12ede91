import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '@shared/contract/auth';
import type { Customer } from '@shared/domain/customers';
import { App } from '../../src-renderer/src/app/App';
import { createAppRouter } from '../../src-renderer/src/app/router';
import { AT_RISK_VIEW, describeList, fromContractFilter, nextSort, sameList, toContractFilter } from '../../src-renderer/src/features/customers/list-filter';
import { riskCell } from '../../src-renderer/src/features/customers/risk-format';
import { useCustomerList } from '../../src-renderer/src/features/customers/stores/customer-list-store';
import { hasFeature, toggleFeature } from '../../src-renderer/src/features/plans/plan-form';
import { forecastPoints, nextMonthSentence } from '../../src-renderer/src/features/reports/forecast-format';
import { anomaliesSummary, anomalyMarks, chartDays } from '../../src-renderer/src/features/sales/sales-insight-format';
import { setBridge } from '../../src-renderer/src/lib/ipc';
import { queryClient } from '../../src-renderer/src/lib/query';
import { installFakeBridge } from './fake-bridge';

// The insights as lists in the renderer: the risk column and "At risk" view, the sales and
// forecast panels' words, and the plan form's feature ticks. `ready: false` shows its reason.

describe('the words and shapes', () => {
  it('a risk cell: band and score, what the score means, a reason when not ready, a dash for who pays nothing', () => {
    expect(riskCell({ customerId: 'c1', score: 72, band: 'high' }, { ready: true, reason: undefined })).toEqual({
      text: 'High · 72',
      title: '72 % chance of cancelling everything within 90 days (high risk). Open the customer to see why.',
    });
    expect(riskCell(undefined, { ready: true, reason: undefined }).text).toBe('—');
    expect(riskCell(undefined, { ready: false, reason: 'Needs 6 months of history; you have 2.' })).toEqual({ text: 'Not ready', title: 'Needs 6 months of history; you have 2.' });
  });

  it('the "At risk" view: medium or high risk, riskiest first, in words; the risk column sorts riskiest first on its first click', () => {
    expect(toContractFilter(fromContractFilter(AT_RISK_VIEW.filter))).toEqual({ search: '', atRisk: true });
    expect(describeList(fromContractFilter(AT_RISK_VIEW.filter), AT_RISK_VIEW.sort)).toBe('Customers who may leave soon (medium or high churn risk), riskiest first.');
    expect(sameList(AT_RISK_VIEW, { filter: { atRisk: true }, sort: { column: 'risk', direction: 'desc' } })).toBe(true);
    expect(sameList(AT_RISK_VIEW, { filter: {}, sort: { column: 'risk', direction: 'desc' } })).toBe(false);
    expect(nextSort({ column: 'name', direction: 'asc' }, 'risk')).toEqual({ column: 'risk', direction: 'desc' });
    expect(nextSort({ column: 'risk', direction: 'desc' }, 'risk')).toEqual({ column: 'risk', direction: 'asc' });
  });

  it('the plan form ticks a feature on and off as its own line, any case, leaving the others', () => {
    expect(hasFeature('Unlimited classes\n Insights ', 'insights')).toBe(true);
    expect(toggleFeature('Unlimited classes', 'insights', true)).toBe('Unlimited classes\ninsights');
    expect(toggleFeature('Unlimited classes\nInsights\npredictions', 'insights', false)).toBe('Unlimited classes\npredictions');
    expect(toggleFeature('insights', 'insights', true)).toBe('insights');
  });

  it('the forecast chart joins history and forecast at the last actual month; the next month in words', () => {
    const f = { history: [{ month: '2026-09', mrr: 1000 }, { month: '2026-10', mrr: 1200 }], months: [{ month: '2026-11', mrr: 1300, low: 1100, high: 1500 }] };
    expect(forecastPoints(f)).toEqual([
      { month: '2026-09', actual: 1000 },
      { month: '2026-10', actual: 1200, expected: 1200, band: [1200, 1200] },
      { month: '2026-11', expected: 1300, band: [1100, 1500] },
    ]);
    const money = (m: number) => `$${(m / 100).toFixed(2)}`;
    expect(nextMonthSentence(f, money, (m) => m)).toBe('2026-11: about $13.00. Eight times in ten the real figure lands between $11.00 and $15.00 (the shaded band); the band widens the further ahead it looks.');
    expect(nextMonthSentence({ months: [] }, money, (m) => m)).toBeNull();
  });

  it('unusual days: one mark per day, red when things went worse, and a sentence that counts days, not figures', () => {
    const a = (date: string, metric: 'revenue' | 'refunds', direction: 'up' | 'down') => ({ date, metric, direction, value: 0, expected: 0, low: 0, high: 0, text: '' });
    const list = [a('2026-10-01', 'revenue', 'down'), a('2026-10-01', 'refunds', 'up'), a('2026-10-05', 'revenue', 'up')];
    expect(anomalyMarks(list)).toEqual([
      { date: '2026-10-01', bad: true, label: '▼ revenue, ▲ refunds' },
      { date: '2026-10-05', bad: false, label: '▲ revenue' },
    ]);
    expect(anomaliesSummary({ anomalies: list, checkedDays: 30, from: '2026-09-06', to: '2026-10-05' })).toMatch(/^2 unusual days between 2026-09-06 and 2026-10-05, out of 30 checked/);
    expect(anomaliesSummary({ anomalies: [], checkedDays: 30, from: '2026-09-06', to: '2026-10-05' })).toMatch(/^No unusual day/);
    const days = chartDays([{ date: '2026-10-01', revenue: 5, sales: 0, refunds: 0, failedPayments: 0 }], list);
    expect(days[0]!.unusual).toHaveLength(2);
  });
});

const BUSINESS = { id: 'biz-1', name: 'Sunrise Yoga', currency: 'USD' as const, timezone: 'America/New_York' };
const session: Session = { business: { ...BUSINESS, locale: 'en-US' }, user: { id: 'user-1', name: 'Sam', email: 'sam@example.com', role: 'viewer' } };
const customer = (n: number, name: string): Customer => ({
  id: `c${n}`, name, email: `c${n}@example.com`, phone: '', company: '', addressLine1: '', addressLine2: '', city: '', region: '', postalCode: '', country: '',
  segment: '', tags: [], notes: '', status: 'active', paymentMethod: 'card', creditBalance: 0, currency: 'USD',
  createdAt: '2026-03-01T12:00:00.000Z', updatedAt: '2026-03-01T12:00:00.000Z',
});
const PEOPLE = [customer(1, 'Ann Lee'), customer(2, 'Bob Kay'), customer(3, 'Cy Free')];
// A first render can take seconds on a loaded machine (the lazy page, Mantine, jsdom): as long as any other wait (setup.ts), only a hang fails.
const FIRST_RENDER = { timeout: 15_000 };

function fakeMain(extra: Record<string, (input: unknown) => unknown>) {
  return installFakeBridge({
    'auth.session': () => session,
    'business.list': () => [BUSINESS],
    'prefs.get': () => ({ theme: 'auto', lastBusinessId: BUSINESS.id }),
    'customers.list': () => ({ rows: PEOPLE, total: 3, fuzzy: false }),
    'customers.stats': () => ({ currency: 'USD', total: 3, active: 3, inactive: 0, newThisWeek: 0, newThisMonth: 0, withSubscriptions: 2, totalRevenue: 0, averageRevenuePerCustomer: 0 }),
    'customers.facets': () => ({ segments: [], tags: [] }),
    'customerViews.list': () => ({ views: [] }),
    ...extra,
  });
}

beforeEach(() => {
  queryClient.clear();
  useCustomerList.setState({ businessId: null });
});
afterEach(() => setBridge(undefined));

const READY_RISK = {
  asOf: '2026-11-30',
  ready: true,
  bands: 'Usually 12% of paying customers cancel within 90 days. Medium risk from 18, high from 36.',
  customers: [{ customerId: 'c1', score: 72, band: 'high' }, { customerId: 'c2', score: 9, band: 'low' }],
};

describe('the customers list', () => {
  it('shows each customer’s risk, and the "At risk" view asks main for medium and high risk, riskiest first, saying what the score means', async () => {
    const fake = fakeMain({ 'insights.risk': () => READY_RISK });
    window.location.hash = '#/customers';
    render(<App router={createAppRouter()} />);
    const grid = await screen.findByRole('grid', { name: 'Customers' }, FIRST_RENDER);
    await waitFor(() => expect(within(grid).getAllByTestId('risk-cell').map((c) => c.textContent)).toEqual(['High · 72', 'Low · 9', '—']));
    expect(within(grid).getByRole('columnheader', { name: 'Risk' })).toBeTruthy();
    // Never the whole list: the notice asks for no rows, the column for the rows the list has loaded.
    const riskInputs = fake.calls.filter((c) => c.method === 'insights.risk').map((c) => c.input as { limit?: number; customerIds?: string[] });
    expect(riskInputs).toContainEqual({ limit: 0 });
    expect(riskInputs.filter((i) => i.customerIds).every((i) => i.customerIds!.length <= 100 && i.limit === Math.max(i.customerIds!.length, 1))).toBe(true);
    expect(riskInputs.some((i) => i.customerIds?.includes('c1'))).toBe(true);

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Saved views' }));
    // The menu's item (jsdom leaves Mantine's dropdown display:none mid-transition, so it is found hidden and clicked directly).
    fireEvent.click(await screen.findByRole('menuitem', { name: 'At risk', hidden: true }));
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'customers.list').at(-1)!.input).toMatchObject({ atRisk: true, sort: 'risk', direction: 'desc' }));
    expect(await screen.findByRole('button', { name: 'Saved views: showing At risk' })).toBeTruthy();
    expect((await screen.findByTestId('risk-notice')).textContent).toContain('Medium risk from 18, high from 36.');
  });

  it('when the model is not ready, the cells and the notice say why instead of a score', async () => {
    fakeMain({ 'insights.risk': () => ({ asOf: '2026-11-30', ready: false, reason: 'Needs 6 months of history and 20 customers who left; you have 2 months.', bands: null, customers: [] }) });
    window.location.hash = '#/customers';
    render(<App router={createAppRouter()} />);
    const grid = await screen.findByRole('grid', { name: 'Customers' }, FIRST_RENDER);
    await userEvent.setup({ delay: null }).click(within(grid).getByRole('button', { name: 'Risk' }));
    await waitFor(() => expect(within(grid).getAllByTestId('risk-cell')[0]!.textContent).toBe('Not ready'));
    expect(within(grid).getAllByTestId('risk-cell')[0]!.getAttribute('title')).toBe('Needs 6 months of history and 20 customers who left; you have 2 months.');
    expect((await screen.findByTestId('risk-notice')).textContent).toContain('you have 2 months');
  });
});

describe('the sales and reports panels', () => {
  it('unusual days and the forecast: not ready shows the reason, never a zero', async () => {
    fakeMain({
      'insights.anomalies': () => ({ from: '2026-09-02', to: '2026-11-30', ready: false, reason: 'Needs 28 days of history before a day can be checked; you have 3.', currency: 'USD', checkedDays: 0, anomalies: [] }),
      'insights.days': () => ({ from: '2026-09-02', to: '2026-11-30', currency: 'USD', days: [] }),
      'insights.forecast': () => ({ asOf: '2026-11-30', ready: false, reason: 'Needs 6 complete months of history; you have 1.', method: 'none', currency: 'USD', basis: 'Monthly revenue.', history: [], months: [], backtest: null }),
    });
    window.location.hash = '#/sales';
    render(<App router={createAppRouter()} />);
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('tab', { name: 'Unusual days' }, FIRST_RENDER));
    expect((await screen.findByTestId('not-ready', {}, FIRST_RENDER)).textContent).toContain('you have 3.');
    expect(screen.queryByTestId('anomalies-summary')).toBeNull();
    expect(screen.getByRole('button', { name: 'Export unusual days as CSV' }).hasAttribute('disabled')).toBe(true);

    window.location.hash = '#/reports?view=forecast';
    expect((await screen.findByText('Needs 6 complete months of history; you have 1.', {}, FIRST_RENDER)).textContent).toBeTruthy();
    expect(screen.queryByTestId('forecast-row')).toBeNull();
  });

  it('best sellers and demand: the rows, the range in words, and the Export button sends its table', async () => {
    const fake = fakeMain({
      'insights.products': () => ({
        from: '2026-09-02', to: '2026-11-30', ready: true, currency: 'USD', customerId: null,
        bestSellers: [{ productId: 'p1', sku: 'TEA', name: 'Green tea', units: 120, revenue: 36000, customers: 14, rankByUnits: 1, rankByRevenue: 1 }],
        nextBest: [],
        demand: [{ productId: 'p1', sku: 'TEA', name: 'Green tea', history: [], weeks: [{ week: '2026-12-07', quantity: 9.5, low: 6.2, high: 12.8 }], stock: 10, stockoutInDays: 7, text: 'Green tea sells about 10 a week (most weeks 6.2 to 13); low stock in 7 days (10 left).' }],
        bundles: [],
        backtest: { demand: { mape: 20, naiveMape: 30, heldOut: 4, text: 'Tested on the last 4 weeks: off by 20%.' }, nextBest: { hitRate: null, popularHitRate: null, customers: 0, text: '' } },
      }),
      'insights.export': () => ({ rows: 1, path: '/tmp/x.csv', downloadUrl: null }),
    });
    window.location.hash = '#/sales';
    render(<App router={createAppRouter()} />);
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('tab', { name: 'Best sellers' }, FIRST_RENDER));
    const row = await screen.findByTestId('best-seller-row', {}, FIRST_RENDER);
    expect(row.textContent).toBe('1Green teaTEA120$360.0014');
    await user.click(screen.getByRole('button', { name: 'Export best sellers as CSV' }));
    await waitFor(() => expect(fake.calls.find((c) => c.method === 'insights.export')?.input).toEqual({ table: 'best-sellers' }));

    await user.click(screen.getByRole('tab', { name: 'Demand' }));
    const demand = await screen.findByTestId('demand-row');
    expect(demand.textContent).toContain('9.5');
    expect(demand.textContent).toContain('6.2 – 12.8');
    expect(demand.textContent).toContain('in 7 days');
    expect(screen.getByTestId('demand-backtest').textContent).toBe('Tested on the last 4 weeks: off by 20%.');
  });
});
