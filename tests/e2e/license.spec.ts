import { generateKeyPairSync } from 'node:crypto';
import { applyServerChanges, edit, machineInsert } from '../support/server-changes';
import { shot, signUpOwner } from './app-steps';
import { rpcAs, setToday, shotLightAndDark } from './billing-steps';
import { expect, test } from './fixtures';

// The subscription page's License section and Settings > API keys' license
// public key (spec/server.md "License keys"). The machines, the last
// validation and the public key are written by the server only: the test puts
// them on this PC as a pull does (server-made changes through the PC's apply
// path), then tells the windows what changed, as the sync client does after a pull.

/** What the sync client announces after a pull that brought changes (sync-client.ts). */
const PULLED = ['customers', 'subscriptions', 'invoices', 'payments', 'billing', 'catalog', 'users', 'business', 'metrics', 'sync'];
const PUBLIC_KEY = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64');
const FINGERPRINT = '3f9a1c0b7d2e4f60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6e04b';

test('a licensed subscription: the key with a copy button, valid or expired, machines n of max with their table, the last validation; the public key in Settings', async ({
  app,
  page,
}) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await setToday(page, '2026-03-11');
  await signUpOwner(page, app.url);
  const businessId = app.core.businesses.registry.list()[0]!.id;
  const db = app.core.businesses.get(businessId);
  const pulled = () => app.core.broadcast(businessId, 'data-changed', { entities: PULLED });

  // Settings > API keys, before any sync: the public key is not there yet.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'API keys' }).click();
  const card = page.getByTestId('license-public-key-card');
  await expect(card.getByTestId('license-public-key-missing')).toHaveText(/^Appears after this PC syncs with the server\./);
  await expect(card).toContainText('Paste this public key into your product');
  await shot(page, 'settings-license-public-key-missing');

  const plan = await rpcAs(page, 'plans.create', { name: 'Desktop app', price: 9900, interval: 'month', maxMachines: 3 });
  const customer = await rpcAs(page, 'customers.create', { name: 'Lena License', email: 'lena@example.com', paymentMethod: 'card' });
  const sub = await rpcAs(page, 'subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: '2026-03-11', licenseKey: 'ACME-2026-0001' });
  const lapsed = await rpcAs(page, 'subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: '2026-01-01', licenseKey: 'ACME-2025-0099' });

  // A new key: valid through the first period, nothing activated, never validated.
  await page.goto(`${app.url}#/subscriptions/${sub.id}`);
  const license = page.getByTestId('subscription-license');
  await expect(license.getByTestId('license-key')).toHaveText('ACME-2026-0001');
  await expect(license.getByTestId('license-status')).toHaveText('Valid');
  await expect(license.getByTestId('license-expiry')).toHaveText('Expires on Apr 11, 2026');
  await expect(license.getByTestId('license-machines-count')).toContainText('0 of 3');
  await expect(license.getByTestId('license-validated')).toContainText('Never validated');
  await expect(license.getByTestId('license-no-machines')).toHaveText(/^No machines activated yet\. Your product activates them through the license API/);
  // The Dates card no longer carries the key.
  await expect(page.getByTestId('sub-license')).toHaveCount(0);
  await shot(page, 'subscription-license-empty');
  await license.getByRole('button', { name: 'Copy the license key' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('ACME-2026-0001');

  // The product activated three machines, one was deactivated, and it validated today: a pull brings it all.
  applyServerChanges(db, [
    machineInsert({ id: 'm-desk', subscription_id: sub.id, fingerprint: FINGERPRINT, name: 'Reception PC', activated_at: '2026-03-11T14:05:00.000Z', last_seen_on: '2026-03-11' }),
    machineInsert({ id: 'm-laptop', subscription_id: sub.id, fingerprint: 'c0ffee00c0ffee00c0ffee00c0ffee00', name: 'Lena’s laptop', activated_at: '2026-03-11T15:30:00.000Z' }),
    machineInsert({ id: 'm-a-old', subscription_id: sub.id, fingerprint: 'old-desk-1', name: 'Old front desk', activated_at: '2026-03-11T09:00:00.000Z', deactivated_at: '2026-03-11T09:40:00.000Z' }),
    edit('subscriptions', sub.id, { license_validated_on: '2026-03-11' }, { license_validated_on: null }),
    edit('business', businessId, { license_public_key: PUBLIC_KEY }, { license_public_key: null }),
  ]);
  pulled();

  await expect(license.getByTestId('license-machines-count')).toContainText('2 of 3, 1 deactivated');
  await expect(license.getByTestId('license-validated')).toContainText('Mar 11, 2026');
  const rows = license.getByTestId('license-machine');
  await expect(rows).toHaveCount(3);
  // Active machines first (oldest activation first), the deactivated one last and greyed.
  await expect(rows.nth(0)).toContainText('Reception PC');
  await expect(rows.nth(0).getByTestId('license-machine-fingerprint')).toHaveText('3f9a1c0b…e04b');
  await expect(rows.nth(0)).toContainText('Active');
  await expect(rows.nth(1)).toContainText('Lena’s laptop');
  await expect(rows.nth(1)).toContainText('Not yet');
  await expect(rows.nth(2)).toContainText('Old front desk');
  await expect(rows.nth(2)).toContainText('Deactivated Mar 11, 2026');
  await expect(rows.nth(2)).toHaveAttribute('data-active', 'false');
  await expect(rows.nth(2)).toHaveCSS('opacity', '0.55');
  // The full fingerprint on hover.
  await rows.nth(0).getByTestId('license-machine-fingerprint').hover();
  await expect(page.getByRole('tooltip')).toHaveText(FINGERPRINT);
  await page.mouse.move(0, 0);
  await shotLightAndDark(page, 'subscription-license-machines', { tall: 1300 });

  // A key whose subscription was never paid past its first period: expired.
  await page.goto(`${app.url}#/subscriptions/${lapsed.id}`);
  await expect(license.getByTestId('license-key')).toHaveText('ACME-2025-0099');
  await expect(license.getByTestId('license-status')).toHaveText('Expired');
  await expect(license.getByTestId('license-expiry')).toHaveText('Expired on Feb 1, 2026');
  await shot(page, 'subscription-license-expired');

  // A subscription without a key has no License section.
  const plain = await rpcAs(page, 'subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: '2026-03-11' });
  await page.goto(`${app.url}#/subscriptions/${plain.id}`);
  await expect(page.getByTestId('sub-started')).toBeVisible();
  await expect(page.getByTestId('subscription-license')).toHaveCount(0);

  // Settings > API keys: the public key, with a copy button.
  await page.goto(`${app.url}#/settings/api-keys`);
  await expect(card.getByTestId('license-public-key')).toHaveText(PUBLIC_KEY);
  await expect(card).toContainText(`GET /v1/licenses/public-key?business=${businessId}`);
  await shot(page, 'settings-license-public-key');
  await card.getByRole('button', { name: 'Copy public key' }).click();
  await expect(card.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(PUBLIC_KEY);
});
