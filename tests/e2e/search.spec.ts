import path from 'node:path';
import type { Page } from '@playwright/test';
import { logIn } from './app-steps';
import { setToday } from './billing-steps';
import { expect, SCREENSHOTS_DIR } from './fixtures';
import { OWNER, seedHistory, test, TODAY } from './metrics-steps';

// The search-anything box (Ctrl+K) on the seeded yoga studio of metrics-steps.ts:
// Ann Archer, Ben Baker, Cat Carter and Dan Decline, invoices INV-000001 to INV-000012.
// Writing the history takes a while on a busy machine: room for it, no duration asserted.
test.describe.configure({ timeout: 120_000 });

async function openApp(page: Page, app: { url: string }) {
  await setToday(page, TODAY);
  await page.goto(app.url);
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 2 })).toBeVisible();
}

const palette = (page: Page) => page.getByRole('dialog', { name: 'Search anything' });
const searchBox = (page: Page) => palette(page).getByRole('combobox', { name: 'Search anything' });

async function openPalette(page: Page) {
  await page.keyboard.press('Control+K');
  await expect(searchBox(page)).toBeFocused();
}

/** The window as it is (the palette covers the window, not the page), light and dark. */
async function windowShots(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('Ctrl+K, a customer name and Enter open that customer; Enter pressed before the answer waits for it', async ({ page, app }) => {
  await seedHistory(app);
  await openApp(page, app);

  await openPalette(page);
  // With nothing typed, the pages are offered.
  await expect(palette(page).getByRole('option', { name: /Reports/ })).toBeVisible();
  await page.keyboard.type('Ben Bak');
  const ben = palette(page).getByRole('group', { name: 'Customers' }).getByRole('option', { name: /Ben Baker/ });
  await expect(ben).toBeVisible();
  await expect(ben).toHaveAttribute('aria-selected', 'true');
  // His subscription and invoices come with him.
  await expect(palette(page).getByRole('group', { name: 'Subscriptions' }).getByRole('option', { name: /Basic.*Ben Baker/ })).toBeVisible();
  await expect(palette(page).getByRole('group', { name: 'Invoices' }).getByRole('option')).toHaveCount(4);
  await windowShots(page, 'search-customer');
  await page.keyboard.press('Enter');
  await expect(palette(page)).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Ben Baker' })).toBeVisible();
  await expect(page).toHaveURL(/#\/customers\/[0-9a-f-]+$/);

  // Typed fast and Enter at once: the palette opens the first result of what was typed, not of an older query.
  await openPalette(page);
  await page.keyboard.type('Ann Arch');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Ann Archer' })).toBeVisible();
});

test('Ctrl+K jumps to a page, and to an invoice by its number with the arrow keys; Esc closes', async ({ page, app }) => {
  await seedHistory(app);
  await openApp(page, app);

  await openPalette(page);
  await page.keyboard.type('Reports');
  await expect(palette(page).getByRole('option', { name: /Reports/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Reports', level: 2 })).toBeVisible();

  // A bare number finds the invoice; the arrows move the choice and Enter opens it.
  await openPalette(page);
  await page.keyboard.type('12');
  const invoice = palette(page).getByRole('option', { name: /INV-000012/ });
  await expect(invoice).toBeVisible();
  await expect(invoice).toContainText('Dan Decline');
  const options = palette(page).getByRole('option');
  const index = await options.evaluateAll((els) => els.findIndex((el) => el.textContent?.includes('INV-000012')));
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  await expect(invoice).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: /INV-000012/ })).toBeVisible();

  // Nothing found says so once; Esc closes and leaves the page as it was.
  await openPalette(page);
  await page.keyboard.type('zzqx');
  await expect(palette(page).getByText('Nothing matches “zzqx”')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(palette(page)).toBeHidden();
  await expect(page.getByRole('heading', { name: /INV-000012/ })).toBeVisible();

  // The header's button opens it too, and Ctrl+K works from inside a text box.
  await page.getByRole('button', { name: /^Search \(/ }).click();
  await expect(searchBox(page)).toBeFocused();
  await page.keyboard.press('Control+K');
  await expect(palette(page)).toBeHidden();
});

test('the palette at 820 px, light and dark', async ({ page, app }) => {
  await seedHistory(app);
  await page.setViewportSize({ width: 820, height: 760 });
  await openApp(page, app);
  // Typed at once after opening, as "Ctrl+K a" is: no letter is lost to the page behind.
  await page.getByRole('button', { name: /^Search \(/ }).click();
  await page.keyboard.type('a');
  await expect(searchBox(page)).toHaveValue('a');
  await expect(palette(page).getByRole('group', { name: 'Customers' }).getByRole('option', { name: /Ann Archer/ })).toBeVisible();
  await windowShots(page, 'search-820');
});
