import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '@shared/contract/auth';
import type { Customer } from '@shared/domain/customers';
import { App } from '../../src-renderer/src/app/App';
import { createAppRouter } from '../../src-renderer/src/app/router';
import { useCustomerList } from '../../src-renderer/src/features/customers/stores/customer-list-store';
import { setBridge } from '../../src-renderer/src/lib/ipc';
import { queryClient } from '../../src-renderer/src/lib/query';
import { installFakeBridge, Refusal } from './fake-bridge';

const BUSINESS = { id: 'biz-1', name: 'Sunrise Yoga', currency: 'USD' as const, timezone: 'America/New_York' };
const session = (role: Session['user']['role']): Session => ({
  business: { ...BUSINESS, locale: 'en-US' },
  user: { id: 'user-1', name: 'Sam', email: 'sam@example.com', role },
});

const customer = (n: number, name: string): Customer => ({
  id: `c${n}`,
  name,
  email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
  phone: '',
  company: '',
  addressLine1: '',
  addressLine2: '',
  city: '',
  region: '',
  postalCode: '',
  country: '',
  segment: '',
  tags: [],
  notes: '',
  status: 'active',
  paymentMethod: 'card',
  creditBalance: 0,
  currency: 'USD',
  createdAt: '2026-03-01T12:00:00.000Z',
  updatedAt: '2026-03-01T12:00:00.000Z',
});

/** The app's first render (lazy modules, the session) can take a while on a busy machine. */
// A first render can take seconds on a loaded machine (the lazy page, Mantine, jsdom): as long as any other wait (setup.ts), only a hang fails.
const FIRST_RENDER = { timeout: 15_000 };

const PEOPLE = [customer(1, 'Ann Lee'), customer(2, 'John Smith')];

function fakeMain(role: Session['user']['role'], list: (input: { search?: string }) => unknown) {
  return installFakeBridge({
    'auth.session': () => session(role),
    'business.list': () => [BUSINESS],
    'prefs.get': () => ({ theme: 'auto', lastBusinessId: BUSINESS.id }),
    'customers.list': (input) => list(input as { search?: string }),
    'customers.stats': () => ({ currency: 'USD', total: 2, active: 2, inactive: 0, newThisWeek: 0, newThisMonth: 2, withSubscriptions: 0, totalRevenue: 0, averageRevenuePerCustomer: 0 }),
    'customers.facets': () => ({ segments: [], tags: [] }),
    'customers.create': () => new Refusal({ code: 'conflict', message: 'Another customer already has this email', field: 'email' }),
  });
}

function renderCustomers() {
  window.location.hash = '#/customers';
  return render(<App router={createAppRouter()} />);
}

const listCalls = (fake: ReturnType<typeof installFakeBridge>) => fake.calls.filter((c) => c.method === 'customers.list').map((c) => c.input);

beforeEach(() => {
  queryClient.clear();
  useCustomerList.setState({ businessId: null });
});
afterEach(() => setBridge(undefined));

describe('the customer list', () => {
  it('lists the first page with its total, then searches as typed, one search at a time and the latest text last', async () => {
    // Main holds its answer to the first letter until the test lets it go: a search on its way.
    let answerFirstLetter = () => {};
    const firstLetterHeld = new Promise<void>((resolve) => (answerFirstLetter = resolve));
    const fake = fakeMain('staff', async ({ search }) => {
      if (search === 's') await firstLetterHeld;
      return search === 'smtih' ? { rows: [PEOPLE[1]], total: 1, fuzzy: true } : { rows: PEOPLE, total: 2, fuzzy: false };
    });
    renderCustomers();
    const grid = await screen.findByRole('grid', { name: 'Customers' }, FIRST_RENDER);
    await waitFor(() => expect(within(grid).getAllByTestId('customer-row')).toHaveLength(2));
    expect(screen.getByTestId('customer-count').textContent).toBe('2 customers');
    expect(listCalls(fake)[0]).toMatchObject({ search: '', offset: 0, limit: 100, withTotal: true, sort: 'name', direction: 'asc' });
    const searches = () => listCalls(fake).filter((input) => (input as { search: string }).search !== '');

    // The first key searches at once; the keys typed while that search is on its way wait for it.
    const user = userEvent.setup({ delay: null });
    const box = screen.getByRole('searchbox', { name: 'Search customers' });
    await user.type(box, 's');
    await waitFor(() => expect(searches()).toEqual([expect.objectContaining({ search: 's', withTotal: true })]));
    await user.type(box, 'mtih');
    expect((box as HTMLInputElement).value).toBe('smtih');
    await new Promise((resolve) => setTimeout(resolve, 400)); // longer than any debounce: a second search would be sent by now
    expect(searches()).toHaveLength(1);

    // Its answer in, the text as it is now is searched, once (not 'sm', 'smt', 'smti' on the way).
    answerFirstLetter();
    expect(await screen.findByText('No exact matches, showing close matches', {}, FIRST_RENDER)).toBeTruthy();
    expect(searches()).toEqual([expect.objectContaining({ search: 's' }), expect.objectContaining({ search: 'smtih', withTotal: true })]);
    expect(screen.getByTestId('customer-count').textContent).toBe('1 match');
  });

  it('a search that matches nobody says so once, with a way to clear it', async () => {
    // Main found no exact match and no close one (fuzzy, zero rows): one message, not three.
    fakeMain('staff', ({ search }) => (search === 'zzqx' ? { rows: [], total: 0, fuzzy: true } : { rows: PEOPLE, total: 2, fuzzy: false }));
    renderCustomers();
    await screen.findByRole('grid', { name: 'Customers' }, FIRST_RENDER);
    const box = screen.getByRole('searchbox', { name: 'Search customers' });
    await userEvent.setup({ delay: null }).type(box, 'zzqx');
    expect(await screen.findByText('No customers match “zzqx”', {}, FIRST_RENDER)).toBeTruthy();
    expect(screen.queryByText('No exact matches, showing close matches')).toBeNull();
    expect(screen.queryByTestId('customer-count')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Clear filters' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Clear search' }));
    await waitFor(() => expect(screen.getByTestId('customer-count').textContent).toBe('2 customers'));
    expect((box as HTMLInputElement).value).toBe('');
  });

  it('invites a business with no customers to add or import them, and hides both from viewers', async () => {
    fakeMain('staff', () => ({ rows: [], total: 0, fuzzy: false }));
    const { unmount } = renderCustomers();
    expect(await screen.findByText('No customers yet', {}, FIRST_RENDER)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add your first customer' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Import from CSV' })).toBeTruthy();
    unmount();

    queryClient.clear();
    fakeMain('viewer', () => ({ rows: PEOPLE, total: 2, fuzzy: false }));
    renderCustomers();
    await screen.findByRole('grid', { name: 'Customers' }, FIRST_RENDER);
    expect(screen.queryByRole('button', { name: 'Add customer' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Import' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Export' })).toBeTruthy();
  });

  it('puts a duplicate email refused by main under the Email field', async () => {
    const fake = fakeMain('owner', () => ({ rows: PEOPLE, total: 2, fuzzy: false }));
    renderCustomers();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Add customer' }, FIRST_RENDER));
    const dialog = await screen.findByRole('dialog', { name: 'Add a customer' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Ann Again');
    await user.type(within(dialog).getByRole('textbox', { name: 'Email' }), 'ann.lee@example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Add customer' }));
    await waitFor(() => expect(within(dialog).getByText('Another customer already has this email')).toBeTruthy());
    const sent = fake.calls.find((c) => c.method === 'customers.create')?.input as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual(
      ['addressLine1', 'addressLine2', 'city', 'company', 'country', 'email', 'name', 'notes', 'paymentMethod', 'phone', 'postalCode', 'region', 'segment', 'status', 'tags'],
    );
  });
});

describe('the customer page', () => {
  it('shows the timeline newest first and loads older entries from the last one shown', async () => {
    const entry = (n: number) => ({
      id: `e${String(n).padStart(3, '0')}`,
      kind: n === 0 ? ('system' as const) : ('call' as const),
      subtype: n === 0 ? 'created' : '',
      title: n === 0 ? 'Customer created' : `Call ${n}`,
      body: n === 0 ? '' : `Talked about plan ${n}`,
      occurredAt: '2026-03-01T12:00:00.000Z',
      userName: 'Sam',
    });
    const fake = installFakeBridge({
      'auth.session': () => session('viewer'),
      'business.list': () => [BUSINESS],
      'prefs.get': () => ({ theme: 'auto', lastBusinessId: BUSINESS.id }),
      'customers.get': () => ({ customer: PEOPLE[0], activeSubscriptions: 0, openInvoices: 0, amountDue: 0, totalPaid: 0, canDelete: true, deleteBlockedReason: null }),
      'customers.timeline': (input) =>
        (input as { before?: string }).before === 'e001'
          ? { entries: [entry(0)], hasMore: false }
          : { entries: Array.from({ length: 20 }, (_, i) => entry(20 - i)), hasMore: true },
    });
    window.location.hash = '#/customers/c1/timeline';
    render(<App router={createAppRouter()} />);

    expect(await screen.findByText('Talked about plan 20', {}, FIRST_RENDER)).toBeTruthy();
    expect(screen.queryByText('Customer created')).toBeNull();
    expect(screen.queryByRole('button', { name: /^Log / })).toBeNull(); // a viewer logs nothing
    await userEvent.setup().click(screen.getByRole('button', { name: 'Show older entries' }));
    expect(await screen.findByText('Customer created')).toBeTruthy();
    expect(fake.calls.filter((c) => c.method === 'customers.timeline').map((c) => c.input)).toEqual([
      { id: 'c1', limit: 20 },
      { id: 'c1', limit: 20, before: 'e001' },
    ]);
    expect(screen.queryByRole('button', { name: 'Show older entries' })).toBeNull();
  });
});
