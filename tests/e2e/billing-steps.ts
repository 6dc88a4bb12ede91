import type { Page } from '@playwright/test';
import type { Input, MethodName, Output } from '@shared/contract';
import { callRpc, shot } from './app-steps';
import { expect } from './fixtures';

// Steps through the billing screens (plans, subscriptions, invoices, payments, billing runs).

/** The contract called as the page's own session, typed; throws on a refusal. */
export async function rpcAs<M extends MethodName>(page: Page, method: M, input: Input<M>): Promise<Output<M>> {
  const result = (await callRpc(page, method, input)) as { ok: boolean; data?: Output<M>; error?: { message: string } };
  if (!result.ok) throw new Error(`${method} refused: ${result.error?.message}`);
  return result.data as Output<M>;
}

/** Fixes the page's clock at noon UTC of a day, so "today" in the UI is that day. */
export async function setToday(page: Page, date: string) {
  await page.clock.setFixedTime(new Date(`${date}T12:00:00Z`));
}

export async function openNav(page: Page, name: 'Plans' | 'Subscriptions' | 'Invoices' | 'Payments' | 'Billing') {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { name, exact: true, level: 2 })).toBeVisible();
}

/** Chooses an option of a Mantine select by its label. */
export async function choose(page: Page, scope: Page | ReturnType<Page['getByRole']>, label: string, option: string | RegExp) {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option }).first().click();
}

export async function createFlatPlan(page: Page, name: string, price: string) {
  await page.getByRole('button', { name: 'New plan' }).click();
  const dialog = page.getByRole('dialog', { name: 'New plan' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
  await dialog.getByRole('textbox', { name: 'Price per unit' }).fill(price);
  await dialog.getByRole('button', { name: 'Create plan' }).click();
  await expect(dialog).toBeHidden();
}

/** Opens the header's billing popover and runs billing as of the page's today; returns the popover. */
export async function runBillingNow(page: Page) {
  const popover = page.getByTestId('billing-popover');
  if (!(await popover.isVisible())) await page.getByRole('button', { name: 'Billing', exact: true }).click();
  await popover.getByRole('button', { name: 'Run billing now' }).click();
  return popover;
}

/**
 * The same screen in the light and the dark theme. Toasts are hidden (they cover the header);
 * `tall` grows the window so a long dialog is captured whole.
 */
export async function shotLightAndDark(page: Page, name: string, opts: { tall?: number } = {}) {
  const viewport = page.viewportSize();
  await page.addStyleTag({ content: '.mantine-Notifications-root { display: none !important; }' });
  if (opts.tall && viewport) await page.setViewportSize({ width: viewport.width, height: opts.tall });
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
  await shot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await shot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
  // Back in light before the next step: a key pressed while the page re-renders its theme can be lost (a POS Enter was, once in CI).
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
  if (opts.tall && viewport) await page.setViewportSize(viewport);
}

/** Picks a segment of a SegmentedControl, or a Chip, by clicking its label (their inputs are visually hidden). */
export async function pickSegment(scope: Page | ReturnType<Page['getByRole']>, label: string) {
  await scope.locator('label').filter({ hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).click();
}
