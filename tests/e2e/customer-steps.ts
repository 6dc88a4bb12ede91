import fs from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import type { Input, MethodName, Output } from '@shared/contract';
import { callRpc } from './app-steps';
import { expect } from './fixtures';

// Steps through the customer screens, shared by the customer specs.

export interface NewCustomer {
  name: string;
  email: string;
  company?: string;
  phone?: string;
  segment?: string;
  tags?: string[];
}

export async function openCustomers(page: Page) {
  await page.getByRole('link', { name: 'Customers', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Customers', exact: true })).toBeVisible();
}

/** Fills "Add a customer" and presses Add; returns the dialog (still open when the form was refused). */
export async function addCustomer(page: Page, customer: NewCustomer) {
  const dialog = page.getByRole('dialog', { name: 'Add a customer' });
  if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Add customer', exact: true }).click();
  await dialog.getByRole('textbox', { name: 'Name' }).fill(customer.name);
  await dialog.getByRole('textbox', { name: 'Email' }).fill(customer.email);
  if (customer.phone) await dialog.getByRole('textbox', { name: 'Phone' }).fill(customer.phone);
  if (customer.company) await dialog.getByRole('textbox', { name: 'Company' }).fill(customer.company);
  if (customer.segment) await dialog.getByRole('combobox', { name: 'Segment' }).fill(customer.segment);
  for (const tag of customer.tags ?? []) {
    await dialog.getByRole('combobox', { name: 'Tags' }).fill(tag);
    await dialog.getByRole('combobox', { name: 'Tags' }).press('Enter');
  }
  await dialog.getByRole('button', { name: 'Add customer' }).click();
  return dialog;
}

/** The names in the list's rendered rows, top to bottom. */
export async function listedNames(page: Page): Promise<string[]> {
  const rows = page.getByTestId('customer-list').getByTestId('customer-row');
  const names = await rows.evaluateAll((els) =>
    els
      .map((el) => ({ top: el.getBoundingClientRect().top, name: el.querySelectorAll('[role="gridcell"]')[1]?.textContent ?? '' }))
      .sort((a, b) => a.top - b.top)
      .map((r) => r.name),
  );
  return names;
}

export async function search(page: Page, text: string) {
  await page.getByRole('searchbox', { name: 'Search customers' }).fill(text);
}

/** Chooses an option of one of the list's filter selects. */
export async function pickFilter(page: Page, filter: string, option: string) {
  await page.getByRole('combobox', { name: filter, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The records of a downloaded CSV (an Excel BOM is fine). */
export async function readCsvDownload(download: Download): Promise<{ text: string; records: Record<string, string>[] }> {
  const text = fs.readFileSync(await download.path(), 'utf8');
  return { text, records: parse(text, { bom: true, columns: true }) as Record<string, string>[] };
}

/** A typed call as the page's own session, failing the test when main refuses. */
export async function rpc<M extends MethodName>(page: Page, method: M, input: Input<M>): Promise<Output<M>> {
  const result = (await callRpc(page, method, input)) as { ok: boolean; data?: Output<M>; error?: unknown };
  if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
  return result.data as Output<M>;
}
