import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '@shared/contract/auth';
import type { Plan } from '@shared/domain/billing';
import { App } from '../../src-renderer/src/app/App';
import { createAppRouter } from '../../src-renderer/src/app/router';
import { setBridge } from '../../src-renderer/src/lib/ipc';
import { queryClient } from '../../src-renderer/src/lib/query';
import { installFakeBridge, Refusal } from './fake-bridge';

const BUSINESS = { id: 'biz-1', name: 'Sunrise Yoga', currency: 'USD' as const, timezone: 'UTC' };
const SESSION: Session = { business: { ...BUSINESS, locale: 'en-US' }, user: { id: 'u1', name: 'Sam', email: 'sam@example.com', role: 'staff' } };

const USED: Plan = {
  id: 'p1', name: 'Basic', code: 'basic', description: '', price: 3000, currency: 'USD', interval: 'month', intervalCount: 1, trialDays: 0, setupFee: 0,
  pricingModel: 'flat', tiers: [], features: [], maxMachines: null, archived: false, subscriptionCount: 2, activeSubscriptions: 2, createdAt: '',
};

function fakeMain(plans: Plan[], handlers: Record<string, (input: unknown) => unknown> = {}) {
  return installFakeBridge({
    'auth.session': () => SESSION,
    'business.list': () => [BUSINESS],
    'prefs.get': () => ({ theme: 'auto', lastBusinessId: BUSINESS.id }),
    'billing.status': () => ({ running: false, lastRun: null, recentRuns: [] }),
    'plans.list': () => plans,
    ...handlers,
  });
}

beforeEach(() => queryClient.clear());
afterEach(() => setBridge(undefined));

async function openNewPlan() {
  window.location.hash = '#/plans';
  render(<App router={createAppRouter()} />);
  const user = userEvent.setup();
  await user.click((await screen.findAllByRole('button', { name: 'New plan' }))[0]!);
  return { user, dialog: await screen.findByRole('dialog', { name: 'New plan' }) };
}

describe('the plan form and its tiers editor', () => {
  it('prices an example as the tiers are typed, and sends the tiers in minor units', async () => {
    const fake = fakeMain([], { 'plans.create': (input) => ({ ...USED, ...(input as object), id: 'p2', subscriptionCount: 0 }) });
    const { user, dialog } = await openNewPlan();
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Seats');
    await user.click(within(dialog).getByText('Graduated'));
    const upTo = within(dialog).getByRole('textbox', { name: 'Tier 1: up to how many units' });
    await user.clear(upTo);
    await user.type(upTo, '10');
    await user.type(within(dialog).getByRole('textbox', { name: 'Tier 1: unit price' }), '5');
    await user.type(within(dialog).getByRole('textbox', { name: 'Tier 2: unit price' }), '4.00');
    expect(within(dialog).getByTestId('tier-example-total').textContent).toBe('15 units cost $70.00 monthly');
    expect(within(dialog).getByText('11 and above')).toBeTruthy();

    await user.click(within(dialog).getByText('Volume'));
    expect(within(dialog).getByTestId('tier-example-total').textContent).toBe('15 units cost $60.00 monthly');
    const quantity = within(dialog).getByRole('textbox', { name: 'Example quantity' });
    await user.clear(quantity);
    await user.type(quantity, '7');
    expect(within(dialog).getByTestId('tier-example-total').textContent).toBe('7 units cost $35.00 monthly');

    await user.click(within(dialog).getByRole('button', { name: 'Create plan' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'plans.create')).toBe(true));
    expect(fake.calls.find((c) => c.method === 'plans.create')?.input).toMatchObject({
      name: 'Seats',
      price: 500,
      pricingModel: 'volume',
      tiers: [
        { upTo: 10, unitAmount: 500, flatAmount: 0 },
        { upTo: null, unitAmount: 400, flatAmount: 0 },
      ],
    });
  });

  it('keeps bad money from being sent and says what is wrong under the field', async () => {
    const fake = fakeMain([]);
    const { user, dialog } = await openNewPlan();
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Basic');
    await user.type(within(dialog).getByRole('textbox', { name: 'Price per unit' }), '29.999');
    await user.click(within(dialog).getByRole('button', { name: 'Create plan' }));
    expect(await within(dialog).findByText('USD allows at most 2 decimal places')).toBeTruthy();
    expect(fake.calls.some((c) => c.method === 'plans.create')).toBe(false);
  });

  it('shows main’s refusal under the field it names', async () => {
    fakeMain([], { 'plans.create': () => new Refusal({ code: 'conflict', message: 'Another plan already uses the code basic', field: 'code' }) });
    const { user, dialog } = await openNewPlan();
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Basic');
    await user.type(within(dialog).getByRole('textbox', { name: 'Code' }), 'basic');
    await user.type(within(dialog).getByRole('textbox', { name: 'Price per unit' }), '30');
    await user.click(within(dialog).getByRole('button', { name: 'Create plan' }));
    expect(await within(dialog).findByText('Another plan already uses the code basic')).toBeTruthy();
  });

  it('explains why a used plan’s price is fixed, and sends only what may change', async () => {
    const fake = fakeMain([USED], { 'plans.update': (input) => ({ ...USED, ...(input as object) }) });
    window.location.hash = '#/plans';
    render(<App router={createAppRouter()} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Actions for Basic' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Basic' });
    expect(within(dialog).getByTestId('plan-locked').textContent).toContain('2 subscriptions were billed on this plan');
    expect((within(dialog).getByRole('textbox', { name: 'Price per unit' }) as HTMLInputElement).disabled).toBe(true);
    await user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Two classes a week');
    await user.click(within(dialog).getByRole('button', { name: 'Save plan' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'plans.update')).toBe(true));
    const sent = fake.calls.find((c) => c.method === 'plans.update')?.input as Record<string, unknown>;
    expect(sent).toMatchObject({ id: 'p1', name: 'Basic', description: 'Two classes a week' });
    expect(Object.keys(sent)).not.toContain('price');
    expect(Object.keys(sent)).not.toContain('tiers');
  });
});
