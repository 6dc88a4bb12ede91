import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '@shared/contract/auth';
import type { Dashboard } from '@shared/contract/metrics';
import { dateInTimeZone } from '@shared/domain/dates';
import { addMonths } from '@shared/domain/periods';
import { App } from '../../src-renderer/src/app/App';
import { createAppRouter } from '../../src-renderer/src/app/router';
import { setBridge } from '../../src-renderer/src/lib/ipc';
import { queryClient } from '../../src-renderer/src/lib/query';
import { installFakeBridge } from './fake-bridge';

const BUSINESS = { id: 'biz-1', name: 'Sunrise Yoga', currency: 'USD' as const, timezone: 'UTC' };
const session = (role: Session['user']['role']): Session => ({ business: { ...BUSINESS, locale: 'en-US' }, user: { id: 'u1', name: 'Sam', email: 'sam@example.com', role } });
// A first render can take seconds on a loaded machine (the lazy page, Mantine, jsdom): as long as any other wait (setup.ts), only a hang fails.
const FIRST_RENDER = { timeout: 15_000 };

const today = dateInTimeZone(new Date(), 'UTC');
const thisMonth = today.slice(0, 7);
const lastMonth = addMonths(`${thisMonth}-01`, -1).slice(0, 7);

function figures(withHistory: boolean): Dashboard {
  const summary: Dashboard['summary'] = {
    asOf: today,
    month: thisMonth,
    currency: 'USD',
    mrr: withHistory ? 9000 : 0,
    arr: withHistory ? 108000 : 0,
    activeSubscribers: withHistory ? 3 : 0,
    trialingSubscribers: withHistory ? 1 : 0,
    churnRate: withHistory ? 25 : null,
    revenue: withHistory ? 6000 : 0,
    movements: { new: 3000, expansion: 0, contraction: 0, churn: 3000, reactivation: 0, net: 0 },
    arAging: { current: 0, d1to30: 0, d31to60: 0, d61to90: 0, over90: 0 },
    arpa: 3000,
    ltv: withHistory ? 12000 : null,
    grossMrrChurn: null,
    netMrrChurn: withHistory ? 25 : null,
    mrrAtStart: withHistory ? 12000 : 0,
    churnedCustomers: 0,
    atRiskCustomers: 0,
  };
  const series = Array.from({ length: 12 }, (_, i) => {
    const month = addMonths(`${thisMonth}-01`, i - 11).slice(0, 7);
    return { month, mrr: withHistory && i >= 8 ? 9000 : 0, revenue: 0, new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 0, newCustomers: 0, totalCustomers: 0 };
  });
  return {
    asOf: today,
    currency: 'USD',
    summary,
    previous: { ...summary, month: lastMonth, mrr: 12000, churnRate: 0 },
    revenueSameDaysLastMonth: 0,
    series,
    trialConversion: { ended: 0, converted: 0, rate: null },
    upcomingRenewals: { count: 0, amount: 0, currency: 'USD', rows: [] },
    failedPayments: { count: 0, amountDue: 0, mrrAtRisk: 0, rows: [] },
    todaysSales: { date: today, count: 0, sales: 0, refunds: 0, net: 0 },
  };
}

function fakeMain(role: Session['user']['role'], dashboard: () => Dashboard) {
  return installFakeBridge({
    'auth.session': () => session(role),
    'business.list': () => [BUSINESS],
    'prefs.get': () => ({ theme: 'auto', lastBusinessId: BUSINESS.id }),
    'billing.status': () => ({ running: false, lastRun: null, recentRuns: [] }),
    'metrics.dashboard': () => dashboard(),
    'metrics.movements': () => ({ rows: [{ customerId: 'c3', customerName: 'Cat Carter', kind: 'churn', start: 3000, end: 0, amount: 3000 }] }),
    'plans.list': () => [],
    'customers.stats': () => ({ currency: 'USD', total: 2, active: 2, inactive: 0, newThisWeek: 0, newThisMonth: 2, withSubscriptions: 0, totalRevenue: 0, averageRevenuePerCustomer: 0 }),
  });
}

function renderAt(hash: string) {
  window.location.hash = hash;
  return render(<App router={createAppRouter()} />);
}

beforeEach(() => queryClient.clear());
afterEach(() => setBridge(undefined));

describe('the dashboard page', () => {
  it('shows the figures main worked out, with their change, and lists the customers behind churn', async () => {
    const fake = fakeMain('viewer', () => figures(true));
    renderAt('#/dashboard');
    const mrr = await screen.findByTestId('metric-mrr', {}, FIRST_RENDER);
    expect(within(mrr).getByTestId('metric-value').textContent).toBe('$90.00');
    expect(within(mrr).getByTestId('metric-change').textContent).toContain('−$30.00 (−25.0%)');
    expect(within(mrr).getByTestId('metric-change').getAttribute('data-tone')).toBe('bad');
    const churn = screen.getByTestId('metric-churn');
    expect(within(churn).getByTestId('metric-change').textContent).toContain('+25.00 pts');
    expect(within(churn).getByTestId('metric-change').getAttribute('data-tone')).toBe('bad');
    expect(within(screen.getByTestId('metric-active')).getByText('+ 1 in a free trial')).toBeTruthy();
    expect(fake.calls.find((c) => c.method === 'metrics.dashboard')?.input).toEqual({ asOf: today });

    await userEvent.setup().click(within(churn).getByRole('button', { name: /^Churn rate: 25\.00%/ }));
    const drawer = await screen.findByRole('dialog');
    expect(await within(drawer).findByText('Cat Carter')).toBeTruthy();
    expect(fake.calls.find((c) => c.method === 'metrics.movements')?.input).toEqual({ month: thisMonth, asOf: today, kind: 'churn' });
  });

  it('refreshes when billing or any data changes', async () => {
    let mrr = 9000;
    const fake = fakeMain('viewer', () => ({ ...figures(true), summary: { ...figures(true).summary, mrr } }));
    renderAt('#/dashboard');
    const card = await screen.findByTestId('metric-mrr', {}, FIRST_RENDER);
    expect(within(card).getByTestId('metric-value').textContent).toBe('$90.00');
    mrr = 12000;
    fake.emit('data-changed', { entities: ['customers'] });
    await waitFor(() => expect(within(screen.getByTestId('metric-mrr')).getByTestId('metric-value').textContent).toBe('$120.00'));
  });

  it('greets an empty business with the steps to its first numbers, links only for those who may take them', async () => {
    fakeMain('staff', () => figures(false));
    renderAt('#/dashboard');
    const guide = await screen.findByTestId('first-run-guide', {}, FIRST_RENDER);
    await waitFor(() => expect(within(guide).getByTestId('first-run-step-2').getAttribute('data-done')).toBe('true'));
    expect(within(guide).getByTestId('first-run-step-1').getAttribute('data-done')).toBe('false');
    expect(within(guide).getByRole('link', { name: 'Make your first plan →' })).toBeTruthy();
    expect(within(guide).queryByRole('link', { name: 'Add a customer →' })).toBeNull(); // done already
    expect(screen.queryByRole('textbox', { name: 'As of' })).toBeNull();
  });
});
