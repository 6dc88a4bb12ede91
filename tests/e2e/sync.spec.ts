import fs from 'node:fs';
import path from 'node:path';
import { test as base, type Browser, type Page } from '@playwright/test';
import { Core, type CoreDeps } from '../../src-main/core/core';
import type { FetchLike } from '../../src-main/core/sync-client/http';
import { silentLogger } from '../../src-main/core/ports';
import { startHost } from '../../src-main/host/server';
import { startServer, type RunningServer } from '../../src-server/server';
import { createInvite } from '../../src-server/sync/store';
import { MIGRATIONS_DIR, tempDir } from '../support/core';
import { logIn, OWNER, signUpOwner } from './app-steps';
import { addCustomer, openCustomers } from './customer-steps';
import { expect, hostFixture, screenshot, serverDataDir } from './fixtures';

// Sync as an owner sees it (spec/server.md, "Connecting PCs" and "The app
// syncs by itself"): the real server on 127.0.0.1 over PGlite in a temp
// folder, two PCs (two cores, two data folders, two browser hosts), each
// syncing by itself on short timers. PC A connects from Settings > Sync and
// pairs; PC B joins from the start screen; an edit on each reaches the other;
// the header says so, and says what waits once the server is gone.

const RENDERER_DIR = path.resolve(import.meta.dirname, '../../out/renderer');

/** Short timers, so the test sees automatic syncs within seconds (the app's are seconds and minutes). */
const FAST = { startDelayMs: 200, debounceMs: 300, maxWaitMs: 2_000, intervalMs: 2_000, backoffMs: 1_000, maxBackoffMs: 4_000, billingWaitMs: 500 };

async function startPc(extra: Pick<CoreDeps, 'fetch' | 'syncPushBatchSize'> = {}) {
  const dataDir = tempDir('recurra-e2e-sync-');
  const core = new Core({ paths: { dataDir, migrationsDir: MIGRATIONS_DIR }, logger: silentLogger, autoSync: { options: FAST }, ...extra });
  const host = await startHost({ core, rendererDir: RENDERER_DIR });
  return hostFixture(host, { core, dataDir });
}
type Pc = Awaited<ReturnType<typeof startPc>>;

const test = base.extend<{ server: RunningServer & { dataDir: string }; pcA: Pc; pcB: Pc }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  server: async ({}, use) => {
    const dataDir = serverDataDir('recurra-e2e-server-');
    const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, log: () => {} });
    await use(Object.assign(server, { dataDir }));
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  pcA: async ({}, use) => {
    const pc = await startPc();
    await use(pc);
    await pc.host.close();
    pc.core.close();
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  pcB: async ({}, use) => {
    const pc = await startPc();
    await use(pc);
    await pc.host.close();
    pc.core.close();
  },
});

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

async function openCustomer(page: Page, name: string) {
  await openCustomers(page);
  // A sync may refresh the list under the pointer: click again until the customer's page is open.
  await expect(async () => {
    await page.getByTestId('customer-row').filter({ hasText: name }).first().click({ timeout: 3_000 });
    await expect(page.getByRole('heading', { name })).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
}

async function editCustomer(page: Page, name: string, field: 'Phone' | 'City' | 'Company', value: string) {
  await page.getByRole('button', { name: 'Edit' }).click();
  const dialog = page.getByRole('dialog', { name: `Edit ${name}` });
  await dialog.getByRole('textbox', { name: field }).fill(value);
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog).toBeHidden();
}

// It once flaked under load: a pull landing while B's edit form was open remounted the form (its key
// was the customer's updatedAt) and dropped the typed City. The form now keeps what is typed
// (customers.spec.ts checks that directly).
test('connect from Settings > Sync, pair, join a second PC, edits cross both ways, the header tells', async ({ browser, server, pcA, pcB }) => {
  test.slow();
  const a = await newPage(browser);
  await signUpOwner(a, pcA.url);
  // Nothing in the header for a business that never connected.
  await expect(a.getByTestId('sync-status')).toHaveCount(0);
  await openCustomers(a);
  await addCustomer(a, { name: 'Jane Doe', email: 'jane@example.com' });
  await expect(a.getByRole('dialog', { name: 'Add a customer' })).toBeHidden();

  // PC A connects.
  await a.goto(`${pcA.url}#/settings/sync`);
  await expect(a.getByRole('heading', { name: 'Connect to a sync server' })).toBeVisible();
  const invite = await createInvite(server.storage.db, new Date());
  await a.getByRole('button', { name: 'Connect and upload' }).click();
  await expect(a.getByText("Enter the sync server's address")).toBeVisible(); // the contract's own message, under the field
  await a.getByLabel('Server address').fill(server.url);
  await a.getByLabel('Invite code').fill('WRONG-CODE');
  await a.getByLabel("This PC's name").fill('Front desk');
  await a.getByRole('button', { name: 'Connect and upload' }).click();
  // The server's refusal, as the service words it: a sentence, no stack.
  const refusal = a.getByRole('alert').or(a.locator('.mantine-InputWrapper-error')).first();
  await expect(refusal).toBeVisible();
  await expect(refusal).not.toContainText(/at .*\.ts:\d+|Error:/);
  await a.getByLabel('Invite code').fill(invite.code);
  await a.getByRole('button', { name: 'Connect and upload' }).click();
  await expect(a.getByRole('heading', { name: 'Connected to a sync server' })).toBeVisible();
  await expect(a.getByTestId('sync-status')).toContainText(/Synced (just now|\d+ min ago)/);
  await expect(a.getByRole('table', { name: 'PCs of this business' })).toContainText('Front desk (this PC)');

  // Pair another PC: a code and its expiry.
  await a.getByRole('button', { name: 'Pair another PC' }).click();
  const pairDialog = a.getByRole('dialog', { name: 'Pair another PC' });
  const code = ((await pairDialog.getByTestId('pairing-code').textContent()) ?? '').trim();
  expect(code.length).toBeGreaterThan(4);
  await expect(pairDialog.getByTestId('pairing-expiry')).toContainText('Works once, until');
  await screenshot(a, 'sync-pair-1280');
  await pairDialog.getByRole('button', { name: 'Done' }).click();

  // PC B: an empty PC joins from the welcome screen, then logs in with the same password.
  const b = await newPage(browser);
  await b.goto(pcB.url);
  await expect(b.getByRole('heading', { name: 'Welcome to Recurra' })).toBeVisible();
  await b.getByRole('link', { name: 'join a business from another PC' }).click();
  await expect(b.getByRole('heading', { name: 'Join a business from another PC' })).toBeVisible();
  await b.getByLabel('Server address').fill(server.url);
  await b.getByLabel('Pairing code').fill(code);
  await b.getByLabel("This PC's name").fill('Back office');
  await screenshot(b, 'sync-join-1280');
  await b.getByRole('button', { name: 'Join and download' }).click();
  await expect(b.getByRole('heading', { name: /^Log in to Sunrise Yoga/ })).toBeVisible();
  await logIn(b, OWNER.email, OWNER.password);
  await expect(b.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(b.getByTestId('sync-status')).toContainText(/Synced (just now|\d+ min ago)/);

  // An edit on each PC; each syncs by itself and sees the other's.
  await openCustomer(a, 'Jane Doe');
  await editCustomer(a, 'Jane Doe', 'Phone', '(555) 010-7777');
  await openCustomer(b, 'Jane Doe');
  await editCustomer(b, 'Jane Doe', 'City', 'Springfield');
  await page(b).details();
  await expect(b.getByText('(555) 010-7777')).toBeVisible({ timeout: 30_000 });
  await page(a).details();
  await expect(a.getByText('Springfield')).toBeVisible({ timeout: 30_000 });
  await expect(a.getByTestId('sync-status')).toHaveAttribute('data-tone', 'ok');

  // Both PCs listed on each, the billing PC named.
  await b.goto(`${pcB.url}#/settings/sync`);
  await expect(b.getByRole('table', { name: 'PCs of this business' })).toContainText('Front desk');
  await expect(b.getByRole('table', { name: 'PCs of this business' })).toContainText('Back office (this PC)');
  await expect(b.getByRole('button', { name: 'Make this PC the billing PC' })).toBeVisible();
  await a.goto(`${pcA.url}#/settings/sync`);
  await expect(a.getByRole('table', { name: 'PCs of this business' })).toContainText('Back office');
  await screenshot(a, 'sync-settings-1280');
  await b.setViewportSize({ width: 820, height: 900 });
  await screenshot(b, 'sync-settings-820');

  // Offline: the server goes away; an edit on A waits, and the header says so.
  await server.close();
  await openCustomer(a, 'Jane Doe');
  await editCustomer(a, 'Jane Doe', 'Company', 'Doe & Co');
  const status = a.getByTestId('sync-status');
  // One edit is a few changes (the row, its timeline line, the audit row).
  await expect(status).toContainText(/\d+ changes? waiting/, { timeout: 30_000 });
  await expect(status).toHaveAttribute('data-tone', 'waiting');
  await status.hover();
  await expect(a.getByRole('tooltip')).toContainText(/\d+ changes? waiting to sync, last synced (just now|\d+ min ago)\. Cannot reach the sync server/);
  await screenshot(a, 'sync-offline-header-1280');
  await status.click();
  await expect(a.getByRole('heading', { name: 'Connected to a sync server' })).toBeVisible();
  await a.getByRole('button', { name: 'Sync now' }).click();
  await expect(a.getByRole('alert').filter({ hasText: 'Sync did not finish' })).toContainText('Cannot reach the sync server');
  await expect(a.getByRole('alert').filter({ hasText: 'Sync did not finish' })).not.toContainText(/\.ts:\d+/);
  await a.getByText('Changes saved').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
  await screenshot(a, 'sync-offline-1280');
  await a.setViewportSize({ width: 820, height: 900 });
  await expect(status).toContainText(/\d+ waiting/); // the short label of a narrow window
  await screenshot(a, 'sync-offline-820');

  // B changes the same field while the server is away. The server comes back (same folder, same port):
  // both PCs sync by themselves, the later edit wins on both, and the other is listed, not lost.
  await b.setViewportSize({ width: 1280, height: 800 });
  await openCustomer(b, 'Jane Doe');
  await editCustomer(b, 'Jane Doe', 'Company', 'Jane Doe Ltd');
  const again = await startServer({ host: '127.0.0.1', port: server.port, dataDir: server.dataDir, log: () => {} });
  try {
    await a.setViewportSize({ width: 1280, height: 800 });
    const conflicts = a.getByRole('table', { name: 'Sync conflicts' });
    await expect(conflicts).toContainText('Jane Doe Ltd', { timeout: 30_000 });
    await expect(conflicts).toContainText('Doe & Co');
    await expect(a.getByTestId('sync-status')).toHaveAttribute('data-tone', 'ok', { timeout: 30_000 });
    await expect(a.getByRole('button', { name: 'Download CSV' })).toBeVisible();
    await a.getByText('Changes saved').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
    await screenshot(a, 'sync-conflicts-1280');
    await b.goto(`${pcB.url}#/customers`);
    await openCustomer(b, 'Jane Doe');
    await expect(b.getByText('Jane Doe Ltd', { exact: true })).toBeVisible({ timeout: 30_000 });
  } finally {
    await again.close();
  }
});

/** Holds every push until the test lets one through, so an upload's progress can be watched push by push. */
class PushGate {
  private readonly waiting: (() => void)[] = [];
  private free = 0;
  readonly fetch: FetchLike = async (input, init) => {
    if (new URL(input).pathname.endsWith('/push')) {
      if (this.free > 0) this.free--;
      else await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    return fetch(input, init);
  };

  /** Lets the next push through (or the one after, if none waits yet). */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }

  open(): void {
    this.free = Number.POSITIVE_INFINITY;
    for (const next of this.waiting.splice(0)) next();
  }
}

test('a first upload shows how many changes the server has of how many, push by push, and that leaving loses nothing', async ({ browser, server }) => {
  const gate = new PushGate();
  // Pushes of one change each: a new business's few rows (the business, its owner, settings) take several.
  const pc = await startPc({ fetch: gate.fetch, syncPushBatchSize: 1 });
  try {
    const a = await newPage(browser);
    await signUpOwner(a, pc.url);
    await a.goto(`${pc.url}#/settings/sync`);
    await a.getByLabel('Server address').fill(server.url);
    await a.getByLabel('Invite code').fill((await createInvite(server.storage.db, new Date())).code);
    await a.getByLabel("This PC's name").fill('Front desk');
    await a.getByRole('button', { name: 'Connect and upload' }).click();

    const progress = a.getByTestId('sync-upload-progress');
    const bar = progress.getByRole('progressbar', { name: 'Upload to the sync server' });
    // The first push waits at the gate: nothing uploaded yet, of how many.
    await expect(progress).toContainText(/Uploaded 0 of \d+ changes \(0 %\)/);
    const total = Number(/of (\d+) changes/.exec((await progress.textContent()) ?? '')![1]);
    expect(total).toBeGreaterThan(3);
    await expect(progress).toContainText('You can keep working, leave this page or close Recurra');
    // Each push the server takes moves it on, with a time left once there is a pace to go by.
    gate.release();
    await expect(progress).toContainText(`Uploaded 1 of ${total} changes`);
    await expect(progress).toContainText(/left/);
    const first = Number(await bar.getAttribute('aria-valuenow'));
    gate.release();
    await expect(progress).toContainText(`Uploaded 2 of ${total} changes`);
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(first);
    await screenshot(a, 'sync-upload-progress-1280');
    await a.setViewportSize({ width: 820, height: 900 });
    await screenshot(a, 'sync-upload-progress-820');

    gate.open();
    await expect(a.getByRole('heading', { name: 'Connected to a sync server' })).toBeVisible();
    await expect(progress).toHaveCount(0);
    await expect(a.getByText('Waiting to sync').locator('..')).toContainText('nothing');
  } finally {
    gate.open();
    await pc.host.close();
    pc.core.close();
  }
});

/** The customer page's tabs. */
function page(p: Page) {
  return {
    details: async () => {
      await p.getByRole('tab', { name: 'Details' }).click();
    },
  };
}
