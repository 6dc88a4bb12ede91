import { signUpOwner } from './app-steps';
import { rpcAs, setToday, shotLightAndDark } from './billing-steps';
import { readCsvDownload } from './customer-steps';
import { expect, test } from './fixtures';

// Products at the counter: create (with stock and without), adjust stock through
// the dialog (a delivery, then a count), the history in the drawer, search and
// the low-stock filter.

test('products: create, adjust stock, history, search and the low-stock filter', async ({ app, page }) => {
  test.slow();
  await setToday(page, '2026-03-11');
  await signUpOwner(page, app.url);
  await page.getByRole('navigation').getByRole('link', { name: 'Products', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Products', exact: true, level: 2 })).toBeVisible();
  await expect(page.getByText('No products yet')).toBeVisible();
  await shotLightAndDark(page, 'products-empty');

  // A bad price is refused on its field.
  await page.getByRole('button', { name: 'Add your first product' }).click();
  let dialog = page.getByRole('dialog', { name: 'New product' });
  await dialog.getByRole('textbox', { name: 'SKU' }).fill('MAT-BLUE');
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Yoga mat, blue');
  await dialog.getByRole('textbox', { name: 'Price' }).fill('25.005');
  await dialog.getByRole('textbox', { name: 'Category' }).fill('Gear');
  await dialog.getByRole('textbox', { name: 'Stock on hand' }).fill('6');
  await dialog.getByRole('textbox', { name: 'Low-stock warning at' }).fill('3');
  await dialog.getByRole('button', { name: 'Create product' }).click();
  await expect(dialog.getByText('USD allows at most 2 decimal places')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Price' }).fill('25.00');
  await dialog.getByRole('button', { name: 'Create product' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('product-row-MAT-BLUE')).toContainText('$25.00');
  await expect(page.getByTestId('product-row-MAT-BLUE')).toContainText('6');

  // A taken SKU, whatever the case, is named on the SKU field.
  await page.getByRole('button', { name: 'New product' }).click();
  dialog = page.getByRole('dialog', { name: 'New product' });
  await dialog.getByRole('textbox', { name: 'SKU' }).fill('mat-blue');
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Another mat');
  await dialog.getByRole('textbox', { name: 'Price' }).fill('20');
  await dialog.getByRole('button', { name: 'Create product' }).click();
  await expect(dialog.getByText(/already has the SKU MAT-BLUE/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await rpcAs(page, 'products.create', { sku: 'TEA-GREEN', name: 'Green tea', price: 300, category: 'Drinks' });
  await rpcAs(page, 'products.create', { sku: 'BAR-PROT', name: 'Protein bar', price: 450, category: 'Snacks', stock: 20, lowStockAt: 5 });
  await expect(page.getByTestId('product-row-TEA-GREEN')).toContainText('Not tracked');

  // Damaged: 4 mats go, the stock falls to 2, at or below 3: low.
  await page.getByRole('button', { name: 'Actions for Yoga mat, blue' }).click();
  await page.getByRole('menuitem', { name: 'Adjust stock' }).click();
  dialog = page.getByRole('dialog', { name: 'Adjust stock: Yoga mat, blue' });
  await dialog.getByRole('textbox', { name: 'Quantity' }).fill('-4');
  await dialog.getByRole('combobox', { name: 'Reason' }).click();
  await page.getByRole('option', { name: 'Damaged or lost' }).click();
  await dialog.getByRole('textbox', { name: 'Note' }).fill('Torn in storage');
  await expect(dialog.getByText('Stock after: 2')).toBeVisible();
  await shotLightAndDark(page, 'products-adjust-stock');
  await dialog.getByRole('button', { name: 'Record' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('product-row-MAT-BLUE')).toContainText('Low');

  // A count of the protein bars: 17 on the shelf, -3 recorded.
  await page.getByRole('button', { name: 'Actions for Protein bar' }).click();
  await page.getByRole('menuitem', { name: 'Adjust stock' }).click();
  dialog = page.getByRole('dialog', { name: 'Adjust stock: Protein bar' });
  await dialog.getByText('Counted the shelf').click();
  await dialog.getByRole('textbox', { name: 'Quantity counted' }).fill('17');
  await dialog.getByRole('button', { name: 'Record' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('product-row-BAR-PROT')).toContainText('17');

  // Low-stock filter and search.
  await page.getByRole('switch', { name: 'Low stock only' }).click();
  await expect(page.getByTestId('product-row-MAT-BLUE')).toBeVisible();
  await expect(page.getByTestId('product-row-BAR-PROT')).toBeHidden();
  await page.getByRole('switch', { name: 'Low stock only' }).click();
  await page.getByRole('textbox', { name: 'Search products' }).fill('tea');
  await expect(page.getByTestId('product-row-TEA-GREEN')).toBeVisible();
  await expect(page.getByTestId('product-row-MAT-BLUE')).toBeHidden();
  await page.getByRole('textbox', { name: 'Search products' }).fill('bar-');
  await expect(page.getByTestId('product-row-BAR-PROT')).toBeVisible();
  await expect(page.getByTestId('product-row-TEA-GREEN')).toBeHidden();
  // Export CSV: the list as filtered, in the import's columns.
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const exportDialog = page.getByRole('dialog', { name: 'Export products to CSV' });
  const [download] = await Promise.all([page.waitForEvent('download'), exportDialog.getByRole('button', { name: 'Export 1 product' }).click()]);
  expect(download.suggestedFilename()).toMatch(/-products-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readCsvDownload(download);
  expect(csv.records).toEqual([expect.objectContaining({ SKU: 'BAR-PROT', Name: 'Protein bar', Stock: '17' })]);
  expect(Object.keys(csv.records[0]!)).toEqual(['SKU', 'Name', 'Price (USD)', 'Category', 'Stock', 'Low stock at', 'Description']);
  await page.getByRole('textbox', { name: 'Search products' }).fill('');
  await expect(page.getByTestId('product-row-TEA-GREEN')).toBeVisible();
  await shotLightAndDark(page, 'products-list');

  // The history: newest first, who, why, the stock after.
  await page.getByTestId('product-row-MAT-BLUE').click();
  const drawer = page.getByRole('dialog', { name: 'Yoga mat, blue' });
  const rows = drawer.getByTestId('movement-table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Damaged');
  await expect(rows.nth(0)).toContainText('-4');
  await expect(rows.nth(0)).toContainText('Torn in storage');
  await expect(rows.nth(0)).toContainText('2');
  await expect(rows.nth(1)).toContainText('Received');
  await expect(rows.nth(1)).toContainText('+6');
  await shotLightAndDark(page, 'products-history');
});
