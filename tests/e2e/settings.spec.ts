import { OWNER, openUserMenu, signUpOwner, shot } from './app-steps';
import { expect, test } from './fixtures';

test('renaming the business in Settings shows in the header; bad settings are refused inline', async ({ app, page }) => {
  await signUpOwner(page, app.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('tab', { name: 'Business', selected: true })).toBeVisible();

  const retries = page.getByRole('textbox', { name: 'Retry failed payments after' });
  await expect(retries).toHaveValue('3, 5, 7');
  await retries.fill('7, 3');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(retries).toHaveAccessibleDescription(/Retry days must increase, like 3, 5, 7/);
  await retries.fill('2, 4, 8');

  const name = page.getByRole('textbox', { name: 'Business name' });
  await name.fill('Sunset Pilates');
  await name.press('Enter');
  await expect(page.getByText('Settings saved')).toBeVisible();
  await expect(page.getByTestId('header-business-name')).toHaveText('Sunset Pilates');
  await shot(page, 'settings-business');

  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Retry failed payments after' })).toHaveValue('2, 4, 8');
  await expect(page.getByTestId('header-business-name')).toHaveText('Sunset Pilates');

  await page.getByRole('tab', { name: 'Audit log' }).click();
  await expect(page.getByRole('cell', { name: 'Changed business settings' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Created the business' })).toBeVisible();
  await shot(page, 'settings-audit');
});

test('any user changes their own password from the user menu', async ({ app, page }) => {
  await signUpOwner(page, app.url);
  await openUserMenu(page);
  await page.getByRole('menuitem', { name: 'Change password' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change your password' });
  await dialog.getByRole('textbox', { name: 'Current password' }).fill('not it at all');
  await dialog.getByRole('textbox', { name: 'New password', exact: true }).fill('a new long password');
  await dialog.getByRole('textbox', { name: 'Confirm new password' }).fill('a new long password');
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Current password' })).toHaveAccessibleDescription('That is not your current password');

  await dialog.getByRole('textbox', { name: 'Current password' }).fill(OWNER.password);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Password changed')).toBeVisible();
});
