import { defineConfig } from '@playwright/test';

// End-to-end tests drive Debian's Chromium (no browser download) against the
// browser host; the Electron smoke test runs only where Electron's binary is.
export default defineConfig({
  testDir: 'tests',
  testMatch: ['e2e/**/*.spec.ts', 'electron/**/*.spec.ts'],
  outputDir: 'test-results',
  globalSetup: './tests/e2e/global-setup.ts',
  // Every test has its own data folder, host and browser context (fixtures.ts), so the tests of one
  // file run on any worker: the long files (billing, sync, customers) no longer keep one worker busy
  // while the other idles at the end. Two workers: the suite is CPU-bound on two cores; a third made
  // every test slower and the run longer (13.2 min against 12.0 min, same commit, 2026-12-06).
  fullyParallel: true,
  workers: 2,
  // Generous, because these limits only catch a hang: a test asserts what the app does, never how
  // fast (that is `npm run bench`), and a 2-core machine running both workers and the host can be
  // several times slower than an idle one. A long journey marks itself test.slow() (three times this).
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    viewport: { width: 1280, height: 800 },
    // No trace by default: recording one (DOM snapshots at every action, a screencast of every frame)
    // cost a quarter of the suite's CPU even when it was thrown away after a pass (pos.spec.ts: 41 s of
    // CPU without, 50-58 s with, 2026-12-07). A failure keeps its screenshot and error; for a trace,
    // run that spec again with `npx playwright test <spec> --trace on`.
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
