import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Output } from '@shared/contract';
import { App } from '../../src-renderer/src/app/App';
import { createAppRouter } from '../../src-renderer/src/app/router';
import { setBridge } from '../../src-renderer/src/lib/ipc';
import { queryClient } from '../../src-renderer/src/lib/query';
import { installFakeBridge } from './fake-bridge';

const BUSINESS = { id: 'biz-1', name: 'Sunrise Yoga', currency: 'USD' as const, timezone: 'UTC' };
// A first render can take seconds on a loaded machine (the lazy page, Mantine, jsdom): as long as any other wait (setup.ts), only a hang fails.
const FIRST_RENDER = { timeout: 15_000 };
const COLUMNS = [
  { key: 'date', label: 'Date', type: 'date' },
  { key: 'customer', label: 'Customer', type: 'text' },
  { key: 'amount', label: 'Amount', type: 'money' },
  { key: 'customerId', label: 'Customer id', type: 'text' },
];

function fakeMain() {
  return installFakeBridge({
    'auth.session': () => ({ business: { ...BUSINESS, locale: 'en-US' }, user: { id: 'u1', name: 'Sam', email: 'sam@example.com', role: 'viewer' } }),
    'business.list': () => [BUSINESS],
    'prefs.get': () => ({ theme: 'auto', lastBusinessId: BUSINESS.id }),
    'billing.status': () => ({ running: false, lastRun: null, recentRuns: [] }),
    'reports.view': (raw) => {
      const input = raw as { kind: Output<'reports.view'>['kind']; from?: string; to?: string; offset: number; limit: number; withTotals: boolean };
      const rows = Array.from({ length: Math.min(input.limit, 120 - input.offset) }, (_, i) => ({
        date: '2026-04-01',
        customer: `Customer ${input.offset + i + 1}`,
        amount: 1000,
        customerId: `c${input.offset + i + 1}`,
      }));
      return {
        kind: input.kind,
        from: input.from ?? null,
        to: input.to ?? null,
        currency: 'USD',
        columns: COLUMNS,
        rows,
        total: input.withTotals ? 120 : null,
        totals: input.withTotals ? { amount: 120_000 } : null,
      };
    },
    'reports.export': () => ({ kind: 'payments', rows: 120, path: '/home/sam/sunrise-yoga-payments.csv', downloadUrl: null }),
  });
}

beforeEach(() => {
  queryClient.clear();
  window.api = { invoke: async () => ({ ok: true, data: null }), on: () => () => {} };
});
afterEach(() => {
  setBridge(undefined);
  delete window.api;
});

describe('the Reports page', () => {
  it('pages through a report keeping the first page’s totals, links names, hides ids, and says where the CSV went', async () => {
    const fake = fakeMain();
    window.location.hash = '#/reports?kind=payments&from=2026-03-05&to=2026-04-01';
    render(<App router={createAppRouter()} />);
    const table = await screen.findByTestId('report-table', {}, FIRST_RENDER);
    expect(within(table).getAllByTestId('report-row')).toHaveLength(50);
    expect(within(table).queryByText('Customer id')).toBeNull();
    expect(within(table).getByRole('link', { name: 'Customer 1' }).getAttribute('href')).toBe('#/customers/c1');
    expect(within(screen.getByTestId('report-totals')).getByText('$1,200.00')).toBeTruthy();
    expect(screen.getByTestId('report-count').textContent).toBe('120 rows · showing 1–50');
    expect((screen.getByRole('radio', { name: 'Custom' }) as HTMLInputElement).checked).toBe(true);
    expect(fake.calls.find((c) => c.method === 'reports.view')?.input).toEqual({ kind: 'payments', from: '2026-03-05', to: '2026-04-01', offset: 0, limit: 50, withTotals: true });

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: '3' }));
    await waitFor(() => expect(within(screen.getByTestId('report-table')).getAllByTestId('report-row')).toHaveLength(20));
    expect(fake.calls.at(-1)?.input).toEqual({ kind: 'payments', from: '2026-03-05', to: '2026-04-01', offset: 100, limit: 50, withTotals: false });
    expect(within(screen.getByTestId('report-totals')).getByText('$1,200.00')).toBeTruthy();
    expect(screen.getByTestId('report-count').textContent).toBe('120 rows · showing 101–120');

    await user.click(screen.getByRole('checkbox', { name: 'Excel-friendly (BOM)' }));
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(await screen.findByText('Payments and refunds: 120 rows saved to /home/sam/sunrise-yoga-payments.csv')).toBeTruthy();
    expect(fake.calls.find((c) => c.method === 'reports.export')?.input).toEqual({ kind: 'payments', from: '2026-03-05', to: '2026-04-01', bom: true });
  });
});
