import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { Core } from '../../src-main/core/core';
import { silentLogger } from '../../src-main/core/ports';
import { startHost, type Host } from '../../src-main/host/server';
import { MIGRATIONS_DIR, tempDir } from '../support/core';

const RENDERER_DIR = path.resolve(import.meta.dirname, '../../out/renderer');
export const SCREENSHOTS_DIR = path.resolve(import.meta.dirname, '../artifacts/screenshots');

export interface AppHost {
  url: string;
  core: Core;
  dataDir: string;
  host: Host;
}

/** Each test gets its own data folder and browser host on 127.0.0.1, closed after it. */
export const test = base.extend<{ app: AppHost }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  app: async ({}, use) => {
    const dataDir = tempDir('recurra-e2e-');
    const core = new Core({ paths: { dataDir, migrationsDir: MIGRATIONS_DIR }, logger: silentLogger });
    const host = await startHost({ core, rendererDir: RENDERER_DIR });
    await use({ url: host.url, core, dataDir, host });
    await host.close();
    core.close();
  },
});

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

export { expect };
