import { OWNER, STAFF, addUser, callRpc, logIn, openUserMenu, signUpOwner, shot } from './app-steps';
import { expect, test } from './fixtures';

test('the owner adds a staff user, who is offered no settings and is refused user management', async ({ app, page, browser }) => {
  await signUpOwner(page, app.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Users' }).click();

  const dialog = await addUser(page, { ...STAFF, role: 'Staff' });
  await expect(dialog).toBeHidden();
  const row = page.getByTestId(`user-row-${STAFF.email}`);
  await expect(row).toContainText(STAFF.name);
  await expect(row).toContainText('Staff');
  await expect(row).toContainText('Active');
  await expect(row).toContainText('Never');
  await page.getByText('User added').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
  await shot(page, 'settings-users');

  // The same email twice: main's conflict lands under the Email field.
  const again = await addUser(page, { name: 'Sam Again', email: STAFF.email, password: 'another password', role: 'Viewer' });
  await expect(again.getByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription('A user with this email already exists');
  await shot(page, 'users-add-duplicate-email');
  await again.getByRole('button', { name: 'Cancel' }).click();

  const ownerSession = (await callRpc(page, 'auth.session', {})) as { data: { user: { id: string } } };
  const ownerId = ownerSession.data.user.id;

  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await staff.goto(app.url);
  await expect(staff.getByRole('heading', { name: 'Log in to Sunrise Yoga' })).toBeVisible();
  await logIn(staff, STAFF.email, STAFF.password);
  await expect(staff.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  await expect(staff.getByRole('link', { name: 'Customers' })).toBeVisible();
  await expect(staff.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  await openUserMenu(staff);
  await expect(staff.getByRole('menuitem', { name: 'Change password' })).toBeVisible();
  await staff.keyboard.press('Escape');

  await staff.evaluate(() => (window.location.hash = '#/settings/users'));
  await expect(staff.getByText('Only the owner can change settings')).toBeVisible();
  await expect(staff.getByRole('button', { name: 'Add user' })).toHaveCount(0);
  await expect(staff.getByRole('tab', { name: 'Users' })).toHaveCount(0);
  await shot(staff, 'staff-settings-note');

  const refused = await callRpc(staff, 'users.delete', { id: ownerId });
  expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(await callRpc(staff, 'users.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  await expect(page.getByTestId(`user-row-${OWNER.email}`)).toBeVisible();
  await staffContext.close();
});

test('deactivating a logged-in user sends their window to the login with the reason', async ({ app, page, browser }) => {
  await signUpOwner(page, app.url);
  await page.goto(`${app.url}#/settings/users`);
  await addUser(page, { ...STAFF, role: 'Staff' });
  await expect(page.getByTestId(`user-row-${STAFF.email}`)).toBeVisible();

  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await staff.goto(app.url);
  await logIn(staff, STAFF.email, STAFF.password);
  await expect(staff.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  await page.getByRole('button', { name: `Actions for ${STAFF.name}` }).click();
  await page.getByRole('menuitem', { name: 'Deactivate' }).click();
  await expect(page.getByTestId(`user-row-${STAFF.email}`)).toContainText('Deactivated');

  await expect(staff.getByRole('heading', { name: 'Log in to Sunrise Yoga' })).toBeVisible();
  await expect(staff.getByText('You were logged out')).toBeVisible();
  await expect(staff.getByText('Your account was deactivated. Ask the owner of the business.')).toBeVisible();
  await shot(staff, 'login-after-deactivation');

  await logIn(staff, STAFF.email, STAFF.password);
  await expect(staff.getByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription(/This account has been deactivated/);
  await staffContext.close();
});

test('the owner changes a role, resets a password and deletes a user', async ({ app, page }) => {
  await signUpOwner(page, app.url);
  await page.goto(`${app.url}#/settings/users`);
  await addUser(page, { ...STAFF, role: 'Staff' });
  const row = page.getByTestId(`user-row-${STAFF.email}`);
  await expect(row).toContainText('Staff');

  await page.getByRole('button', { name: `Actions for ${STAFF.name}` }).click();
  await page.getByRole('menuitem', { name: 'Change role' }).click();
  const roleDialog = page.getByRole('dialog', { name: `Change ${STAFF.name}'s role` });
  await roleDialog.getByRole('radio', { name: /^Viewer/ }).click();
  await shot(page, 'users-change-role-modal');
  await roleDialog.getByRole('button', { name: 'Save role' }).click();
  await expect(roleDialog).toBeHidden();
  await expect(row).toContainText('Viewer');

  await page.getByRole('button', { name: `Actions for ${STAFF.name}` }).click();
  await page.getByRole('menuitem', { name: 'Reset password' }).click();
  const resetDialog = page.getByRole('dialog', { name: `Reset ${STAFF.name}'s password` });
  const newPassword = resetDialog.getByRole('textbox', { name: 'New password' });
  await newPassword.fill('short');
  await newPassword.press('Enter');
  await expect(newPassword).toHaveAccessibleDescription(/Use at least 8 characters/);
  await newPassword.fill('a brand new password');
  await newPassword.press('Enter');
  await expect(resetDialog).toBeHidden();

  await page.getByRole('button', { name: `Actions for ${STAFF.name}` }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  const deleteDialog = page.getByRole('dialog', { name: `Delete ${STAFF.name}?` });
  await deleteDialog.getByRole('button', { name: 'Delete user' }).click();
  await expect(deleteDialog).toBeHidden();
  await expect(row).toHaveCount(0);

  // Your own row offers no way to lock yourself out.
  await page.getByRole('button', { name: `Actions for ${OWNER.name}` }).click();
  await expect(page.getByRole('menuitem', { name: 'Change role' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'Delete' })).toHaveCount(0);
  await expect(page.getByRole('menuitem', { name: 'Deactivate' })).toHaveCount(0);
});

test('screenshots: settings in dark mode', async ({ app, page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await signUpOwner(page, app.url);
  await page.goto(`${app.url}#/settings/users`);
  await addUser(page, { ...STAFF, role: 'Staff' });
  await expect(page.getByTestId(`user-row-${STAFF.email}`)).toBeVisible();
  await page.getByText('User added').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
  await shot(page, 'settings-users-dark');
  await page.getByRole('button', { name: `Actions for ${STAFF.name}` }).click();
  await shot(page, 'settings-users-menu-dark');
  await page.keyboard.press('Escape');
  await page.getByRole('tab', { name: 'Business' }).click();
  await expect(page.getByRole('textbox', { name: 'Business name' })).toBeVisible();
  await shot(page, 'settings-business-dark');
  await page.getByRole('button', { name: 'Add user' }).waitFor({ state: 'detached' });
  await openUserMenu(page);
  await shot(page, 'user-menu-dark');
});
