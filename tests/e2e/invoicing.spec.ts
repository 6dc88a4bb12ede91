import { solidPng } from '../support/png';
import { signUpOwner } from './app-steps';
import { openNav, pickSegment, rpcAs, setToday, shotLightAndDark } from './billing-steps';
import { expect, test } from './fixtures';

// Issue 14 item 3: the business's details and logo in Settings; a one-off invoice and a credit note.

test("Settings: the business's address, tax ID, footer and logo (previewed, removable) are saved", async ({ app, page }) => {
  await signUpOwner(page, app.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('textbox', { name: 'Address', exact: true }).fill('400 Lakeview Avenue');
  await page.getByRole('textbox', { name: 'City' }).fill('Chicago');
  await page.getByRole('textbox', { name: 'State or region' }).fill('IL');
  await page.getByRole('textbox', { name: 'Postal code' }).fill('60601');
  await page.getByRole('textbox', { name: 'Country' }).fill('United States');
  await page.getByRole('textbox', { name: 'Email' }).fill('not an email');
  await page.getByRole('textbox', { name: 'Tax ID' }).fill('EIN 12-3456789');
  await page.getByRole('textbox', { name: 'Invoice footer' }).fill('Bank transfer: First Lakeview Bank, account 000123456.');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Upload logo' }).click();
  await (await chooser).setFiles({ name: 'logo.png', mimeType: 'image/png', buffer: solidPng(180, 60, [79, 70, 229]) });
  await expect(page.getByRole('img', { name: 'Logo preview' })).toBeVisible();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription(/Enter a valid email address/);
  await page.getByRole('textbox', { name: 'Email' }).fill('billing@sunrise.example');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Tax ID' })).toHaveValue('EIN 12-3456789');
  await expect(page.getByRole('img', { name: 'Logo preview' })).toBeVisible();
  await page.getByRole('heading', { name: 'Details on documents' }).scrollIntoViewIfNeeded();
  await shotLightAndDark(page, 'settings-business-details', { tall: 1500 });
  const business = await rpcAs(page, 'business.get', {});
  expect(business).toMatchObject({ city: 'Chicago', email: 'billing@sunrise.example', taxId: 'EIN 12-3456789' });
  expect(business.logo).toMatch(/^data:image\/png;base64,/);
  await page.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('No logo')).toBeVisible();
  expect((await rpcAs(page, 'business.get', {})).logo).toBeNull();
});

test('a one-off invoice from the Invoices page, then a credit note off what it owes', async ({ app, page }) => {
  await setToday(page, '2026-03-10');
  await signUpOwner(page, app.url);
  await rpcAs(page, 'business.update', { taxRate: '8.25' });
  await rpcAs(page, 'customers.create', { name: 'Jane Doe', email: 'jane@example.com', paymentMethod: 'manual' });
  await page.reload();
  await openNav(page, 'Invoices');
  await page.getByRole('button', { name: 'New invoice' }).click();
  const dialog = page.getByRole('dialog', { name: 'New invoice' });
  await dialog.getByRole('combobox', { name: 'Customer' }).fill('Jane');
  await page.getByRole('option', { name: /Jane Doe/ }).click();
  await dialog.getByRole('textbox', { name: 'Line 1 description' }).fill('Private class');
  await dialog.getByRole('textbox', { name: 'Line 1 quantity' }).fill('4');
  await dialog.getByRole('textbox', { name: 'Line 1 unit price' }).fill('40.001');
  await dialog.getByRole('button', { name: 'Add a line' }).click();
  await dialog.getByRole('textbox', { name: 'Line 2 description' }).fill('Workshop: breathing');
  await dialog.getByRole('textbox', { name: 'Line 2 unit price' }).fill('25');
  await dialog.getByRole('textbox', { name: 'Discount' }).fill('10');
  await dialog.getByRole('button', { name: 'Issue invoice' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Line 1 unit price' })).toHaveAccessibleDescription(/at most 2 decimal places/);
  await dialog.getByRole('textbox', { name: 'Line 1 unit price' }).fill('40.00');
  await shotLightAndDark(page, 'invoice-new-dialog', { tall: 1000 });
  await dialog.getByRole('button', { name: 'Issue invoice' }).click();
  await expect(page.getByRole('heading', { name: 'Invoice INV-000001' })).toBeVisible();
  // 160 + 25 = 185 - 10 = 175, tax 14.44: 189.44, due by the 14 net days.
  await expect(page.getByTestId('invoice-detail')).toContainText('$189.44');
  await expect(page.getByTestId('invoice-due')).toContainText('Mar 24, 2026');

  await page.getByRole('button', { name: 'Issue credit note' }).click();
  const cn = page.getByRole('dialog', { name: 'Credit note on INV-000001' });
  await pickSegment(cn, 'An amount');
  await cn.getByRole('textbox', { name: 'Amount, tax included' }).fill('200');
  await cn.getByRole('textbox', { name: 'Reason' }).fill('Class on Mar 8 cancelled');
  await cn.getByRole('button', { name: 'Issue credit note' }).click();
  await expect(cn.getByText(/can be credited on INV-000001/)).toBeVisible();
  await cn.getByRole('textbox', { name: 'Amount, tax included' }).fill('40.96');
  await cn.getByRole('button', { name: 'Issue credit note' }).click();
  await expect(cn).toBeHidden();
  await expect(page.getByTestId('credit-notes')).toContainText('CN-000001');
  await expect(page.getByTestId('credit-notes')).toContainText('-$40.96');
  expect(await rpcAs(page, 'invoices.get', { id: 'INV-000001' })).toMatchObject({ amountDue: 14848, creditApplied: 4096, credited: 4096 });
  await expect(page.getByTestId('invoice-detail')).toContainText('Credit notes');
  await expect(page.getByTestId('invoice-detail')).not.toContainText('Credit balance applied');
  await shotLightAndDark(page, 'invoice-one-off-credited', { tall: 1300 });

  // The customer's invoices tab offers the same and lists the credit note.
  await page.getByRole('link', { name: 'Jane Doe' }).first().click();
  await page.getByRole('tab', { name: 'Invoices' }).click();
  await expect(page.getByRole('button', { name: 'New invoice' })).toBeVisible();
  await expect(page.getByTestId('credit-notes')).toContainText('INV-000001');
});

test('a product line picked from a search: its price filled in, the invoice priced from the product, beside a free line', async ({ app, page }) => {
  await setToday(page, '2026-03-10');
  await signUpOwner(page, app.url);
  await rpcAs(page, 'customers.create', { name: 'Jane Doe', email: 'jane@example.com', paymentMethod: 'manual' });
  await rpcAs(page, 'products.create', { sku: 'MAT-1', name: 'Yoga mat', price: 2550, category: 'Gear' });
  await rpcAs(page, 'products.create', { sku: 'TEA', name: 'Green tea', price: 300, category: 'Drinks' });
  await page.reload();
  await openNav(page, 'Invoices');
  await page.getByRole('button', { name: 'New invoice' }).click();
  const dialog = page.getByRole('dialog', { name: 'New invoice' });
  await dialog.getByRole('combobox', { name: 'Customer' }).fill('Jane');
  await page.getByRole('option', { name: /Jane Doe/ }).click();
  await dialog.getByRole('textbox', { name: 'Line 1 description' }).fill('Private class');
  await dialog.getByRole('textbox', { name: 'Line 1 unit price' }).fill('40');
  await dialog.getByRole('button', { name: 'Add a line' }).click();
  await pickSegment(dialog.getByTestId('charge-line-1'), 'Product');
  await dialog.getByRole('combobox', { name: 'Line 2 product' }).fill('gear');
  const mat = page.getByRole('option', { name: /Yoga mat/ });
  await expect(mat).toContainText('MAT-1');
  await expect(mat).toContainText('$25.50');
  await expect(page.getByRole('option', { name: /Green tea/ })).toHaveCount(0);
  await mat.click();
  await expect(dialog.getByRole('textbox', { name: 'Line 2 unit price' })).toHaveValue('25.50');
  await dialog.getByRole('textbox', { name: 'Line 2 quantity' }).fill('2');
  await dialog.getByRole('button', { name: 'Add a line' }).click();
  await pickSegment(dialog.getByTestId('charge-line-2'), 'Product');
  await dialog.getByRole('combobox', { name: 'Line 3 product' }).click();
  await expect(page.getByRole('option')).toHaveCount(2); // nothing typed: every product, with its SKU and price
  await shotLightAndDark(page, 'invoice-new-dialog-product', { tall: 1000 });
  await page.keyboard.press('Escape');
  await dialog.getByRole('button', { name: 'Remove line 3' }).click();
  await dialog.getByRole('button', { name: 'Issue invoice' }).click();
  await expect(page.getByRole('heading', { name: 'Invoice INV-000001' })).toBeVisible();
  // 40.00 + 2 x 25.50 = 91.00, no tax set.
  await expect(page.getByTestId('invoice-detail')).toContainText('$91.00');
  const invoice = await rpcAs(page, 'invoices.get', { id: 'INV-000001' });
  expect(invoice.lines.map((l: { description: string; quantity: number; amount: number }) => [l.description, l.quantity, l.amount])).toEqual([
    ['Private class', 1, 4000],
    ['Yoga mat', 2, 5100],
  ]);
});

test("extra lines on a subscription's next invoice: added, listed with its amount, removed while not yet invoiced", async ({ app, page }) => {
  await setToday(page, '2026-03-10');
  await signUpOwner(page, app.url);
  const plan = await rpcAs(page, 'plans.create', { name: 'Studio Monthly', price: 3000, interval: 'month' });
  const jane = await rpcAs(page, 'customers.create', { name: 'Jane Doe', email: 'jane@example.com', paymentMethod: 'manual' });
  const sub = await rpcAs(page, 'subscriptions.create', { customerId: jane.id, planId: plan.id, startDate: '2026-03-01' });
  await page.goto(`${new URL(page.url()).origin}/#/subscriptions/${sub.id}`);
  await expect(page.getByRole('heading', { name: 'Extra lines on the next invoice' })).toBeVisible();
  for (const [text, qty, price] of [['Towel rental', '4', '2.50'], ['Locker key replacement', '1', '12']] as const) {
    await page.getByRole('button', { name: 'Add a line' }).click();
    await page.getByRole('textbox', { name: 'Line 1 description' }).fill(text);
    await page.getByRole('textbox', { name: 'Line 1 quantity' }).fill(qty);
    await page.getByRole('textbox', { name: 'Line 1 unit price' }).fill(price);
    await page.getByRole('button', { name: 'Add to next invoice' }).click();
    await expect(page.getByTestId('extra-lines')).toContainText(text);
  }
  await expect(page.getByTestId('extra-lines')).toContainText('$10.00');
  await page.getByRole('button', { name: 'Add a line' }).click();
  await page.getByRole('textbox', { name: 'Line 1 description' }).fill('Bad price');
  await page.getByRole('textbox', { name: 'Line 1 unit price' }).fill('1.005');
  await page.getByRole('button', { name: 'Add to next invoice' }).click();
  await expect(page.getByRole('textbox', { name: 'Line 1 unit price' })).toHaveAccessibleDescription(/at most 2 decimal places/);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await shotLightAndDark(page, 'subscription-extra-lines', { tall: 1200 });
  await page.getByRole('button', { name: 'Remove Locker key replacement' }).click();
  await expect(page.getByTestId('extra-lines')).not.toContainText('Locker key replacement');
  const waiting = (await rpcAs(page, 'subscriptions.get', { id: sub.id })).pendingItems;
  expect(waiting.map((p) => [p.kind, p.description, p.amount])).toEqual([['extra', 'Towel rental', 1000]]);
});
