import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { signUpOwner } from './app-steps';
import { rpcAs, shotLightAndDark } from './billing-steps';
import { expect, test } from './fixtures';
import { TestSmtp } from '../support/smtp';

// The counter (issue 14) through a real browser host and Chromium: a cash sale
// rung up from the keyboard alone (then a discounted sale paid split), a refund of one line from the sales history,
// and the end-of-day (Z) report. Tax is 10% and prices are in USD, so:
//
//   4 × Green tea at $3.50 = $14.00, 1 × Yoga mat at $25.00: subtotal $39.00,
//   tax $3.90, total $42.90; $50.00 handed over → $7.10 change.

const TEA = { sku: 'TEA-1', name: 'Green tea', price: 350, stock: 20 };
const MAT = { sku: 'MAT-1', name: 'Yoga mat', price: 2500, stock: 5 };

async function setUp(page: Page, url: string) {
  await signUpOwner(page, url);
  await rpcAs(page, 'business.update', { taxRate: '10' });
  for (const p of [TEA, MAT]) await rpcAs(page, 'products.create', p);
}

async function stockOf(page: Page, sku: string): Promise<number | null> {
  return (await rpcAs(page, 'products.bySku', { sku })).stock;
}

async function openSell(page: Page) {
  await page.getByRole('navigation').getByRole('link', { name: 'Sell', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sell', level: 2 })).toBeVisible();
}

const scanBox = (page: Page) => page.getByRole('combobox', { name: 'Scan or search products' });
const line = (page: Page, name: string) => page.getByTestId('cart-line').filter({ hasText: name });

test('a cash sale from the keyboard alone: scan, quantities, search, pay cash with the change shown, receipt number', async ({ app, page }) => {
  test.slow();
  await setUp(page, app.url);
  await openSell(page);
  await expect(scanBox(page)).toBeFocused();

  // A scanner types the SKU (any case) and Enter.
  await page.keyboard.type('tea-1');
  await page.keyboard.press('Enter');
  await expect(line(page, 'Green tea').getByTestId('line-quantity')).toHaveText('1');
  await expect(scanBox(page)).toHaveValue('');
  // + and - change the picked line's quantity while the box is empty; F4 types it.
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await expect(line(page, 'Green tea').getByTestId('line-quantity')).toHaveText('3');
  await page.keyboard.press('-');
  await expect(line(page, 'Green tea').getByTestId('line-quantity')).toHaveText('2');
  await page.keyboard.press('F4');
  await expect(page.getByRole('textbox', { name: 'Quantity of Green tea' })).toBeFocused();
  await page.keyboard.type('4');
  await page.keyboard.press('Enter');
  await expect(line(page, 'Green tea').getByTestId('line-quantity')).toHaveText('4');
  await expect(scanBox(page)).toBeFocused();

  // A person types part of a name, picks the match with the arrows and Enter.
  await page.keyboard.type('yoga');
  await expect(page.getByRole('option', { name: /Yoga mat/ })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(line(page, 'Yoga mat').getByTestId('line-quantity')).toHaveText('1');

  // The live totals are sale-math's, as the core will record them.
  await expect(page.getByTestId('subtotal')).toHaveText('$39.00');
  await expect(page.getByTestId('tax')).toHaveText('$3.90');
  await expect(page.getByTestId('total')).toHaveText('$42.90');
  await shotLightAndDark(page, 'pos-cart');

  // F2 pay; Enter on "Cash" goes to the cash handed over; the change shows as it is typed; Enter completes.
  await page.keyboard.press('F2');
  const pay = page.getByRole('dialog', { name: 'Take payment' });
  await expect(pay.getByTestId('pay-due')).toHaveText('$42.90');
  await expect(pay.getByRole('radio', { name: /Cash/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(pay.getByRole('textbox', { name: /Cash handed over/ })).toBeFocused();
  await page.keyboard.type('40');
  await expect(pay.getByText('The amount tendered is less than what is due')).toBeVisible();
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('50');
  await expect(pay.getByTestId('change')).toHaveText('$7.10');
  await shotLightAndDark(page, 'pos-pay-cash');
  await page.keyboard.press('Enter');

  const done = page.getByRole('dialog').filter({ hasText: 'Sale complete' });
  await expect(done.getByTestId('receipt-number')).toHaveText('R-000001');
  await expect(done.getByTestId('change-given')).toHaveText('$7.10');
  await expect(done.getByRole('button', { name: 'Print receipt' })).toBeVisible();
  await shotLightAndDark(page, 'pos-sale-done');

  // What the core recorded: the same figures, and the stock went down.
  const { sale } = await rpcAs(page, 'sales.get', { id: 'R-000001' });
  expect(sale).toMatchObject({ subtotal: 3900, tax: 390, total: 4290, method: 'cash', tendered: 5000, change: 710 });
  expect(await stockOf(page, 'TEA-1')).toBe(16);
  expect(await stockOf(page, 'MAT-1')).toBe(4);

  // Enter: the next customer, with an empty cart and the box focused.
  await page.keyboard.press('Enter');
  await expect(done).toBeHidden();
  await expect(page.getByTestId('cart-line')).toHaveCount(0);
  await expect(scanBox(page)).toBeFocused();

  // Too little stock: the server refuses the sale and the line it names says so; no receipt number is taken.
  await page.keyboard.type('5*MAT-1');
  await page.keyboard.press('Enter');
  await expect(line(page, 'Yoga mat').getByTestId('line-quantity')).toHaveText('5');
  await page.keyboard.press('F2');
  await expect(pay.getByRole('radio', { name: /Cash/ })).toBeFocused();
  await page.keyboard.press('2'); // card
  await expect(pay.getByRole('radio', { name: /Card/ })).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(line(page, 'Yoga mat').getByTestId('line-error')).toContainText(/stock/i);
  await expect(pay).toBeHidden();
  expect(await stockOf(page, 'MAT-1')).toBe(4);
  expect((await rpcAs(page, 'sales.list', {})).total).toBe(1);
  await shotLightAndDark(page, 'pos-short-stock');

  // Still from the keyboard: Del drops the refused line; 2 teas and a mat ($32.00), F7 10% off the whole sale
  // ($3.20 → $28.80, tax $2.88, total $31.68), paid split: $10.00 cash first (5 Split, Enter, type, Enter), the rest by card.
  await expect(scanBox(page)).toBeFocused();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('cart-line')).toHaveCount(0);
  await page.keyboard.type('2*TEA-1');
  await page.keyboard.press('Enter');
  await page.keyboard.type('MAT-1');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('subtotal')).toHaveText('$32.00');
  await page.keyboard.press('F7');
  await expect(page.getByRole('textbox', { name: /Discount on the whole sale/ })).toBeFocused();
  await page.keyboard.type('10%');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('discount')).toHaveText('−$3.20');
  await expect(page.getByTestId('tax')).toHaveText('$2.88');
  await expect(page.getByTestId('total')).toHaveText('$31.68');
  await expect(scanBox(page)).toBeFocused();
  await page.keyboard.press('F2');
  await expect(pay.getByTestId('pay-due')).toHaveText('$31.68');
  // Typed fast, 5 then Enter: the method's own focus (after its render) does not take the field back from Enter.
  await page.keyboard.press('5');
  await page.keyboard.press('Enter');
  await expect(pay.getByRole('radio', { name: /Split/ })).toBeChecked();
  await expect(pay.getByRole('textbox', { name: 'First part' })).toBeFocused();
  await page.keyboard.type('10');
  await expect(pay.getByTestId('split-rest')).toHaveText('$21.68 by card');
  await shotLightAndDark(page, 'pos-pay-split');
  await page.keyboard.press('Enter');
  await expect(done.getByTestId('receipt-number')).toHaveText('R-000002');
  const split = (await rpcAs(page, 'sales.get', { id: 'R-000002' })).sale;
  expect(split).toMatchObject({ subtotal: 3200, discount: 320, tax: 288, total: 3168, method: 'split', status: 'paid' });
  expect(split.payments).toEqual([
    { method: 'cash', amount: 1000, tendered: null, change: 0 },
    { method: 'card', amount: 2168, tendered: null, change: 0 },
  ]);
  expect(split.lines.map((l) => [l.sku, l.quantity, l.discount])).toEqual([
    ['TEA-1', 2, 70],
    ['MAT-1', 1, 250],
  ]);
  expect(await stockOf(page, 'MAT-1')).toBe(3);
});

test('a refund of one line from the sales history puts its stock back', async ({ app, page }) => {
  test.slow();
  await setUp(page, app.url);
  await rpcAs(page, 'sales.create', { items: [{ sku: 'TEA-1', quantity: 2 }, { sku: 'MAT-1', quantity: 1 }], payments: [{ method: 'card' }] });
  expect(await stockOf(page, 'MAT-1')).toBe(4);

  await page.getByRole('navigation').getByRole('link', { name: 'Sales', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sales', level: 2 })).toBeVisible();
  await expect(page.getByTestId('sale-row')).toHaveCount(1);
  await shotLightAndDark(page, 'sales-history');
  await page.getByRole('link', { name: 'R-000001' }).click();
  await expect(page.getByRole('heading', { name: 'Sale R-000001' })).toBeVisible();
  // The receipt is a real PDF from sales.receipt, handed over as a download by the browser host.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Print receipt' }).click();
  const pdf = await download;
  expect(pdf.suggestedFilename()).toBe('R-000001-80mm.pdf');
  expect(fs.readFileSync((await pdf.path())!).subarray(0, 5).toString()).toBe('%PDF-');

  await page.getByRole('button', { name: 'Refund', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Refund sale R-000001' });
  // Keep the tea, give back the mat: $25.00 + 10% tax.
  await dialog.getByRole('textbox', { name: 'How many Green tea to give back' }).fill('0');
  await expect(dialog.getByTestId('refund-total')).toHaveText('Refund $27.50');
  await dialog.getByRole('button', { name: /^Refund \$27\.50$/ }).click();
  await expect(dialog).toBeHidden();

  await expect(page.getByText('Partly refunded')).toBeVisible();
  await expect(page.getByTestId('sale-refunded')).toHaveText('−$27.50');
  await expect(page.getByTestId('sale-line').filter({ hasText: 'Yoga mat' }).getByTestId('line-refunded')).toHaveText('Refunded');
  expect(await stockOf(page, 'MAT-1')).toBe(5);
  expect(await stockOf(page, 'TEA-1')).toBe(18);
  await shotLightAndDark(page, 'sale-detail-refunded');

  // Email receipt (shown once email is set up): to an address typed here (no customer on this sale), with its PDF.
  const smtp = await new TestSmtp().start();
  try {
    await rpcAs(page, 'email.settings.set', { host: '127.0.0.1', port: smtp.port, user: 'shop', from: 'hello@sunrise.example', secure: false, password: 's3cret smtp' });
    await page.reload();
    await page.getByRole('button', { name: 'Email receipt' }).click();
    await page.getByRole('textbox', { name: 'Send to' }).fill('walk-in@example.com');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.getByText('Sent to walk-in@example.com with its PDF.')).toBeVisible();
    expect(smtp.received.map((m) => [m.subject, m.attachments.map((a) => a.filename)])).toEqual([['Your receipt R-000001 from Sunrise Yoga', ['R-000001.pdf']]]);
  } finally {
    await smtp.stop();
  }
});

test("the Z report shows the day's totals per payment method, refunds and net", async ({ app, page }) => {
  test.slow();
  await setUp(page, app.url);
  // Cash $7.70 (2 tea), card $27.50 (a mat), split $11.55 (3 tea) = $5.00 cash + $6.55 card; the card mat refunded.
  await rpcAs(page, 'sales.create', { items: [{ sku: 'TEA-1', quantity: 2 }], payments: [{ method: 'cash', tendered: 1000 }] });
  const card = await rpcAs(page, 'sales.create', { items: [{ sku: 'MAT-1', quantity: 1 }], payments: [{ method: 'card' }] });
  await rpcAs(page, 'sales.create', { items: [{ sku: 'TEA-1', quantity: 3 }], payments: [{ method: 'cash', amount: 500 }, { method: 'card' }] });
  await rpcAs(page, 'sales.refund', { id: card.id });

  await page.getByRole('navigation').getByRole('link', { name: 'Sales', exact: true }).click();
  await page.getByRole('link', { name: 'End of day (Z)' }).click();
  await expect(page.getByRole('heading', { name: 'End of day (Z) report' })).toBeVisible();
  await expect(page.getByTestId('z-sales')).toHaveText('$46.75');
  await expect(page.getByText('3 sales')).toBeVisible();
  await expect(page.getByTestId('z-refunds')).toHaveText('−$27.50');
  await expect(page.getByTestId('z-net')).toHaveText('$19.25');
  await expect(page.getByTestId('z-method-cash')).toContainText('$12.70');
  await expect(page.getByTestId('z-method-card')).toContainText('$6.55');
  await expect(page.getByTestId('z-method-bank_transfer')).toContainText('$0.00');
  await shotLightAndDark(page, 'sales-z-report');

  // The dashboard's "Today's sales" is the same day.
  await page.getByRole('navigation').getByRole('link', { name: 'Dashboard', exact: true }).click();
  await expect(page.getByTestId('today-sales-amount')).toHaveText('$46.75');
  await expect(page.getByTestId('today-sales-count')).toContainText('3 sales');
});
