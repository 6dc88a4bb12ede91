import fs from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import type { Paths } from '../core/ports';
import { migrationsDirFor } from './resources';

/** Where this run keeps data, finds its migrations and its Electron-ABI SQLite addon. */
export function appPaths(): Paths {
  const dataDir = process.env.RECURRA_DATA_DIR
    ? path.resolve(process.env.RECURRA_DATA_DIR)
    : path.join(app.getPath('userData'), 'data');
  const migrationsDir = migrationsDirFor({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() });
  // Built by scripts/electron-native.mjs (npm start): node_modules keeps the Node build for tests and the CLI.
  const binding = path.join(
    app.getAppPath(),
    '.electron-native',
    `${process.versions.electron}-${process.platform}-${process.arch}`,
    'better_sqlite3.node',
  );
  return { dataDir, migrationsDir, sqliteNativeBinding: fs.existsSync(binding) ? binding : undefined };
}

export function rendererDir(): string {
  return path.join(import.meta.dirname, '..', 'renderer');
}

export function preloadPath(): string {
  return path.join(import.meta.dirname, '..', 'preload', 'index.cjs');
}

/** The billing worker, bundled beside main by electron-vite (electron.vite.config.ts). */
export function billingWorkerPath(): string {
  return path.join(import.meta.dirname, 'billing-worker.js');
}

/** The insights worker (churn and LTV off the UI thread), bundled beside main likewise. */
export function insightsWorkerPath(): string {
  return path.join(import.meta.dirname, 'insights-worker.js');
}
