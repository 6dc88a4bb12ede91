import { createHash } from 'node:crypto';
import { shot, signUpOwner } from './app-steps';
import { choose, createFlatPlan, openNav, rpcAs, setToday } from './billing-steps';
import { expect, test } from './fixtures';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

test('Settings > API keys: create a key, see it once with a copy button, find it listed by its prefix, revoke it', async ({ app, page }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await signUpOwner(page, app.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'API keys' }).click();
  await expect(page.getByText('No API keys yet')).toBeVisible();
  await expect(page.getByText('Keys reach the server with the next sync')).toBeVisible();
  await shot(page, 'settings-api-keys-empty');

  await page.getByRole('button', { name: 'Create API key' }).first().click();
  let dialog = page.getByRole('dialog', { name: 'Create an API key' });
  await dialog.getByRole('button', { name: 'Create key' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription(/Enter a name/);
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Website');
  await dialog.locator('label').filter({ hasText: /^Read and write$/ }).click();
  await expect(dialog.getByText('Also creates and edits customers')).toBeVisible();
  await dialog.getByRole('button', { name: 'Create key' }).click();

  dialog = page.getByRole('dialog', { name: 'API key “Website”' });
  const key = (await dialog.getByTestId('new-api-key').textContent())?.trim() ?? '';
  expect(key).toMatch(/^rk_[0-9A-Za-z]{43}$/);
  await expect(dialog.getByText('Copy the key now: it will not be shown again')).toBeVisible();
  await shot(page, 'settings-api-keys-created');
  await dialog.getByRole('button', { name: 'Copy key' }).click();
  await expect(dialog.getByRole('button', { name: 'Copied', exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await dialog.getByRole('button', { name: 'I have copied the key' }).click();
  await expect(dialog).toBeHidden();

  // Listed by its prefix, never the key; the file holds the key's SHA-256 only.
  const row = page.getByTestId(`api-key-row-${key.slice(3, 11)}`);
  await expect(row).toContainText('Website');
  await expect(row).toContainText('Read and write');
  await expect(row).toContainText(`rk_${key.slice(3, 11)}…`);
  await expect(row.getByTestId('api-key-last-used')).toHaveText('Never');
  await expect(row.getByTestId('api-key-status')).toHaveText('Active');
  expect(await page.content()).not.toContain(key.slice(11));
  const businessId = app.core.businesses.registry.list()[0]!.id;
  const stored = app.core.businesses.get(businessId).sqlite.prepare('SELECT key_hash FROM api_keys').all();
  expect(stored).toEqual([{ key_hash: sha256(key) }]);
  await shot(page, 'settings-api-keys-list');

  // Revoke, after a confirmation; the key stays listed as revoked.
  await row.getByRole('button', { name: 'Revoke Website' }).click();
  dialog = page.getByRole('dialog', { name: 'Revoke Website?' });
  await expect(dialog).toContainText(`rk_${key.slice(3, 11)}…`);
  await shot(page, 'settings-api-keys-revoke');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(row.getByTestId('api-key-status')).toHaveText('Active');
  await row.getByRole('button', { name: 'Revoke Website' }).click();
  await page.getByRole('dialog', { name: 'Revoke Website?' }).getByRole('button', { name: 'Revoke key' }).click();
  await expect(row.getByTestId('api-key-status')).toHaveText('Revoked');
  await expect(row.getByRole('button', { name: 'Revoke Website' })).toHaveCount(0);
  await shot(page, 'settings-api-keys-revoked');
});

test('a subscription with a license key: the checkbox, an own key refused when taken, the key shown with a copy button', async ({ app, page }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await setToday(page, '2026-03-11');
  await signUpOwner(page, app.url);
  await openNav(page, 'Plans');
  await createFlatPlan(page, 'Basic', '30');
  // Machines per license key: a plan setting, empty for unlimited.
  await page.getByRole('button', { name: 'New plan' }).click();
  const planDialog = page.getByRole('dialog', { name: 'New plan' });
  await planDialog.getByRole('textbox', { name: 'Name' }).fill('Desktop app');
  await planDialog.getByRole('textbox', { name: 'Price per unit' }).fill('99');
  await planDialog.getByRole('textbox', { name: 'Machines per license key' }).fill('3');
  await shot(page, 'plan-form-max-machines');
  await planDialog.getByRole('button', { name: 'Create plan' }).click();
  await expect(planDialog).toBeHidden();
  await expect(page.getByTestId('plan-row-desktop-app')).toContainText('3 machines per license');
  await expect(page.getByTestId('plan-row-basic')).not.toContainText('per license');
  await rpcAs(page, 'customers.create', { name: 'Carla Card', email: 'carla@example.com', paymentMethod: 'card' });
  await rpcAs(page, 'customers.create', { name: 'Lena License', email: 'lena@example.com', paymentMethod: 'card' });

  const newSubscription = async (customer: RegExp, search: string) => {
    await openNav(page, 'Subscriptions');
    await page.getByRole('button', { name: 'New subscription' }).click();
    const dialog = page.getByRole('dialog', { name: 'New subscription' });
    await dialog.getByRole('combobox', { name: 'Customer' }).fill(search);
    await page.getByRole('option', { name: customer }).click();
    await choose(page, dialog, 'Plan', 'Basic');
    return dialog;
  };

  // A generated key.
  let dialog = await newSubscription(/Carla Card/, 'carla');
  await expect(dialog.getByRole('textbox', { name: 'License key' })).toHaveCount(0);
  await dialog.getByRole('checkbox', { name: 'Issue a license key' }).check();
  await expect(dialog.getByRole('textbox', { name: 'License key' })).toBeVisible();
  await shot(page, 'subscription-create-license');
  await dialog.getByRole('button', { name: 'Create subscription' }).click();
  await expect(page.getByRole('heading', { name: 'Carla Card' })).toBeVisible();
  const generated = (await page.getByTestId('license-key').textContent())?.trim() ?? '';
  expect(generated).toMatch(/^[A-HJ-NP-Z2-9]{5}(-[A-HJ-NP-Z2-9]{5}){4}$/);
  // Active from 03-11, not billed yet: good for the first period.
  await expect(page.getByTestId('license-expiry')).toHaveText('Expires on Apr 11, 2026');
  await page.getByRole('button', { name: 'Copy the license key' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(generated);
  await shot(page, 'subscription-page-license');

  // The business's own key: taken is refused under the field; a free one is kept as typed.
  dialog = await newSubscription(/Lena License/, 'lena');
  await dialog.getByRole('checkbox', { name: 'Issue a license key' }).check();
  await dialog.getByRole('textbox', { name: 'License key' }).fill(generated);
  await dialog.getByRole('button', { name: 'Create subscription' }).click();
  await expect(dialog.getByRole('textbox', { name: 'License key' })).toHaveAccessibleDescription(new RegExp(`^Another subscription already has the license key ${generated}`));
  await shot(page, 'subscription-create-license-taken');
  await dialog.getByRole('textbox', { name: 'License key' }).fill('ACME-2026-0001');
  await dialog.getByRole('button', { name: 'Create subscription' }).click();
  await expect(page.getByRole('heading', { name: 'Lena License' })).toBeVisible();
  await expect(page.getByTestId('license-key')).toHaveText('ACME-2026-0001');
});
