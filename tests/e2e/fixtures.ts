import fs from 'node:fs';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { WorkerExecutor } from '../../src-main/core/billing/executor';
import { sourceWorkerEntry } from '../../src-main/core/billing/worker-entry';
import { Core, type CoreDeps } from '../../src-main/core/core';
import { UI_THREAD_BUSY_TIMEOUT_MS } from '../../src-main/core/db/open';
import { sourceInsightsWorkerEntry, WorkerInsights } from '../../src-main/core/insights/worker-executor';
import { silentLogger } from '../../src-main/core/ports';
import { startHost, type Host } from '../../src-main/host/server';
import { MIGRATIONS_DIR, tempDir } from '../support/core';

const RENDERER_DIR = path.resolve(import.meta.dirname, '../../out/renderer');
export const SCREENSHOTS_DIR = path.resolve(import.meta.dirname, '../artifacts/screenshots');

export interface AppHost {
  /**
   * A fresh one-time address of the host (`/?token=…`) on each read: opening
   * it logs that browser context in (the host's cookie), as the address the
   * host prints at start does. `${app.url}#/route` opens a route.
   */
  readonly url: string;
  core: Core;
  dataDir: string;
  host: Host;
}

/**
 * RECURRA_E2E_APP_THREADS=1 (the browser benchmark sets it): the core as the app and the browser host run it,
 * billing and insights in worker threads and this thread's busy timeout short, so what is timed is what an owner
 * gets (an insight computed inline would hold up every request behind it). The tests keep everything inline.
 */
function appThreads(): Partial<CoreDeps> {
  if (process.env.RECURRA_E2E_APP_THREADS !== '1') return {};
  return {
    busyTimeoutMs: UI_THREAD_BUSY_TIMEOUT_MS,
    billingExecutor: new WorkerExecutor(sourceWorkerEntry()),
    insightsExecutor: new WorkerInsights(sourceInsightsWorkerEntry()),
  };
}

/** Each test gets its own data folder and browser host on 127.0.0.1, closed after it. */
export const test = base.extend<{ app: AppHost }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  app: async ({}, use) => {
    const dataDir = tempDir('recurra-e2e-');
    const core = new Core({ paths: { dataDir, migrationsDir: MIGRATIONS_DIR }, logger: silentLogger, ...appThreads() });
    const host = await startHost({ core, rendererDir: RENDERER_DIR });
    await use(hostFixture(host, { core, dataDir }));
    await host.close();
    core.close();
  },
});

/** The fixture object: `url` mints a one-time address each time it is read. */
export function hostFixture<T extends object>(host: Host, rest: T): T & { host: Host; readonly url: string } {
  return Object.defineProperty({ ...rest, host }, 'url', { get: () => host.newLaunchUrl(), enumerable: true }) as T & { host: Host; readonly url: string };
}

/** A data folder for a sync server, holding a copy of the run's migrated PGlite storage (global-setup.ts). */
export function serverDataDir(prefix: string): string {
  const dataDir = tempDir(prefix);
  const template = process.env.RECURRA_E2E_PGLITE_TEMPLATE;
  if (template) fs.cpSync(template, path.join(dataDir, 'pgdata'), { recursive: true });
  return dataDir;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

export { expect };
