import { OWNER, STAFF, logIn, shot, signUpOwner } from './app-steps';
import { addCustomer, listedNames, openCustomers, pickFilter, readCsvDownload, rpc, search } from './customer-steps';
import { expect, test } from './fixtures';

test('the owner adds customers, finds them, logs a note and edits one', async ({ app, page }) => {
  await signUpOwner(page, app.url);
  await openCustomers(page);
  await expect(page.getByText('No customers yet')).toBeVisible();
  await shot(page, 'customers-empty');

  // A bad email is refused in the form, before anything is sent.
  let dialog = await addCustomer(page, { name: 'Jane Doe', email: 'jane@acme', company: 'Acme Corp', phone: '(555) 010-1234', segment: 'Retail', tags: ['vip'] });
  await expect(dialog.getByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription(/Enter a valid email address/);
  await dialog.getByRole('textbox', { name: 'Email' }).fill('jane@acme.example');
  await dialog.getByRole('button', { name: 'Add customer' }).click();
  await expect(page.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await expect(page.getByText('Acme Corp · jane@acme.example')).toBeVisible();

  // The same email again (any case): main's conflict lands under the Email field.
  await openCustomers(page);
  dialog = await addCustomer(page, { name: 'John Smith', email: 'JANE@acme.example', company: 'Smith Plumbing' });
  await expect(dialog.getByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription('Another customer already has this email');
  await dialog.getByRole('textbox', { name: 'Email' }).scrollIntoViewIfNeeded();
  await shot(page, 'customers-add-duplicate-email');
  await dialog.getByRole('textbox', { name: 'Email' }).fill('john@smith.example');
  await dialog.getByRole('button', { name: 'Add customer' }).click();
  await expect(page.getByRole('heading', { name: 'John Smith' })).toBeVisible();
  await openCustomers(page);
  await expect(page.getByTestId('customer-count')).toHaveText('2 customers');

  // Found by part of a name, and by company.
  await search(page, 'jan');
  await expect.poll(() => listedNames(page)).toEqual(['Jane Doe']);
  await search(page, 'plumbing');
  await expect.poll(() => listedNames(page)).toEqual(['John Smith']);
  await search(page, 'acme');
  await expect.poll(() => listedNames(page)).toEqual(['Jane Doe']);
  await expect(page.getByTestId('customer-count')).toHaveText('1 match');

  // From the keyboard: / to search, Down into the list, Enter opens the customer.
  await page.getByRole('heading', { name: 'Customers', exact: true }).click();
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search customers' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('grid', { name: 'Customers' })).toBeFocused();
  await expect(page.getByRole('grid', { name: 'Customers' })).toHaveAttribute('aria-activedescendant', 'customer-row-0');
  await shot(page, 'customers-keyboard');
  await page.keyboard.press('Enter');
  // Open the customer, log a note, see it on top of the timeline.
  await expect(page.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await page.getByRole('textbox', { name: 'Subject (optional)' }).fill('Renewal');
  await page.getByRole('textbox', { name: 'What happened' }).fill('Prefers calls in the morning');
  await page.getByRole('button', { name: 'Log note' }).click();
  const firstEntry = page.getByTestId('timeline-entry').first();
  await expect(firstEntry).toContainText('Prefers calls in the morning');
  await expect(firstEntry).toContainText(`Note · by ${OWNER.name}`);
  await expect(page.getByTestId('timeline-entry').last()).toContainText('Customer created');
  await expect(page.getByRole('textbox', { name: 'What happened' })).toHaveValue('');

  // Edit: only the changed fields are sent, and the timeline says what changed.
  await page.getByRole('button', { name: 'Edit' }).click();
  dialog = page.getByRole('dialog', { name: 'Edit Jane Doe' });
  await dialog.getByRole('textbox', { name: 'Phone' }).fill('(555) 010-9999');
  await dialog.getByRole('textbox', { name: 'City' }).fill('Springfield');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('timeline-entry').first()).toContainText('Edited phone, city');
  await page.getByRole('tab', { name: 'Details' }).click();
  await expect(page.getByText('(555) 010-9999')).toBeVisible();
  await expect(page.getByText('Springfield')).toBeVisible();
  await page.getByText('Changes saved').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
  await shot(page, 'customer-page');
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await shot(page, 'customer-timeline');

  // Changed elsewhere while the form is open (another window here; a sync from another PC is the same):
  // the untouched Phone shows the newer value, the typed Company stays, the form says so, and saving
  // sends only the typed field.
  await page.getByRole('button', { name: 'Edit' }).click();
  dialog = page.getByRole('dialog', { name: 'Edit Jane Doe' });
  await dialog.getByRole('textbox', { name: 'Company' }).fill('Doe Holdings');
  const jane = (await rpc(page, 'customers.list', { search: 'jane@acme.example' })).rows[0]!;
  await rpc(page, 'customers.update', { id: jane.id, phone: '(555) 010-4444' });
  await expect(dialog.getByTestId('changed-meanwhile')).toContainText('Jane Doe was just changed elsewhere');
  await expect(dialog.getByRole('textbox', { name: 'Phone' })).toHaveValue('(555) 010-4444');
  await expect(dialog.getByRole('textbox', { name: 'Company' })).toHaveValue('Doe Holdings');
  await shot(page, 'customer-edit-changed-meanwhile');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('tab', { name: 'Details' }).click();
  await expect(page.getByText('(555) 010-4444')).toBeVisible();
  await expect(page.getByText('Doe Holdings · jane@acme.example')).toBeVisible();
});

const IMPORT_CSV = [
  'Full Name,E-mail,Phone,Company,Segment,Tags',
  'Ann Lee,ann@example.com,555 0101,Lee Co,Retail,"vip, local"',
  'No Email,,555 0102,,Retail,',
  'Bea Cruz,bea@example.com,,Cruz Bakery,Retail,',
  'Bad Email,bad-email,,,Wholesale,',
  'Cara Diaz,cara@example.com,,,Wholesale,',
  'Dan Wu,dan@example.com,,Wu Labs,Retail,vip',
].join('\r\n');

test('import a CSV with two bad rows, then export the filtered list and a selection', async ({ app, page }) => {
  await signUpOwner(page, app.url);
  await openCustomers(page);
  await page.getByRole('link', { name: 'Import from CSV' }).click();
  await expect(page.getByRole('heading', { name: 'Import customers' })).toBeVisible();
  await shot(page, 'customers-import-choose');

  await page.locator('input[type="file"]').setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: Buffer.from(IMPORT_CSV) });
  await expect(page.getByRole('heading', { name: 'Match the columns of clients.csv' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Field for column Full Name' })).toHaveValue('Name');
  await expect(page.getByRole('combobox', { name: 'Field for column E-mail' })).toHaveValue('Email');
  await expect(page.getByTestId('import-check-summary')).toHaveText('6 rows: 4 customers ready, 2 with problems (skipped on import).');
  const errors = page.getByTestId('import-errors').getByRole('row');
  await expect(errors).toHaveCount(3);
  await expect(errors.nth(1)).toContainText('3Email');
  await expect(errors.nth(1)).toContainText('Enter an email address');
  await expect(errors.nth(2)).toContainText('5Email');
  await expect(errors.nth(2)).toContainText('valid email');
  await shot(page, 'customers-import-dry-run-errors');

  // Not importing the phone column: the check is stale until run again.
  await page.getByRole('combobox', { name: 'Field for column Phone' }).click();
  await page.getByRole('option', { name: "Don't import" }).click();
  await expect(page.getByRole('button', { name: /^Import/ })).toBeDisabled();
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByTestId('import-check-summary')).toContainText('4 customers ready');
  await page.getByRole('button', { name: 'Import 4 customers' }).click();
  await expect(page.getByTestId('import-result')).toHaveText('Imported 4 customers');
  await expect(page.getByText('2 of 6 rows were skipped')).toBeVisible();
  await shot(page, 'customers-import-done');

  await page.getByRole('link', { name: 'See your customers' }).click();
  await expect(page.getByTestId('customer-count')).toHaveText('4 customers');
  expect((await rpc(page, 'customers.list', { search: 'ann' })).rows[0]).toMatchObject({ phone: '', tags: ['local', 'vip'] });

  // Export the filtered list (segment Retail), Excel-friendly.
  await pickFilter(page, 'Segment', 'Retail');
  await expect(page.getByTestId('customer-count')).toHaveText('3 matches');
  await page.getByRole('button', { name: 'Export' }).click();
  const exportDialog = page.getByRole('dialog', { name: 'Export customers to CSV' });
  await exportDialog.getByRole('checkbox', { name: 'Excel-friendly (UTF-8 with BOM)' }).check();
  const [download] = await Promise.all([page.waitForEvent('download'), exportDialog.getByRole('button', { name: 'Export 3 customers' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^sunrise-yoga-customers-\d{4}-\d{2}-\d{2}\.csv$/);
  const filtered = await readCsvDownload(download);
  expect(filtered.text.charCodeAt(0)).toBe(0xfeff);
  expect(filtered.records.map((r) => r.Name)).toEqual(['Ann Lee', 'Bea Cruz', 'Dan Wu']);
  expect(filtered.records[0]).toMatchObject({ Email: 'ann@example.com', Company: 'Lee Co', Segment: 'Retail', Tags: 'local, vip' });

  // Select two rows, tag them in bulk, export just them (no BOM this time).
  await page.getByRole('checkbox', { name: 'Select Ann Lee' }).check();
  await page.getByRole('checkbox', { name: 'Select Dan Wu' }).check();
  await expect(page.getByTestId('selection-count')).toHaveText('2 selected');
  await shot(page, 'customers-selection');
  await page.getByRole('group', { name: 'Selected customers' }).getByRole('button', { name: 'Add tag' }).click();
  const tagDialog = page.getByRole('dialog', { name: 'Add a tag' });
  await tagDialog.getByRole('combobox', { name: 'Tag' }).fill('spring-promo');
  await tagDialog.getByRole('button', { name: 'Add tag to 2 customers' }).click();
  await expect(tagDialog).toBeHidden();
  await expect(page.getByText('Tagged 2 customers with “spring-promo”.')).toBeVisible();
  await pickFilter(page, 'Segment', 'Retail'); // picking it again clears it
  await pickFilter(page, 'Tag', 'spring-promo');
  await expect.poll(() => listedNames(page)).toEqual(['Ann Lee', 'Dan Wu']);

  // Everyone matching the filter, deactivated in one go (the call sends the filter, not ids).
  await page.getByRole('checkbox', { name: 'Select all 2 matching customers' }).check();
  await expect(page.getByTestId('selection-count')).toHaveText('All 2 customers selected');
  await page.getByRole('group', { name: 'Selected customers' }).getByRole('button', { name: 'Status' }).click();
  await page.getByRole('menuitem', { name: 'Deactivate' }).click();
  await page.getByRole('dialog', { name: 'Deactivate customers' }).getByRole('button', { name: 'Deactivate 2 customers' }).click();
  await expect(page.getByText('Deactivated 2 customers.')).toBeVisible();
  await expect(page.getByTestId('customer-row').filter({ hasText: 'Inactive' })).toHaveCount(2);
  expect((await rpc(page, 'customers.list', { status: 'inactive' })).total).toBe(2);

  // All matching but one unticked: the export sends the filter and that exception.
  await page.getByRole('checkbox', { name: 'Select all 2 matching customers' }).check();
  await page.getByRole('checkbox', { name: 'Select Dan Wu' }).uncheck();
  await expect(page.getByTestId('selection-count')).toHaveText('1 of 2 selected');
  await page.getByRole('group', { name: 'Selected customers' }).getByRole('button', { name: 'Export' }).click();
  await page.getByRole('dialog', { name: 'Export customers to CSV' }).getByRole('checkbox', { name: /Excel-friendly/ }).uncheck();
  const [selected] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export 1 customer' }).click()]);
  const picked = await readCsvDownload(selected);
  expect(picked.text.charCodeAt(0)).not.toBe(0xfeff);
  expect(picked.records.map((r) => r.Name)).toEqual(['Ann Lee']);
});

test('staff see no Delete, viewers cannot create, edit or import, and a delete billing blocks is explained', async ({ app, page, browser }) => {
  await signUpOwner(page, app.url);
  const jane = await rpc(page, 'customers.create', { name: 'Jane Doe', email: 'jane@example.com', company: 'Acme Corp' });
  const zoe = await rpc(page, 'customers.create', { name: 'Zoë Martin', email: 'zoe@example.com' });
  await rpc(page, 'users.create', { ...STAFF, role: 'staff' });
  await rpc(page, 'users.create', { name: 'Vic Viewer', email: 'vic@example.com', password: 'viewer password', role: 'viewer' });

  // Jane subscribes to a plan: billing now needs her, so she cannot be deleted.
  const plan = await rpc(page, 'plans.create', { name: 'Monthly membership', price: 4900, interval: 'month' });
  const today = new Date().toISOString().slice(0, 10);
  await rpc(page, 'subscriptions.create', { customerId: jane.id, planId: plan.id, startDate: today });
  await rpc(page, 'billing.run', { asOf: today }); // the first invoice, paid by card

  await page.goto(`${app.url}#/customers/${jane.id}`);
  await expect(page.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  const blocked = page.getByTestId('delete-blocked');
  await expect(blocked.getByRole('button', { name: 'Delete' })).toBeDisabled();
  await expect(blocked).toHaveAttribute('aria-label', /subscription that is not canceled/);
  await blocked.hover();
  await expect(page.getByRole('tooltip')).toContainText('Cancel it first');
  await expect(page.getByRole('tab', { name: /Subscriptions/ })).toContainText('1');
  await page.getByRole('tab', { name: /Subscriptions/ }).click();
  const subscriptionRow = page.getByTestId('customer-subscriptions').getByRole('row').nth(1);
  await expect(subscriptionRow).toContainText('Monthly membership');
  await expect(subscriptionRow).toContainText('$49.00');
  await expect(subscriptionRow).toContainText('per month');
  await shot(page, 'customer-subscriptions');
  await page.getByRole('tab', { name: /Invoices/ }).click();
  const invoiceRow = page.getByTestId('customer-invoices').getByRole('row').nth(1);
  await expect(invoiceRow).toContainText(/INV-\d+/);
  await expect(invoiceRow).toContainText('$49.00');
  await page.getByRole('tab', { name: 'Payments' }).click();
  const paymentRow = page.getByTestId('customer-payments').getByRole('row').nth(1);
  await expect(paymentRow).toContainText('Card');
  await expect(paymentRow).toContainText('$49.00');
  await expect(page.getByTestId('figure-Paid to date')).toHaveText('$49.00');
  await shot(page, 'customer-payments');

  await page.goto(`${app.url}#/customers/${zoe.id}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete Zoë Martin?' }).getByRole('button', { name: 'Delete customer' }).click();
  await expect(page.getByRole('heading', { name: 'Customers', exact: true })).toBeVisible();
  await expect(page.getByTestId('customer-count')).toHaveText('1 customer');

  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await staff.goto(app.url);
  await logIn(staff, STAFF.email, STAFF.password);
  await openCustomers(staff);
  await expect(staff.getByRole('button', { name: 'Add customer' })).toBeVisible();
  await expect(staff.getByRole('link', { name: 'Import' })).toBeVisible();
  await staff.getByTestId('customer-row').first().click();
  await expect(staff.getByRole('button', { name: 'Edit' })).toBeVisible();
  await expect(staff.getByRole('button', { name: 'Deactivate' })).toBeVisible();
  await expect(staff.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await staffContext.close();

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await viewer.goto(app.url);
  await logIn(viewer, 'vic@example.com', 'viewer password');
  await openCustomers(viewer);
  await expect(viewer.getByTestId('customer-row')).toHaveCount(1);
  await expect(viewer.getByRole('button', { name: 'Add customer' })).toHaveCount(0);
  await expect(viewer.getByRole('link', { name: 'Import' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: 'Export' })).toBeVisible();
  await viewer.getByRole('checkbox', { name: 'Select Jane Doe' }).check();
  const bar = viewer.getByRole('group', { name: 'Selected customers' });
  await expect(bar.getByRole('button', { name: 'Export' })).toBeVisible();
  await expect(bar.getByRole('button', { name: 'Add tag' })).toHaveCount(0);
  await viewer.getByTestId('customer-row').first().click();
  await expect(viewer.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Edit' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: 'Deactivate' })).toHaveCount(0);
  await viewer.getByRole('tab', { name: 'Timeline' }).click();
  await expect(viewer.getByTestId('timeline-entry').first()).toContainText('Customer created');
  await expect(viewer.getByRole('button', { name: /^Log / })).toHaveCount(0);
  await viewer.goto(`${app.url}#/customers/import`);
  await expect(viewer.getByText('Only the owner and staff can import customers.')).toBeVisible();
  await viewerContext.close();
});

test('a filtered, sorted list saved as a view opens again in one click and exports in its order', async ({ app, page }) => {
  await signUpOwner(page, app.url);
  for (const [name, segment] of [['Ann Lee', 'Retail'], ['Bea Cruz', 'Retail'], ['Cara Diaz', 'Wholesale'], ['Dan Wu', 'Retail']] as const) {
    await rpc(page, 'customers.create', { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com`, segment });
  }
  await openCustomers(page);
  await expect(page.getByTestId('customer-count')).toHaveText('4 customers');

  // Retail, Z to A.
  await pickFilter(page, 'Segment', 'Retail');
  await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
  await expect.poll(() => listedNames(page)).toEqual(['Dan Wu', 'Bea Cruz', 'Ann Lee']);
  await page.getByRole('button', { name: 'Saved views' }).click();
  await page.getByRole('menuitem', { name: 'Save this list as a view…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save this list as a view' });
  await expect(dialog).toContainText('Customers in the Retail segment, sorted by name (Z to A).');
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Retail, newest names');
  await shot(page, 'customers-save-view');
  await dialog.getByRole('button', { name: 'Save view' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Saved views: showing Retail, newest names' })).toBeVisible();

  // Back to everyone, then the view puts the filter and the order back.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByTestId('customer-count')).toHaveText('4 customers');
  await page.getByRole('button', { name: 'Saved views' }).click();
  await expect(page.getByRole('menuitem', { name: 'Retail, newest names' })).toBeVisible();
  await page.waitForTimeout(300); // the menu's fade-in, for the picture
  await shot(page, 'customers-views-menu');
  await page.getByRole('menuitem', { name: 'Retail, newest names' }).click();
  await expect(page.getByRole('combobox', { name: 'Segment', exact: true })).toHaveValue('Retail');
  await expect.poll(() => listedNames(page)).toEqual(['Dan Wu', 'Bea Cruz', 'Ann Lee']);

  // The export follows the list's order.
  await page.getByRole('button', { name: 'Export' }).click();
  const exportDialog = page.getByRole('dialog', { name: 'Export customers to CSV' });
  await expect(exportDialog).toContainText('sorted by name (Z to A), as in the list');
  const [download] = await Promise.all([page.waitForEvent('download'), exportDialog.getByRole('button', { name: 'Export 3 customers' }).click()]);
  expect((await readCsvDownload(download)).records.map((r) => r.Name)).toEqual(['Dan Wu', 'Bea Cruz', 'Ann Lee']);

  // Manage views lists each view in words, and deletes from the keyboard as well.
  await rpc(page, 'customerViews.save', { name: 'Owes money', filter: { hasUnpaidInvoices: true } });
  await page.getByRole('button', { name: /Saved views/ }).click();
  await page.getByRole('menuitem', { name: 'Manage views…' }).click();
  const manage = page.getByRole('dialog', { name: 'Saved views' });
  await expect(manage.getByTestId('saved-view')).toHaveCount(2);
  await expect(manage.getByTestId('saved-view').first()).toContainText('Customers who owe money, sorted by name (A to Z).');
  await page.waitForTimeout(300); // the modal's fade-in, for the picture
  await shot(page, 'customers-manage-views');
  await manage.getByRole('button', { name: 'Delete Owes money' }).focus();
  await page.keyboard.press('Enter');
  await expect(manage.getByTestId('saved-view')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(manage).toBeHidden();

  // Deleted from the menu, it is gone for good.
  await page.getByRole('button', { name: /Saved views/ }).click();
  await page.getByRole('button', { name: 'Delete the view Retail, newest names' }).click();
  await expect(page.getByText('“Retail, newest names” is no longer saved.')).toBeVisible();
  expect((await rpc(page, 'customerViews.list', {})).views).toEqual([]);
});
