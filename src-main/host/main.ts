import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { FileSecretStore } from '../core/file-secret-store';
import { Core } from '../core/core';
import { defaultDataDir, sourceMigrationsDir } from '../core/paths';
import { JsonFilePreferencesStore } from '../core/prefs/json-prefs-store';
import { WorkerExecutor } from '../core/billing/executor';
import { sourceInsightsWorkerEntry, WorkerInsights } from '../core/insights/worker-executor';
import { UI_THREAD_BUSY_TIMEOUT_MS } from '../core/db/open';
import { sourceWorkerEntry } from '../core/billing/worker-entry';
import { startHost } from './server';
import type { ViteDevServer } from 'vite';

// `npm run dev:browser`: the app in a browser, against the same core, for
// working on the UI without Electron (hot reload with --dev).
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5174' },
    'data-dir': { type: 'string' },
    dev: { type: 'boolean', default: false },
  },
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();
const core = new Core({
  paths: { dataDir, migrationsDir: sourceMigrationsDir() },
  prefs: new JsonFilePreferencesStore(path.join(dataDir, 'browser-host-prefs.json')),
  // As in the app: billing catches up when a business opens, then runs on its timer, in a worker thread.
  billingTimer: true,
  // A connected business syncs by itself: at start-up, after local changes, every few minutes.
  autoSync: true,
  // No keychain here: device tokens go to a 0600 file.
  secrets: new FileSecretStore(dataDir, (message) => process.stderr.write(`Warning: ${message}\n`)),
  // This thread serves the UI: it never blocks long on a busy file (the dispatcher waits without blocking).
  busyTimeoutMs: UI_THREAD_BUSY_TIMEOUT_MS,
  billingExecutor: new WorkerExecutor(sourceWorkerEntry()),
  insightsExecutor: new WorkerInsights(sourceInsightsWorkerEntry()),
});

let vite: ViteDevServer | undefined;
if (values.dev) {
  const { createServer } = await import('vite');
  const { rendererConfig } = await import('../../electron.vite.config');
  vite = await createServer({ ...rendererConfig, configFile: false, server: { middlewareMode: true }, appType: 'custom' });
}

const host = await startHost({
  core,
  port: Number(values.port),
  rendererDir: path.join(root, 'out', 'renderer'),
  ...(vite ? { vite, indexHtmlPath: path.join(root, 'src-renderer', 'index.html') } : {}),
});

console.log(`Recurra in the browser (open this address once; it logs this browser in): ${host.launchUrl}`);
console.log(`Data folder: ${dataDir}`);
if (!vite) console.log('Serving the built renderer (out/renderer); run with --dev for hot reload.');

const stop = async () => {
  await host.close();
  await vite?.close();
  core.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
