import { OWNER, fillSignUp, logIn, logOut, openUserMenu, saveRecoveryKey, signUpOwner, shot } from './app-steps';
import { expect, test } from './fixtures';

test('an empty PC opens on the welcome sign-up, and its field errors show inline', async ({ app, page }) => {
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Recurra' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Time zone' })).not.toHaveValue('');

  await fillSignUp(page, { businessName: 'Sunrise Yoga', name: 'Olivia', email: 'not-an-email', password: 'short', confirm: 'different' });
  await page.getByRole('button', { name: 'Create business' }).click();

  await expect(page.getByLabel('Email')).toHaveAccessibleDescription(/Enter a valid email address/);
  await expect(page.getByRole('textbox', { name: 'Password', exact: true })).toHaveAccessibleDescription(/Use at least 8 characters/);
  await expect(page.getByLabel('Confirm password')).toHaveAccessibleDescription(/The two passwords are not the same/);
  await expect(page.getByLabel('Business name')).toHaveAccessibleDescription('');
  await shot(page, 'signup-errors');
  expect(await app.core.dispatch({ id: 'probe', sessionId: null, send() {} }, 'business.list', {})).toEqual({ ok: true, data: [] });

  await fillSignUp(page, { email: OWNER.email, password: OWNER.password, confirm: OWNER.password });
  await page.getByLabel('Confirm password').press('Enter');
  await expect(page.getByRole('heading', { name: 'Sunrise Yoga is ready. One last thing' })).toBeVisible();
  await shot(page, 'signup-recovery-key');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'signup-recovery-key-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await saveRecoveryKey(page);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByTestId('header-business-name')).toHaveText('Sunrise Yoga');
});

test('log out, a wrong password says so under the field, then log in', async ({ app, page }) => {
  await signUpOwner(page, app.url);
  await logOut(page);
  await expect(page.getByRole('heading', { name: 'Log in to Sunrise Yoga' })).toBeVisible();

  await logIn(page, OWNER.email, 'not my password');
  const password = page.getByRole('textbox', { name: 'Password', exact: true });
  await expect(password).toHaveAccessibleDescription('Wrong email or password');
  await expect(page.getByText('Wrong email or password')).toBeVisible();
  await shot(page, 'login-wrong-password');

  await logIn(page, OWNER.email, OWNER.password);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();
});

test('screenshots: login and the empty shell, light and dark', async ({ app, page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await signUpOwner(page, app.url);
  await shot(page, 'shell-dashboard-light');
  await logOut(page);
  await shot(page, 'login-light');

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await shot(page, 'login-dark');
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await shot(page, 'shell-dashboard-dark');
});

test('the theme switch overrides the system and is remembered after a reload', async ({ app, page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await signUpOwner(page, app.url);
  await page.getByText('Dark', { exact: true }).click({ force: true });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
});

test('switch business opens the picker, last used first; a second business can be created from it', async ({ app, page }) => {
  await signUpOwner(page, app.url);
  await openUserMenu(page);
  await page.getByRole('menuitem', { name: 'Switch business' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a business' })).toBeVisible();

  await page.getByRole('link', { name: 'Create a business' }).click();
  await expect(page.getByRole('heading', { name: 'Create a business' })).toBeVisible();
  await fillSignUp(page, { businessName: 'Second Shop', name: 'Olivia Owner', email: OWNER.email, password: OWNER.password, confirm: OWNER.password });
  await page.getByRole('combobox', { name: 'Time zone' }).fill('paris');
  await page.getByRole('option', { name: 'Europe/Paris' }).click();
  await page.getByRole('button', { name: 'Create business' }).click();
  await saveRecoveryKey(page);
  await expect(page.getByTestId('header-business-name')).toHaveText('Second Shop');

  await openUserMenu(page);
  await page.getByRole('menuitem', { name: 'Switch business' }).click();
  const options = page.getByRole('button', { name: /Sunrise Yoga|Second Shop/ });
  await expect(options).toHaveCount(2);
  await expect(options.first()).toContainText('Second Shop');
  await expect(options.first()).toContainText('Last used');
  await expect(options.first()).toContainText('Europe/Paris');
  await shot(page, 'business-picker');

  await options.nth(1).click();
  await expect(page.getByRole('heading', { name: 'Log in to Sunrise Yoga' })).toBeVisible();
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page.getByTestId('header-business-name')).toHaveText('Sunrise Yoga');
});

test('an owner who forgot the password sets a new one with the recovery key, and gets a new key', async ({ app, page }) => {
  const key = await signUpOwner(page, app.url);
  await logOut(page);
  await page.getByRole('link', { name: 'use your recovery key' }).click();
  await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();

  const form = {
    email: page.getByRole('textbox', { name: 'Owner email' }),
    key: page.getByRole('textbox', { name: 'Recovery key' }),
    password: page.getByRole('textbox', { name: 'New password', exact: true }),
    confirm: page.getByRole('textbox', { name: 'Confirm new password' }),
  };
  await form.email.fill(OWNER.email);
  await form.key.fill('AAAA-BBBB-CCCC-DDDD-EEEE-FFFF');
  await form.password.fill('my new password');
  await form.confirm.fill('my new password');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(form.key).toHaveAccessibleDescription('That email and recovery key do not match');
  await shot(page, 'recover-wrong-key');

  // Typed as people type a key off paper: lower case, spaces.
  await form.key.fill(key.toLowerCase().replace(/-/g, ' '));
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('heading', { name: 'Your password is changed' })).toBeVisible();
  const newKey = await saveRecoveryKey(page);
  expect(newKey).not.toBe(key);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  await logOut(page);
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page.getByRole('textbox', { name: 'Password', exact: true })).toHaveAccessibleDescription('Wrong email or password');
  await logIn(page, OWNER.email, 'my new password');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  // Settings says when the key was made, and makes another one on the owner's password.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Users' }).click();
  await expect(page.getByTestId('recovery-key-info')).toContainText(`by ${OWNER.name}`);
  await page.getByRole('button', { name: 'Make a new recovery key' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Your password').fill('my new password');
  await dialog.getByRole('button', { name: 'Make a new key' }).click();
  await expect(dialog.getByTestId('recovery-key')).toHaveText(/^([0-9A-Z]{4}-){5}[0-9A-Z]{4}$/);
  await expect(dialog.getByTestId('recovery-key')).not.toHaveText(newKey);
  await shot(page, 'settings-new-recovery-key');
  await dialog.getByRole('checkbox', { name: 'I have saved my recovery key somewhere safe' }).check();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  await shot(page, 'settings-recovery-key-card');
});
