import { defineConfig } from '@playwright/test';
import base from '../../playwright.config';

// The browser benchmark (bench/browser.ts runs it): one worker, so nothing else shares the CPUs.
export default defineConfig({
  ...base,
  testDir: '.',
  // The base's path is relative to its own folder: from here it is two up (without this the bench stopped at "Cannot find module").
  globalSetup: '../../tests/e2e/global-setup.ts',
  testMatch: ['**/*.bench.ts'],
  outputDir: '../../test-results/bench',
  workers: 1,
  retries: 0,
  timeout: 600_000,
  reporter: [['line']],
  // No Playwright trace: its screencast copies and encodes every frame on the same two cores, which
  // (measured) turns a 17 ms frame p95 into 117-283 ms. The figures are of the page's own work.
  use: { ...base.use, trace: 'off', screenshot: 'off', video: 'off' },
});
