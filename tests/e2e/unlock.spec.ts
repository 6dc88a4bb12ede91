import fs from 'node:fs';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { Core } from '../../src-main/core/core';
import { keyAccount } from '../../src-main/core/db/keyring';
import { SECRETS_FILE } from '../../src-main/core/file-secret-store';
import { silentLogger } from '../../src-main/core/ports';
import { startHost } from '../../src-main/host/server';
import { MIGRATIONS_DIR, tempDir } from '../support/core';
import { OWNER, logIn, shot, signUpOwner } from './app-steps';
import { expect, hostFixture } from './fixtures';

// Issue 16: a business whose encrypted file is on this PC but whose key is not in its key store (the
// system reinstalled, the data folder moved) is "Locked on this PC", and its recovery key unlocks it.

const RENDERER_DIR = path.resolve(import.meta.dirname, '../../out/renderer');

/** The app on a data folder; started again on the same folder, it is the same PC after a restart. */
async function startPc(dataDir: string) {
  const core = new Core({ paths: { dataDir, migrationsDir: MIGRATIONS_DIR }, logger: silentLogger });
  const host = await startHost({ core, rendererDir: RENDERER_DIR });
  return hostFixture(host, { core, dataDir });
}
type Pc = Awaited<ReturnType<typeof startPc>>;

const test = base.extend<{ dataDir: string; pcs: Pc[] }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  dataDir: async ({}, use) => use(tempDir('recurra-e2e-unlock-')),
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  pcs: async ({}, use) => {
    const pcs: Pc[] = [];
    await use(pcs);
    for (const pc of pcs) {
      await pc.host.close();
      pc.core.close();
    }
  },
});

test('a business locked on this PC: the recovery key unlocks it (a wrong one is refused), its key goes back, and the owner logs in', async ({ page, dataDir, pcs }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  const first = await startPc(dataDir);
  const recoveryKey = await signUpOwner(page, first.url);
  const businessId = first.core.businesses.registry.list()[0]!.id;
  await first.host.close();
  first.core.close();

  // The key store lost the business's key (as after reinstalling the system); the file is still there.
  const secretsFile = path.join(dataDir, SECRETS_FILE);
  const secrets = JSON.parse(fs.readFileSync(secretsFile, 'utf8')) as Record<string, string>;
  const dataKey = secrets[keyAccount(businessId)];
  expect(dataKey).toMatch(/^[0-9a-f]{64}$/);
  delete secrets[keyAccount(businessId)];
  fs.writeFileSync(secretsFile, JSON.stringify(secrets), { mode: 0o600 });

  const pc = await startPc(dataDir);
  pcs.push(pc);
  await page.goto(pc.url);
  // The app opens on the business's login, which says it is locked instead of asking for a password.
  await expect(page.getByRole('heading', { name: `${OWNER.businessName} is locked on this PC` })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Password', exact: true })).toHaveCount(0);
  await shot(page, 'unlock-locked-login');

  await page.getByRole('link', { name: 'Choose another business' }).click();
  const row = page.getByRole('group', { name: `${OWNER.businessName}, locked on this PC` });
  await expect(row.getByText('Locked on this PC')).toBeVisible();
  await shot(page, 'unlock-picker');

  await row.getByRole('button', { name: 'Unlock with recovery key' }).click();
  const dialog = page.getByRole('dialog', { name: `Unlock ${OWNER.businessName}` });
  const field = dialog.getByRole('textbox', { name: 'Recovery key' });
  await expect(field).toBeFocused();
  // Too short: said at once, naming what a key looks like.
  await field.fill('7K2M-Q9XD');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(field).toHaveAccessibleDescription(/A recovery key has 24 letters and digits \(you typed 8\)/);
  // The right shape, the wrong key: main says so under the field, and the business stays locked.
  await field.fill('AAAA-BBBB-CCCC-DDDD-EEEE-FFFF');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(field).toHaveAccessibleDescription(/That recovery key does not unlock this business/);
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await shot(page, 'unlock-wrong-key');
  expect(JSON.parse(fs.readFileSync(secretsFile, 'utf8'))).not.toHaveProperty(keyAccount(businessId));

  // The right key as typed from paper: lower case, spaces instead of dashes.
  await field.fill(recoveryKey.toLowerCase().replaceAll('-', ' '));
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: `Log in to ${OWNER.businessName}` })).toBeVisible();
  await expect(page.getByText(`${OWNER.businessName} is unlocked`)).toBeVisible();
  await shot(page, 'unlock-unlocked-login');
  // The same data key is back in the key store.
  expect((JSON.parse(fs.readFileSync(secretsFile, 'utf8')) as Record<string, string>)[keyAccount(businessId)]).toBe(dataKey);

  await logIn(page, OWNER.email, OWNER.password);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByTestId('header-business-name')).toHaveText(OWNER.businessName);
  // The audit log records it.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Audit log' }).click();
  await expect(page.getByRole('cell', { name: 'Key restored: the recovery key unlocked the books on this PC' })).toBeVisible();
  await shot(page, 'unlock-audit');
});

test('a business file copied in under a name of its own (my-books.sqlite): listed by that name, the recovery key unlocks it and its login opens', async ({ page, dataDir, pcs }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  const first = await startPc(dataDir);
  const recoveryKey = await signUpOwner(page, first.url);
  const businessId = first.core.businesses.registry.list()[0]!.id;
  await first.host.close();
  first.core.close();

  // Another PC: the file and the .unlock beside it copied under a name of the user's, nothing else.
  const other = tempDir('recurra-e2e-unlock-renamed-');
  fs.mkdirSync(path.join(other, 'businesses'));
  for (const suffix of ['', '.unlock']) {
    fs.copyFileSync(path.join(dataDir, 'businesses', `${businessId}.sqlite${suffix}`), path.join(other, 'businesses', `my-books.sqlite${suffix}`));
  }
  const pc = await startPc(other);
  pcs.push(pc);
  await page.goto(pc.url);
  // The only business: the app opens on its login, which names the file.
  await expect(page.getByRole('heading', { name: 'my-books.sqlite is locked on this PC' })).toBeVisible();
  await page.getByRole('link', { name: 'Choose another business' }).click();
  const row = page.getByRole('group', { name: 'A business (name unknown), locked on this PC' });
  await expect(row.getByText('File my-books.sqlite: its name shows once it is unlocked')).toBeVisible();
  await shot(page, 'unlock-renamed-picker');
  await row.getByRole('button', { name: 'Unlock with recovery key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Unlock A business (name unknown)' });
  await dialog.getByRole('textbox', { name: 'Recovery key' }).fill(recoveryKey);
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(dialog).toBeHidden();
  // The login of the business inside, by its own id.
  await expect(page).toHaveURL(new RegExp(`/start/login/${businessId}`));
  await expect(page.getByRole('heading', { name: `Log in to ${OWNER.businessName}` })).toBeVisible();
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page.getByTestId('header-business-name')).toHaveText(OWNER.businessName);
});

test('a file the recovery key cannot unlock yet (encrypted on upgrade, restored, joined): Settings > Users says so, and typing the key once sets it up', async ({ page, dataDir, pcs }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  const first = await startPc(dataDir);
  const recoveryKey = await signUpOwner(page, first.url);
  const file = first.core.businesses.registry.list()[0]!.file;
  await first.host.close();
  first.core.close();
  // As a file encrypted on upgrade has: a key in the key store, no copy of it under the recovery key.
  fs.rmSync(`${file}.unlock`);

  const pc = await startPc(dataDir);
  pcs.push(pc);
  await page.goto(pc.url);
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Users' }).click();
  const warning = page.getByRole('alert').filter({ hasText: 'The recovery key cannot unlock the books on this PC yet' });
  await expect(warning).toBeVisible();
  await shot(page, 'unlock-recovery-not-set-up');

  await warning.getByRole('button', { name: 'Set up with the recovery key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Set up the recovery key for this PC' });
  const field = dialog.getByRole('textbox', { name: 'Recovery key' });
  await field.fill('AAAA-BBBB-CCCC-DDDD-EEEE-FFFF');
  await dialog.getByRole('button', { name: 'Set up' }).click();
  await expect(field).toHaveAccessibleDescription(/That is not the recovery key of this business/);
  expect(fs.existsSync(`${file}.unlock`)).toBe(false);
  await field.fill(recoveryKey.replaceAll('-', ''));
  await dialog.getByRole('button', { name: 'Set up' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Done: the recovery key can now unlock')).toBeVisible();
  await expect(warning).toHaveCount(0);
  expect(fs.existsSync(`${file}.unlock`)).toBe(true);
  await shot(page, 'unlock-recovery-set-up');
});
