import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '@shared/contract/auth';
import type { Product } from '@shared/contract/products';
import { theme } from '../../src-renderer/src/app/theme';
import { NewInvoiceButton } from '../../src-renderer/src/features/invoicing/components/NewInvoiceButton';
import { SessionContext } from '../../src-renderer/src/lib/auth';
import { setBridge } from '../../src-renderer/src/lib/ipc';
import { queryClient } from '../../src-renderer/src/lib/query';
import { installFakeBridge } from './fake-bridge';

const SESSION: Session = {
  business: { id: 'biz-1', name: 'Sunrise Yoga', currency: 'USD', timezone: 'America/New_York', locale: 'en-US' },
  user: { id: 'u1', name: 'Sam', email: 'sam@example.com', role: 'staff' },
};

const product = (sku: string, name: string, price: number, category = ''): Product => ({
  id: `p-${sku}`, sku, name, category, description: '', price, currency: 'USD', stock: null, lowStockAt: null, lowStock: false, archived: false,
  createdAt: '2026-03-01T12:00:00.000Z', updatedAt: '2026-03-01T12:00:00.000Z',
});
const CATALOG = [product('MAT-1', 'Yoga mat', 2550, 'Gear'), product('TEA', 'Green tea', 300, 'Drinks'), product('BLOCK', 'Cork block', 1200, 'Gear')];

/** Main's products.list as far as this form needs it: each word starts the SKU, a name word or the category. */
function listProducts(input: unknown) {
  const words = ((input as { search?: string }).search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const rows = CATALOG.filter((p) => words.every((w) => p.sku.toLowerCase().startsWith(w) || `${p.name} ${p.category}`.toLowerCase().split(' ').some((x) => x.startsWith(w))));
  return { rows, total: rows.length };
}

function renderDialog() {
  const fake = installFakeBridge({
    'products.list': listProducts,
    'invoices.create': () => ({ id: 'inv-1', number: 'INV-0001', total: 5400, customerName: 'Ann Lee', dueDate: '2026-04-09' }),
  });
  render(
    <MantineProvider theme={theme} env="test">
      <QueryClientProvider client={queryClient}>
        <SessionContext.Provider value={SESSION}>
          <MemoryRouter>
            <NewInvoiceButton customerId="c1" customerName="Ann Lee" />
          </MemoryRouter>
        </SessionContext.Provider>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return fake;
}

beforeEach(() => queryClient.clear());
afterEach(() => setBridge(undefined));

describe('the new-invoice dialog’s product lines', () => {
  it('picks a product from a search showing name, SKU and price, fills its price, and sends the SKU; free lines stay', async () => {
    const user = userEvent.setup();
    const fake = renderDialog();
    await user.click(screen.getByRole('button', { name: 'New invoice' }));
    const dialog = await screen.findByRole('dialog');

    // Line 1: free text with its own price.
    await user.type(within(dialog).getByLabelText('Line 1 description'), 'Private class');
    await user.clear(within(dialog).getByLabelText('Line 1 quantity'));
    await user.type(within(dialog).getByLabelText('Line 1 quantity'), '2');
    await user.type(within(dialog).getByLabelText('Line 1 unit price'), '12.50');

    // Line 2: a product, found by a word of its name.
    await user.click(within(dialog).getByRole('button', { name: 'Add a line' }));
    await user.click(within(screen.getByTestId('charge-line-1')).getByText('Product'));
    const picker = within(dialog).getByRole('combobox', { name: 'Line 2 product' });
    await user.type(picker, 'yoga');
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'products.list' && (c.input as { search?: string }).search === 'yoga')).toBe(true));
    const option = await screen.findByRole('option', { name: /Yoga mat/ });
    expect(option.textContent).toContain('MAT-1');
    expect(option.textContent).toContain('$25.50');
    expect(screen.queryByRole('option', { name: /Green tea/ })).toBeNull();
    await user.click(option);
    expect((picker as HTMLInputElement).value).toBe('Yoga mat · MAT-1');
    const price = within(dialog).getByLabelText('Line 2 unit price') as HTMLInputElement;
    expect(price.value).toBe('25.50');
    expect(price.readOnly).toBe(true);
    await user.clear(within(dialog).getByLabelText('Line 2 quantity'));
    await user.type(within(dialog).getByLabelText('Line 2 quantity'), '3');

    await user.click(within(dialog).getByRole('button', { name: 'Issue invoice' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'invoices.create')).toBe(true));
    expect(fake.calls.find((c) => c.method === 'invoices.create')!.input).toMatchObject({
      customerId: 'c1',
      discount: 0,
      lines: [
        { description: 'Private class', quantity: 2, unitAmount: 1250 },
        { sku: 'MAT-1', quantity: 3 },
      ],
    });
  });

  it('a product line with no product picked names the field and sends nothing', async () => {
    const user = userEvent.setup();
    const fake = renderDialog();
    await user.click(screen.getByRole('button', { name: 'New invoice' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(screen.getByTestId('charge-line-0')).getByText('Product'));
    await user.click(within(dialog).getByRole('button', { name: 'Issue invoice' }));
    expect(await within(dialog).findByText('Choose a product')).toBeTruthy();
    expect(fake.calls.some((c) => c.method === 'invoices.create')).toBe(false);
  });
});
