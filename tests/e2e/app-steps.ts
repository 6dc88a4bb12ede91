import type { Page } from '@playwright/test';
import { expect, screenshot } from './fixtures';

// Steps a user takes through the start screens, shared by the end-to-end specs.

export const OWNER = {
  businessName: 'Sunrise Yoga',
  name: 'Olivia Owner',
  email: 'olivia@example.com',
  password: 'correct horse battery',
};

export async function fillSignUp(page: Page, values: Partial<Record<'businessName' | 'name' | 'email' | 'password' | 'confirm', string>>) {
  if (values.businessName !== undefined) await page.getByLabel('Business name').fill(values.businessName);
  if (values.name !== undefined) await page.getByLabel('Your name').fill(values.name);
  if (values.email !== undefined) await page.getByLabel('Email').fill(values.email);
  if (values.password !== undefined) await page.getByRole('textbox', { name: 'Password', exact: true }).fill(values.password);
  if (values.confirm !== undefined) await page.getByLabel('Confirm password').fill(values.confirm);
}

/** Signs up the owner through the welcome screen of an empty PC and waits for the dashboard; returns the recovery key. */
export async function signUpOwner(page: Page, url: string): Promise<string> {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Welcome to Recurra' })).toBeVisible();
  await fillSignUp(page, { ...OWNER, confirm: OWNER.password });
  await page.getByRole('button', { name: 'Create business' }).click();
  const key = await saveRecoveryKey(page);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  return key;
}

/** The recovery key screen after sign-up (or recovery): reads the key, ticks "saved" and goes on. */
export async function saveRecoveryKey(page: Page): Promise<string> {
  const key = page.getByTestId('recovery-key');
  await expect(key).toHaveText(/^([0-9A-Z]{4}-){5}[0-9A-Z]{4}$/);
  const text = (await key.textContent()) ?? '';
  const go = page.getByRole('button', { name: /^Continue to / });
  await expect(go).toBeDisabled();
  await page.getByRole('checkbox', { name: 'I have saved my recovery key somewhere safe' }).check();
  await go.click();
  return text;
}

export async function logIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('textbox', { name: 'Password', exact: true }).press('Enter');
}

export async function openUserMenu(page: Page) {
  await page.getByRole('button', { name: /^Account menu for/ }).click();
}

export async function logOut(page: Page) {
  await openUserMenu(page);
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: /^Log in to/ })).toBeVisible();
}

/** The per-run token the page got from the host, for calling /rpc by hand. */
export async function hostToken(page: Page): Promise<string> {
  const token = await page.locator('meta[name="recurra-host-token"]').getAttribute('content');
  if (!token) throw new Error('the page has no host token');
  return token;
}

export const STAFF = { name: 'Sam Staff', email: 'sam@example.com', password: 'staff password 1' };

/** Settings → Users → Add user, as the owner. */
export async function addUser(page: Page, user: { name: string; email: string; password: string; role: 'Owner' | 'Staff' | 'Viewer' }) {
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a user' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill(user.name);
  await dialog.getByRole('textbox', { name: 'Email' }).fill(user.email);
  await dialog.getByRole('radio', { name: new RegExp(`^${user.role}`) }).click();
  await dialog.getByRole('textbox', { name: 'First password' }).fill(user.password);
  await dialog.getByRole('button', { name: 'Add user' }).click();
  return dialog;
}

/** Calls the contract as the page's own connection would, bypassing the UI. */
export async function callRpc(page: Page, method: string, input: unknown): Promise<unknown> {
  const token = await hostToken(page);
  return page.evaluate(
    async ({ token, method, input }) => {
      const response = await fetch('/rpc', {
        method: 'POST',
        headers: { 'x-recurra-token': token, 'content-type': 'application/json' },
        body: JSON.stringify({ method, input }),
      });
      return (await response.json()) as unknown;
    },
    { token, method, input },
  );
}

/** A full-page screenshot from the top (the shell's header is fixed, so a scrolled capture would show it mid-page). */
export async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}
