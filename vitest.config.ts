import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import LongestFirst from './tests/longest-first';

const alias = { '@shared': resolve(import.meta.dirname, 'src-shared') };

export default defineConfig({
  resolve: { alias },
  test: {
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core CI machine, with
    // the other core mostly idle while files wait on SQLite, PostgreSQL and child processes.
    // One file per core runs the suite in about half the time; the tests' limits only catch a hang.
    maxWorkers: Math.max(2, availableParallelism()),
    // The slowest files start first, so the run does not end on one long file with the other worker idle.
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          exclude: ['tests/unit/cli/**'],
          environment: 'node',
          pool: 'forks',
          isolate: process.env.VITEST_ISOLATE !== '0',
          testTimeout: 60_000,
        },
      },
      {
        // The command line's tests, in-process over fresh data folders with nothing global to leak:
        // one worker loads the CLI and the core once for all its files instead of once per file
        // (about 40% of these files' CPU; the same run with isolation took 46.6 s, without 28.6 s).
        resolve: { alias },
        test: {
          name: 'cli',
          include: ['tests/unit/cli/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          isolate: false,
          testTimeout: 60_000,
        },
      },
      {
        // The sync server (src-server), on PGlite and on a throwaway PostgreSQL the global setup starts.
        resolve: { alias },
        test: {
          name: 'server',
          include: ['tests/server/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          globalSetup: ['tests/server/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        resolve: { alias },
        test: {
          name: 'renderer',
          include: ['tests/renderer/**/*.test.tsx'],
          environment: 'jsdom',
          setupFiles: ['tests/renderer/setup.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
