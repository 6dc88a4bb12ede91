import { defineConfig } from '@playwright/test';
import base from '../../playwright.config';

// The browser benchmark (bench/browser.ts runs it): one worker, so nothing else shares the CPUs.
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: ['**/*.bench.ts'],
  outputDir: '../../test-results/bench',
  workers: 1,
  retries: 0,
  timeout: 600_000,
  reporter: [['line']],
});
