import fs from 'node:fs';
import { test } from '@playwright/test';
import { startServer } from '../../src-server/server';
import { expect, screenshot, serverDataDir } from './fixtures';

// The REST API's reference at /docs as a developer opens it: Swagger UI from
// the server's own files (no CDN), rendering /v1/openapi.json.

test('the API reference at /docs lists the endpoints and opens one with its parameters', async ({ page }) => {
  const dataDir = serverDataDir('recurra-e2e-docs-');
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, log: () => {} });
  const outside: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url)) outside.push(r.url());
  });
  try {
    await page.goto(`${server.url}/docs`);
    await expect(page.getByRole('heading', { name: /Recurra REST API/ })).toBeVisible();
    await expect(page.getByText('List customers')).toBeVisible();
    await expect(page.getByText('Create a customer')).toBeVisible();
    await screenshot(page, 'api-docs-1280');
    await page.getByText('List customers').click();
    await expect(page.locator('#operations-Customers-listCustomers').getByText('starting_after', { exact: true })).toBeVisible();
    await expect(page.getByText('The last id of the previous page.')).toBeVisible();
    await screenshot(page, 'api-docs-list-customers-1280');
    expect(outside).toEqual([]);
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
