import type { Page } from '@playwright/test';
import { generateSync } from 'otplib';
import { OWNER, STAFF, addUser, callRpc, logIn, logOut, shot, signUpOwner } from './app-steps';
import { expect, test } from './fixtures';

/**
 * The code an authenticator app shows now (`steps` 30 s steps off). Waits out
 * the last seconds of a step, so the host checks it in the step it was made for.
 */
async function codeFor(secret: string, steps = 0): Promise<string> {
  const into = (Date.now() / 1000) % 30;
  if (into > 26) await new Promise((r) => setTimeout(r, (30 - into) * 1000 + 200));
  return generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
}

/** Light, then dark, then light again (waited for, so the next step happens in light). */
async function shotsLightAndDark(page: Page, name: string) {
  await shot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await shot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
}

/** The set-up dialog or screen: reads the secret the page shows, confirms with a code, keeps the recovery codes. */
async function setUpTwoFactor(page: Page, screenshots?: string): Promise<{ secret: string; codes: string[] }> {
  await expect(page.getByTestId('two-factor-qr')).toBeVisible();
  const secret = ((await page.getByTestId('two-factor-secret').textContent()) ?? '').replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const input = page.getByRole('textbox', { name: '2. Enter the 6-digit code the app shows' });
  await expect(input).toBeFocused();
  if (screenshots) await shotsLightAndDark(page, `${screenshots}-setup`);
  // A wrong code first: it stays off, and says why under the field.
  await input.fill('000000');
  await page.getByRole('button', { name: 'Turn on two-factor login' }).click();
  await expect(input).toHaveAccessibleDescription(/Wrong code/);
  await input.fill(await codeFor(secret, -1));
  await page.getByRole('button', { name: 'Turn on two-factor login' }).click();
  const list = page.getByTestId('recovery-codes');
  await expect(list.locator('code')).toHaveCount(10);
  const codes = await list.locator('code').allTextContents();
  for (const c of codes) expect(c).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  if (screenshots) await shotsLightAndDark(page, `${screenshots}-recovery-codes`);
  const done = page.getByRole('button', { name: 'Done' });
  await expect(done).toBeDisabled();
  await page.getByRole('checkbox', { name: 'I have saved my recovery codes somewhere safe' }).check();
  await done.click();
  return { secret, codes };
}

test('two-factor: set up in Settings > Account, log in with a code or a recovery code, and an owner requires it for everyone', async ({ app, page, browser }) => {
  test.setTimeout(120_000);
  await page.emulateMedia({ colorScheme: 'light' });
  await signUpOwner(page, app.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Account' }).click();
  await expect(page.getByTestId('two-factor-state')).toHaveText('Off');
  await page.getByRole('button', { name: 'Set up two-factor login' }).click();
  const { secret, codes } = await setUpTwoFactor(page, 'two-factor');
  await expect(page.getByTestId('two-factor-state')).toHaveText('On');
  await expect(page.getByText('10 of 10 recovery codes left')).toBeVisible();
  await shot(page, 'two-factor-settings-on');

  // Log in again: after the password, the code step, focused.
  await logOut(page);
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page.getByRole('heading', { name: 'Two-factor login' })).toBeVisible();
  const code = page.getByRole('textbox', { name: 'Code' });
  await expect(code).toBeFocused();
  await shotsLightAndDark(page, 'login-code');
  // Six digits log in without a click; a wrong code says so under the field.
  await code.fill('123456');
  await expect(code).toHaveAccessibleDescription(/Wrong code/);
  await shot(page, 'login-code-wrong');
  await code.fill(await codeFor(secret, 0));
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  // A recovery code, once.
  await logOut(page);
  await logIn(page, OWNER.email, OWNER.password);
  await page.getByRole('button', { name: 'Use a recovery code' }).click();
  const recovery = page.getByRole('textbox', { name: 'Recovery code' });
  await expect(recovery).toBeFocused();
  await recovery.fill(codes[0]!.toLowerCase());
  await shot(page, 'login-recovery-code');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await logOut(page);
  await logIn(page, OWNER.email, OWNER.password);
  await page.getByRole('button', { name: 'Use a recovery code' }).click();
  await page.getByRole('textbox', { name: 'Recovery code' }).fill(codes[0]!);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('textbox', { name: 'Recovery code' })).toHaveAccessibleDescription(/already used/);
  await page.getByRole('textbox', { name: 'Recovery code' }).fill(codes[1]!);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  // The owner adds Sam and requires two-factor for everyone.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Users' }).click();
  await expect(await addUser(page, { ...STAFF, role: 'Staff' })).toBeHidden();
  // The Two-factor column: on for the owner, off for Sam.
  const badge = (email: string) => page.getByTestId(`user-row-${email}`).getByTestId('two-factor-badge');
  await expect(badge(OWNER.email)).toHaveText('On');
  await expect(badge(STAFF.email)).toHaveText('Off');
  const require = page.getByRole('switch', { name: 'Require two-factor login for every user' });
  await require.click();
  await expect(require).toBeChecked();
  // Required of everyone now: Sam's row says he has not set it up yet.
  await expect(badge(STAFF.email)).toHaveText('Off · required');
  await shot(page, 'two-factor-require-everyone');

  // Sam, at his next login, is sent to set it up before anything else.
  const staffContext = await browser.newContext({ colorScheme: 'light' });
  const staff = await staffContext.newPage();
  await staff.goto(app.url);
  await expect(staff.getByRole('heading', { name: 'Log in to Sunrise Yoga' })).toBeVisible();
  await logIn(staff, STAFF.email, STAFF.password);
  await expect(staff.getByRole('heading', { name: 'Set up two-factor login to continue' })).toBeVisible();
  await expect(staff.getByRole('link', { name: 'Customers' })).toHaveCount(0);
  await setUpTwoFactor(staff, 'two-factor-required');
  await expect(staff.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await staffContext.close();
  // The owner's list follows (the confirm's data-changed event): Sam is on.
  await expect(badge(STAFF.email)).toHaveText('On');
  await shotsLightAndDark(page, 'users-two-factor-column');

  const audit = (await callRpc(page, 'audit.list', { limit: 200 })) as { data: { entries: { action: string; after: unknown }[] } };
  const actions = audit.data.entries.map((e) => e.action);
  expect(actions).toEqual(expect.arrayContaining(['auth.twoFactorOn', 'auth.recoveryCodeUsed', 'auth.twoFactorRequirement', 'auth.loginFailed']));
  // Never a secret or a code in the log.
  const text = JSON.stringify(audit.data.entries);
  expect(text).not.toContain(secret);
  for (const c of codes) expect(text).not.toContain(c);
});
